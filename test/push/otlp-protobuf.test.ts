/**
 * OTLP/HTTP protobuf end to end on real servers: the demo (configured only by
 * the standard variables) pushes to vmagent's OTLP receiver, vmagent
 * remote-writes into a real Prometheus, and Prometheus answers with the values
 * the demo recorded; a known set recorded in-process arrives series by series
 * with the values /metrics serves and the numbers recorded. Then the
 * name-parity proof: the names that arrive through OTLP (Prometheus naming on
 * the receiver) equal the names scraped from /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { prometheusSampleNames } from '../../src/catalog/naming.ts';
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

  it('stores every series of the 17 metrics with the values recorded: counters, gauges, histogram buckets, _sum and _count', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      serviceName: 'genesis-values',
      otlp: { endpoint: `${vmagent.url}/opentelemetry/v1/metrics`, exportIntervalMillis: 60_000 },
    });
    // A known set, through the typed API; the expectations below are these numbers.
    const { metrics } = telemetry;
    metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 12, taskCount: 7, teamSize: 3 });
    metrics.businessCreated({ businessType: 'saas', status: 'failed', durationSeconds: 40, taskCount: 31, teamSize: 5 });
    metrics.businessCreated({ businessType: 'ecommerce', status: 'blocked', durationSeconds: 0.5 });
    metrics.revenueProjected({ businessId: 'biz-1', businessType: 'saas', mrrUsd: 2400, confidence: 0.7 });
    metrics.businessHealth({ businessId: 'biz-1', businessType: 'saas', score: 0.9 });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 0.42 });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: false, costUsd: 0.08 });
    metrics.memoryOperation('query', 'success');
    metrics.memoryOperation('query', 'success');
    metrics.paymentIntent('success');
    metrics.paymentIntent('failed');
    metrics.businessTakenDown({ businessId: 'biz-0', status: 'success' });
    for (let i = 0; i < 3; i += 1) metrics.authFailure('invalid_token');
    metrics.quotaDenied('user-42');
    metrics.safetyViolation();
    const pulled = (await scrape(telemetry.url as string)).families;
    await telemetry.shutdown(); // one export, at shutdown: Prometheus ends up with exactly what /metrics served

    // Each sample by name and its catalog labels (le as a number): the stored ones also carry resource labels.
    const specOf = new Map(BUSINESS_METRICS.flatMap((spec) => prometheusSampleNames(spec).map((name) => [name, spec] as const)));
    const keyOf = (name: string, labels: Record<string, string>) => {
      const keys = (specOf.get(name)?.labels ?? []).map((label) => label.key).toSorted();
      const parts = keys.filter((key) => labels[key] !== undefined).map((key) => `${key}=${labels[key]}`);
      if (labels.le !== undefined) parts.push(`le=${Number(labels.le)}`);
      return `${name}{${parts.join(',')}}`;
    };
    const expected = new Map(
      pulled
        .flatMap((f) => f.samples)
        .filter((s) => specOf.has(s.name))
        .map((s) => [keyOf(s.name, s.labels), s.value] as const),
    );
    const stored = await waitFor(
      'every pulled series in Prometheus',
      async () => {
        const series = await prometheus.query('{__name__=~"genesis_meta_agent_.+",service_name="genesis-values"}');
        const byKey = new Map(series.map((s) => [keyOf(s.metric.__name__ ?? '', s.metric), Number(s.value[1])] as const));
        return [...expected.keys()].every((key) => byKey.has(key)) ? byKey : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(
      [...expected]
        .filter(([key, pulledValue]) => stored.get(key) !== pulledValue)
        .map(([key, pulledValue]) => `${key}: pulled ${pulledValue}, stored ${stored.get(key)}`),
      [],
      'every series arrives with the value /metrics serves',
    );
    assert.deepEqual(
      BUSINESS_METRICS.filter(
        (spec) => ![...expected.keys()].some((key) => prometheusSampleNames(spec).some((name) => key.startsWith(`${name}{`))),
      ).map((spec) => spec.name),
      [],
      'all 17 business metrics compared',
    );

    // And against the numbers recorded above, independently of the pull path.
    const at = (name: string, labels: Record<string, string> = {}) => stored.get(keyOf(name, labels));
    const counters: [string, Record<string, string>, number][] = [
      ['genesis_meta_agent_businesses_created_total', { business_type: 'saas', status: 'success' }, 1],
      ['genesis_meta_agent_businesses_created_total', { business_type: 'saas', status: 'failed' }, 1],
      ['genesis_meta_agent_businesses_created_total', { business_type: 'ecommerce', status: 'blocked' }, 1],
      ['genesis_meta_agent_safety_violations_total', {}, 1],
      ['genesis_meta_agent_memory_operations_total', { operation: 'query', status: 'success' }, 2],
      ['genesis_meta_agent_deployment_costs_usd_total', { deployment_type: 'production' }, 0.5],
      ['genesis_meta_agent_auth_failures_total', { reason: 'invalid_token' }, 3],
      ['genesis_meta_agent_quota_denied_total', { user_id: 'user-42' }, 1],
      ['genesis_meta_agent_vercel_deployments_total', { status: 'attempt' }, 2],
      ['genesis_meta_agent_vercel_deployments_total', { status: 'success' }, 1],
      ['genesis_meta_agent_vercel_deployments_total', { status: 'failed' }, 1],
      ['genesis_meta_agent_stripe_payment_intents_total', { status: 'success' }, 1],
      ['genesis_meta_agent_stripe_payment_intents_total', { status: 'failed' }, 1],
      ['genesis_meta_agent_takedowns_total', { status: 'success' }, 1],
    ];
    for (const [name, labels, recorded] of counters) assert.equal(at(name, labels), recorded, keyOf(name, labels));
    assert.ok((at('genesis_meta_agent_lifecycle_events_total', { event_type: 'created' }) ?? 0) >= 1, 'lifecycle events');
    // Gauges: the last value set.
    assert.equal(at('genesis_meta_agent_revenue_projected_mrr', { business_id: 'biz-1' }), 2400);
    assert.equal(at('genesis_meta_agent_revenue_confidence', { business_id: 'biz-1' }), 0.7);
    assert.equal(at('genesis_meta_agent_business_health_score', { business_id: 'biz-1' }), 0.9);
    assert.equal(at('genesis_meta_agent_deployment_success_rate', { business_type: 'saas' }), 0.5);
    // Histograms: _sum and _count of what was recorded, and a bucket.
    const saas = { business_type: 'saas' };
    assert.equal(at('genesis_meta_agent_execution_duration_seconds_sum', saas), 52);
    assert.equal(at('genesis_meta_agent_execution_duration_seconds_count', saas), 2);
    assert.equal(at('genesis_meta_agent_execution_duration_seconds_bucket', { ...saas, le: '20' }), 1);
    assert.equal(at('genesis_meta_agent_execution_duration_seconds_bucket', { ...saas, le: '+Inf' }), 2);
    assert.equal(at('genesis_meta_agent_task_count_sum', saas), 38);
    assert.equal(at('genesis_meta_agent_team_size_sum', saas), 8);
    assert.equal(at('genesis_meta_agent_team_size_count', saas), 2);
    assert.equal(at('genesis_meta_agent_execution_duration_seconds_count', { business_type: 'ecommerce' }), 1);
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
