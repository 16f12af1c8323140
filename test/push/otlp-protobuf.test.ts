/**
 * OTLP/HTTP protobuf end to end on real servers: the demo (configured only by
 * the standard variables) pushes to vmagent's OTLP receiver, vmagent
 * remote-writes into a real Prometheus, and Prometheus answers with the values
 * the demo recorded. Then the name-parity proof: the names that arrive through
 * OTLP (Prometheus naming on the receiver) equal the names scraped from /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { seededRandom } from '../../src/demo/random.ts';
import { SimulatedAgent } from '../../src/demo/simulated-agent.ts';
import { startTelemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape } from '../support/exposition.ts';
import { startCli } from '../support/processes.ts';
import { ensureServers, type PrometheusServer, type RealServer, startPrometheus, startVmagent } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const missing = await ensureServers();

describe('OTLP/HTTP protobuf: demo -> vmagent -> Prometheus', { skip: missing }, () => {
  let prometheus: PrometheusServer;
  let vmagent: RealServer;

  before(async () => {
    prometheus = await startPrometheus({}, { flags: ['--web.enable-remote-write-receiver'] });
    vmagent = await startVmagent(`${prometheus.url}/api/v1/write`);
  });

  after(async () => {
    await vmagent?.stop();
    await prometheus?.stop();
  });

  /** Sample names of one service, as Prometheus stores them. */
  async function storedNames(service: string): Promise<string[]> {
    const match = encodeURIComponent(`{__name__=~"genesis_.+",service_name="${service}"}`);
    const body = (await (await fetch(`${prometheus.url}/api/v1/series?match[]=${match}`)).json()) as { data: { __name__: string }[] };
    return [...new Set(body.data.map((series) => series.__name__))].toSorted();
  }

  async function sumBy(expr: string): Promise<Record<string, number>> {
    const result = await prometheus.query(expr);
    return Object.fromEntries(result.map((s) => [Object.values(s.metric).join(',') || 'all', Number(s.value[1])]));
  }

  it('stores what the demo recorded, pushed through OTEL_EXPORTER_OTLP_ENDPOINT alone', async () => {
    const demo = startCli(['demo', '--port', '0', '--rate', '40', '--duration', '3', '--seed', '11', '--quiet'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${vmagent.url}/opentelemetry`,
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_SERVICE_NAME: 'genesis-e2e',
    });
    const [, created, ok, failed, blocked, deployed, deploymentsFailed, takenDown, auth] = (
      await demo.waitForOutput(
        /done: (\d+) businesses created \((\d+) ok, (\d+) failed, (\d+) blocked\), (\d+) deployed, (\d+) deployments failed, (\d+) taken down, (\d+) auth failures/,
        30_000,
      )
    ).map(Number);
    assert.equal(await demo.exited, 0, demo.output());
    assert.doesNotMatch(demo.output(), /export failed/);

    const service = 'service_name="genesis-e2e"';
    // The last export happens at shutdown: wait until Prometheus holds the final totals.
    const byStatus = await waitFor(
      'the final totals in Prometheus',
      async () => {
        const got = await sumBy(`sum by (status) (genesis_meta_agent_businesses_created_total{${service}})`);
        return (got.success ?? 0) + (got.failed ?? 0) + (got.blocked ?? 0) === created ? got : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(byStatus, { success: ok, failed, blocked });
    assert.deepEqual(await sumBy(`sum by (status) (genesis_meta_agent_vercel_deployments_total{${service},status!="attempt"})`), {
      success: deployed,
      failed: deploymentsFailed,
    });
    assert.deepEqual(await sumBy(`sum(genesis_meta_agent_takedowns_total{${service},status=~"success|partial"})`), { all: takenDown });
    assert.deepEqual(await sumBy(`sum(genesis_meta_agent_auth_failures_total{${service}})`), { all: auth });
    const durations = await sumBy(`sum(genesis_meta_agent_execution_duration_seconds_count{${service}})`);
    assert.equal(durations.all, created, 'one duration per created business');
    const instances = await prometheus.query(`count by (service_instance_id) (genesis_meta_agent_safety_violations_total{${service}})`);
    assert.equal(instances.length, 1, 'service.instance.id arrives as a label');
    assert.match(instances[0]?.metric.service_instance_id ?? '', /^[0-9a-f-]{36}$/);
  });

  it('gives the same names through OTLP as /metrics does (counters _total once, _seconds histograms)', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      serviceName: 'genesis-parity',
      otlp: { endpoint: `${vmagent.url}/opentelemetry/v1/metrics`, exportIntervalMillis: 60_000 },
    });
    const agent = new SimulatedAgent(telemetry.metrics, seededRandom(5));
    for (let i = 0; i < 300; i += 1) agent.step();
    const pulled = (await scrape(telemetry.url as string)).families
      .flatMap((f) => f.samples.map((s) => s.name))
      .filter((name) => name.startsWith('genesis_'));
    const scraped = [...new Set(pulled)].toSorted();
    await telemetry.shutdown(); // one export, at shutdown

    const pushed = await waitFor('every scraped name to arrive', async () => {
      const names = await storedNames('genesis-parity');
      return names.length >= scraped.length ? names : undefined;
    });
    assert.deepEqual(pushed, scraped);
    assert.ok(scraped.includes('genesis_meta_agent_businesses_created_total'));
    assert.ok(scraped.includes('genesis_meta_agent_execution_duration_seconds_bucket'));
    assert.equal(
      BUSINESS_METRICS.filter((spec) => !pushed.some((name) => name.startsWith(spec.name))).length,
      0,
      'all 17 business metrics arrived',
    );
    assert.ok(!pushed.some((name) => /_total_total|_seconds_seconds/.test(name)));
  });
});
