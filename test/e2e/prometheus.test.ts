/**
 * End to end against a real Prometheus (Debian's package, installed by
 * scripts/install-servers.sh): it scrapes the demo, the target is up, and the
 * queries users run return data. In CI a missing Prometheus is a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { prometheusSampleNames } from '../../src/catalog/naming.ts';
import { parseExposition } from '../../src/exposition/parse-exposition.ts';
import { type RunningProcess, startCli } from '../support/processes.ts';
import { ensureServers, type PrometheusServer, startPrometheus } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const missing = await ensureServers();

describe('a real Prometheus scraping the demo', { skip: missing }, () => {
  let demo: RunningProcess;
  let prometheus: PrometheusServer;

  before(async () => {
    demo = startCli(['demo', '--port', '0', '--rate', '20', '--quiet']);
    const target = (await demo.waitForOutput(/serving metrics at http:\/\/(\S+)\/metrics/))[1] as string;
    prometheus = await startPrometheus({ genesis: target });
    // Prometheus discovers targets every 5 s: wait for the first good scrape.
    await waitFor('the demo target to be up', async () => {
      const up = await prometheus.query('up{job="genesis"}');
      return up[0]?.value[1] === '1' || undefined;
    });
  });

  after(async () => {
    await prometheus?.stop();
    await demo?.stop();
  });

  it('sees the target up', async () => {
    const [up] = await prometheus.query('up{job="genesis"}');
    assert.equal(up?.value[1], '1');
  });

  it('ingests businesses_created_total with its labels', async () => {
    const series = await waitFor('created businesses', async () => {
      const result = await prometheus.query('sum by (status) (genesis_meta_agent_businesses_created_total)');
      return result.some((s) => Number(s.value[1]) > 0) ? result : undefined;
    });
    assert.deepEqual(series.map((s) => s.metric.status).toSorted(), ['blocked', 'failed', 'success']);
  });

  it('answers the p95 creation time from the histogram', async () => {
    const expr = 'histogram_quantile(0.95, sum by (le) (rate(genesis_meta_agent_execution_duration_seconds_bucket[1m])))';
    const [p95] = await waitFor('two scrapes for rate()', async () => {
      const result = await prometheus.query(expr);
      return result.length > 0 && Number.isFinite(Number(result[0]?.value[1])) ? result : undefined;
    });
    const seconds = Number(p95?.value[1]);
    assert.ok(seconds > 1 && seconds <= 600, `p95 ${seconds} s is within the catalog's buckets`);
    // The query as written, per business type: a type whose rate is still 0 answers NaN, so wait for a number.
    const perTypeExpr = 'histogram_quantile(0.95, rate(genesis_meta_agent_execution_duration_seconds_bucket[1m]))';
    const finite = await waitFor('a finite per-type p95', async () => {
      const values = (await prometheus.query(perTypeExpr)).map((s) => Number(s.value[1])).filter(Number.isFinite);
      return values.length > 0 ? values : undefined;
    });
    assert.ok(
      finite.every((value) => value > 0 && value <= 600),
      `per-type p95 ${finite.join(', ')} s are within the catalog's buckets`,
    );
  });

  it('stores every sample name of the 17 metrics', async () => {
    const names = BUSINESS_METRICS.flatMap((spec) => prometheusSampleNames(spec));
    const stored = await waitFor('all metrics to be stored', async () => {
      const response = await fetch(`${prometheus.url}/api/v1/label/__name__/values`);
      const body = (await response.json()) as { data: string[] };
      return names.every((name) => body.data.includes(name)) ? body.data : undefined;
    });
    assert.deepEqual(
      names.filter((name) => !stored.includes(name)),
      [],
    );
  });

  it('reports no scrape problems for the target', async () => {
    const response = await fetch(`${prometheus.url}/api/v1/targets`);
    const body = (await response.json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
    assert.deepEqual(
      body.data.activeTargets.map((t) => [t.health, t.lastError]),
      [['up', '']],
    );
  });

  it("parses Prometheus's own exposition, which no one here wrote", async () => {
    const families = parseExposition(await (await fetch(`${prometheus.url}/metrics`)).text());
    assert.ok(families.length > 100);
    assert.ok(families.some((f) => f.type === 'histogram' && f.samples.length > 0));
    assert.ok(families.some((f) => f.type === 'summary'));
  });
});
