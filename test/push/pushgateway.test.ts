/**
 * Pushgateway for batch jobs, on a real Pushgateway scraped by a real
 * Prometheus with honor_labels: true. The gateway runs under a route prefix
 * (`--web.route-prefix=/pg`, as behind a reverse proxy), so every push here
 * also proves that the base URL's path is kept. PUT replaces the group, POST
 * only the metrics of the same names, DELETE removes the group; grouping
 * values `.` and `..` address their own group; a failed push is counted and
 * resolves { ok: false }; bad options reject.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { isGenesisConfigError } from '../../src/index.ts';
import { deleteFromGateway, pushToGateway, startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape, value } from '../support/exposition.ts';
import { freePort } from '../support/processes.ts';
import { ensureServers, type PrometheusServer, type RealServer, startPrometheusWithConfig, startPushgateway } from '../support/servers.ts';
import { ownMeterProvider } from '../support/test-reader.ts';
import { waitFor } from '../support/wait.ts';

const missing = await ensureServers();
const ROUTE_PREFIX = '/pg';
const TAKEDOWNS = BUSINESS_METRICS.find((spec) => spec.name === 'genesis_meta_agent_takedowns');

describe('pushing a batch run to a real Pushgateway', { skip: missing }, () => {
  let gateway: RealServer;
  let prometheus: PrometheusServer;
  let telemetry: Telemetry;
  const logger = captureLogger();

  before(async () => {
    gateway = await startPushgateway({ routePrefix: ROUTE_PREFIX });
    const { host } = new URL(gateway.url);
    prometheus = await startPrometheusWithConfig(
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    metrics_path: ${ROUTE_PREFIX}/metrics\n    static_configs:\n      - targets: ['${host}']\n`,
    );
    telemetry = await startTelemetry({ port: 0, logger, serviceName: 'nightly-batch', env: {} });
  });

  after(async () => {
    await telemetry?.shutdown();
    await prometheus?.stop();
    await gateway?.stop();
  });

  /** The value of a sample in the Pushgateway's own exposition (what Prometheus scrapes). */
  async function inGateway(name: string, labels: Record<string, string>): Promise<number | undefined> {
    const { families } = await scrape(`${gateway.url}/metrics`);
    const found = families
      .flatMap((f) => f.samples)
      .find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return found?.value;
  }

  it('PUTs the run, and Prometheus scrapes it under the job and grouping labels it was pushed with', async () => {
    for (let i = 0; i < 3; i += 1) {
      telemetry.metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 20, taskCount: 9, teamSize: 4 });
    }
    const result = await telemetry.pushToGateway({
      url: gateway.url,
      job: 'genesis-batch',
      grouping: { instance: 'nightly', run: '2026/12/03' },
    });
    assert.equal(result.ok, true, JSON.stringify(result));

    const selector = '{job="genesis-batch",instance="nightly",run="2026/12/03",business_type="saas",status="success"}';
    const [series] = await waitFor(
      'Prometheus to scrape the pushed run',
      async () => {
        const found = await prometheus.query(`genesis_meta_agent_businesses_created_total${selector}`);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(series?.value[1], '3');
    const [p95] = await prometheus.query(`genesis_meta_agent_execution_duration_seconds_count{job="genesis-batch",business_type="saas"}`);
    assert.equal(p95?.value[1], '3', 'histograms arrive whole');
  });

  it('keeps PUT, POST and DELETE semantics: replace the group, replace same-name metrics, remove the group', async () => {
    const group = { url: gateway.url, job: 'genesis-semantics', grouping: { instance: 'a' } };
    const labels = { job: 'genesis-semantics', instance: 'a' };
    const created = { ...labels, business_type: 'saas', status: 'success' };
    telemetry.metrics.businessTakenDown({ businessId: 'biz-semantics', status: 'partial' });
    assert.equal((await telemetry.pushToGateway(group)).ok, true);
    assert.equal(await inGateway('genesis_meta_agent_takedowns_total', { ...labels, status: 'partial' }), 1, 'PUT stored the takedown');
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', created), 3);

    // Another process of the same job that only knows the takedowns counter, and only successful ones.
    const own = ownMeterProvider();
    const takedowns = own.provider
      .getMeter('batch')
      .createCounter(TAKEDOWNS?.name ?? '', { description: TAKEDOWNS?.description ?? '', unit: TAKEDOWNS?.unit ?? '' });
    takedowns.add(2, { status: 'success' });

    assert.equal((await pushToGateway({ ...group, method: 'post', reader: own.reader, logger })).ok, true);
    assert.equal(await inGateway('genesis_meta_agent_takedowns_total', { ...labels, status: 'success' }), 2, 'POST added it');
    assert.equal(
      await inGateway('genesis_meta_agent_takedowns_total', { ...labels, status: 'partial' }),
      undefined,
      'POST replaced every series of the same metric name, the ones it did not send included',
    );
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', created), 3, 'POST kept the other metrics of the group');

    assert.equal((await pushToGateway({ ...group, reader: own.reader, logger })).ok, true);
    assert.equal(await inGateway('genesis_meta_agent_takedowns_total', { ...labels, status: 'success' }), 2);
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', created), undefined, 'PUT replaced the whole group');

    assert.equal((await deleteFromGateway({ ...group, logger })).ok, true);
    assert.equal(await inGateway('genesis_meta_agent_takedowns_total', labels), undefined, 'DELETE removed the group');
    await own.provider.shutdown();
  });

  it('addresses a group whose job or grouping value is . or .. as its own, never the group above it', async () => {
    const job = { url: gateway.url, job: 'genesis-dots' };
    const up = { job: 'genesis-dots', business_type: 'saas', status: 'success' };
    assert.equal((await telemetry.pushToGateway(job)).ok, true);
    assert.equal((await telemetry.pushToGateway({ ...job, grouping: { instance: '..' } })).ok, true);
    assert.equal((await telemetry.pushToGateway({ ...job, grouping: { instance: '.' } })).ok, true);
    assert.equal((await telemetry.pushToGateway({ url: gateway.url, job: '.' })).ok, true);
    for (const instance of ['..', '.']) {
      assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', { ...up, instance }), 3, `instance="${instance}"`);
    }
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', { ...up, job: '.' }), 3, 'job="."');

    // Before the fix this DELETE went to /metrics/job/genesis-dots and removed the job's own group.
    assert.equal((await deleteFromGateway({ ...job, grouping: { instance: '..' }, logger })).ok, true);
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', { ...up, instance: '..' }), undefined, 'its group went');
    assert.equal(await inGateway('genesis_meta_agent_businesses_created_total', { ...up, instance: '.' }), 3, 'the "." group stayed');
    const jobGroup = await inGateway('genesis_meta_agent_businesses_created_total', { ...up, instance: '' });
    assert.equal(jobGroup, 3, 'the job group without an instance stayed');
    for (const target of [job, { ...job, grouping: { instance: '.' } }, { url: gateway.url, job: '.' }]) {
      assert.equal((await deleteFromGateway({ ...target, logger })).ok, true);
    }
  });

  it('counts a failed push and resolves { ok: false } instead of throwing', async () => {
    const result = await telemetry.pushToGateway({ url: `http://127.0.0.1:${await freePort()}`, job: 'unreachable', timeoutMillis: 2000 });
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.reason, 'network');
    const { families } = await scrape(telemetry.url as string);
    assert.equal(value(families, 'genesis_telemetry_export_failures_total', { exporter: 'pushgateway', reason: 'network' }), 1);
    assert.match(logger.lines.join('\n'), /pushgateway to http:\/\/127\.0\.0\.1:\d+\/: push failed \(network: /);
  });

  it('rejects bad options with a GenesisConfigError naming them', async () => {
    const rejectsNaming = (promise: Promise<unknown>, option: string) =>
      assert.rejects(promise, (error: unknown) => isGenesisConfigError(error) && error.option === option);
    await rejectsNaming(telemetry.pushToGateway({ url: gateway.url, job: '' }), 'job');
    await rejectsNaming(telemetry.pushToGateway({ url: gateway.url, job: 'x', grouping: { 'bad-label': 'v' } }), 'grouping.bad-label');
    await rejectsNaming(telemetry.pushToGateway({ url: 'ftp://gateway', job: 'x' }), 'url');
    await rejectsNaming(telemetry.pushToGateway({ url: gateway.url, job: 'x', method: 'patch' as never }), 'method');
  });
});
