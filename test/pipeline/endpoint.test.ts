/**
 * The pipeline and its endpoint, scraped over real HTTP: the exposition shows
 * the catalog, in Prometheus naming, with the values that were recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { prometheusName } from '../../src/catalog/naming.ts';
import type { ExpositionFamily } from '../../src/exposition/parse-exposition.ts';
import type { BusinessCreation } from '../../src/index.ts';
import { startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { family, histogram, scrape, value } from '../support/exposition.ts';

/** The business creations recorded, as data, so the histograms' expected buckets, sums and counts are derived from them. */
const CREATIONS: readonly BusinessCreation[] = [
  { businessType: 'saas', status: 'success', durationSeconds: 12.5, taskCount: 30, teamSize: 5 },
  { businessType: 'saas', status: 'failed', durationSeconds: 95, taskCount: 12, teamSize: 3 },
  { businessType: 'newsletter', status: 'blocked', durationSeconds: 0.4 },
];

/** Which field of a creation each catalog histogram records. */
const HISTOGRAM_FIELDS: Record<string, 'durationSeconds' | 'taskCount' | 'teamSize'> = {
  genesis_meta_agent_execution_duration_seconds: 'durationSeconds',
  genesis_meta_agent_task_count: 'taskCount',
  genesis_meta_agent_team_size: 'teamSize',
};

describe('the Prometheus endpoint', () => {
  let telemetry: Telemetry;
  let families: ExpositionFamily[];
  let text: string;

  before(async () => {
    telemetry = await startTelemetry({ port: 0, logger: captureLogger(), env: {} });
    const m = telemetry.metrics;
    for (const creation of CREATIONS) m.businessCreated(creation);
    m.revenueProjected({ businessId: 'biz-1', businessType: 'saas', mrrUsd: 2500, confidence: 0.8 });
    m.businessHealth({ businessId: 'biz-1', businessType: 'saas', score: 0.9 });
    m.safetyViolation();
    m.memoryOperation('query', 'success');
    m.memoryOperation('store', 'failed');
    m.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 1.25 });
    m.deploymentFinished({ businessType: 'saas', succeeded: false, costUsd: 0.5, deploymentType: 'redeploy' });
    m.authFailure('invalid_token');
    m.authFailure('invalid_token');
    m.quotaDenied('user-7');
    m.paymentIntent('success');
    m.businessTakenDown({ businessId: 'biz-0', status: 'partial' });
    m.businessTakenDown({ status: 'not_found' });
    m.deploymentCost('production', Number.NaN);
    ({ text, families } = await scrape(telemetry.url as string));
  });

  after(() => telemetry.shutdown());

  it('binds port 0 to a free port and reports it', () => {
    assert.ok((telemetry.address?.port ?? 0) > 0);
    assert.equal(telemetry.url, `http://127.0.0.1:${telemetry.address?.port}/metrics`);
  });

  it('serves each of the 17 metrics with HELP and the right TYPE', () => {
    for (const spec of BUSINESS_METRICS) {
      const name = prometheusName(spec);
      assert.match(text, new RegExp(`^# HELP ${name} ${spec.description.replace(/[().]/g, '\\$&')}$`, 'm'), name);
      assert.match(text, new RegExp(`^# TYPE ${name} ${spec.kind}$`, 'm'), name);
      assert.equal(family(families, name)?.type, spec.kind, name);
      assert.equal(family(families, name)?.help, spec.description, name);
    }
  });

  it('ends every counter in _total exactly once', () => {
    const counters = families.filter((f) => f.type === 'counter').map((f) => f.name);
    const declared = CATALOG.filter((s) => s.kind === 'counter').map((s) => prometheusName(s));
    const required = BUSINESS_METRICS.filter((s) => s.kind === 'counter').map((s) => prometheusName(s));
    assert.deepEqual(
      counters.filter((name) => !declared.includes(name)),
      [],
      'every served counter is declared as one',
    );
    assert.deepEqual(
      required.filter((name) => !counters.includes(name)),
      [],
      'every business counter is served',
    );
    for (const name of counters) assert.match(name, /^(?!.*_total_total).*_total$/, name);
    assert.doesNotMatch(text, /_total_total/);
  });

  it('serves only what the catalog declares under our namespaces, and all of it', () => {
    const served = families.map((f) => f.name).filter((name) => /^genesis_(meta_agent|telemetry)_/.test(name));
    const declared = CATALOG.map((spec) => prometheusName(spec));
    assert.deepEqual(
      served.filter((name) => !declared.includes(name)),
      [],
      'served but not declared',
    );
    assert.deepEqual(
      BUSINESS_METRICS.map((spec) => prometheusName(spec)).filter((name) => !served.includes(name)),
      [],
      'declared but not served',
    );
  });

  it('serves every catalog histogram with the catalog buckets, and the _bucket, _sum and _count recorded', () => {
    const histograms = BUSINESS_METRICS.filter((spec) => spec.kind === 'histogram');
    assert.deepEqual(
      histograms.map((spec) => spec.name).sort(),
      Object.keys(HISTOGRAM_FIELDS).sort(),
      'every histogram of the catalog is recorded here',
    );
    for (const spec of histograms) {
      const name = prometheusName(spec);
      const field = HISTOGRAM_FIELDS[spec.name] ?? 'durationSeconds';
      for (const businessType of new Set(CREATIONS.map((c) => c.businessType))) {
        const observed = CREATIONS.filter((c) => c.businessType === businessType).flatMap((c) => c[field] ?? []);
        const served = histogram(families, name, { business_type: businessType });
        const where = `${name}{business_type="${businessType}"}`;
        if (observed.length === 0) {
          assert.deepEqual(served, { buckets: [], sum: undefined, count: undefined }, `${where}: nothing recorded, no series`);
          continue;
        }
        const bounds = [...(spec.buckets ?? []), Number.POSITIVE_INFINITY];
        assert.deepEqual(
          served.buckets,
          bounds.map((le) => [le === Number.POSITIVE_INFINITY ? '+Inf' : String(le), observed.filter((v) => v <= le).length]),
          `${where}: the catalog's buckets, cumulative counts of what was recorded`,
        );
        assert.equal(
          served.sum,
          observed.reduce((sum, v) => sum + v, 0),
          `${where}_sum`,
        );
        assert.equal(served.count, observed.length, `${where}_count`);
      }
    }
  });

  it('serves the values that were recorded', () => {
    const created = 'genesis_meta_agent_businesses_created_total';
    assert.equal(value(families, created, { business_type: 'saas', status: 'success' }), 1);
    assert.equal(value(families, created, { business_type: 'saas', status: 'failed' }), 1);
    assert.equal(value(families, created, { business_type: 'newsletter', status: 'blocked' }), 1);
    assert.equal(value(families, created, { business_type: 'ecommerce', status: 'success' }), 0);
    assert.equal(value(families, 'genesis_meta_agent_revenue_projected_mrr', { business_id: 'biz-1' }), 2500);
    assert.equal(value(families, 'genesis_meta_agent_revenue_confidence', { business_id: 'biz-1' }), 0.8);
    assert.equal(value(families, 'genesis_meta_agent_business_health_score', { business_id: 'biz-1' }), 0.9);
    assert.equal(value(families, 'genesis_meta_agent_safety_violations_total'), 1);
    assert.equal(value(families, 'genesis_meta_agent_memory_operations_total', { operation: 'store', status: 'failed' }), 1);
    assert.equal(value(families, 'genesis_meta_agent_lifecycle_events_total', { event_type: 'deployment_failed' }), 1);
    assert.equal(value(families, 'genesis_meta_agent_lifecycle_events_total', { event_type: 'taken_down' }), 1);
    assert.equal(value(families, 'genesis_meta_agent_deployment_success_rate', { business_type: 'saas' }), 0.5);
    assert.equal(value(families, 'genesis_meta_agent_deployment_costs_usd_total', { deployment_type: 'production' }), 1.25);
    assert.equal(value(families, 'genesis_meta_agent_deployment_costs_usd_total', { deployment_type: 'redeploy' }), 0.5);
    assert.equal(value(families, 'genesis_meta_agent_auth_failures_total', { reason: 'invalid_token' }), 2);
    assert.equal(value(families, 'genesis_meta_agent_quota_denied_total', { user_id: 'user-7' }), 1);
    assert.equal(value(families, 'genesis_meta_agent_vercel_deployments_total', { status: 'attempt' }), 2);
    assert.equal(value(families, 'genesis_meta_agent_stripe_payment_intents_total', { status: 'success' }), 1);
    assert.equal(value(families, 'genesis_meta_agent_takedowns_total', { status: 'not_found' }), 1);
    assert.equal(
      value(families, 'genesis_telemetry_dropped_measurements_total', {
        instrument: 'genesis_meta_agent_deployment_costs_usd',
        reason: 'not_finite',
      }),
      1,
    );
  });

  it('never serves a label twice, whatever keys a caller passes (keys that collide after sanitising never reach the SDK)', async () => {
    const created = telemetry.metrics.instrument('genesis_meta_agent_businesses_created');
    const labels = { business_type: 'consulting', 'business.type': 'saas', 'business-type': 'ecommerce', status: 'success' };
    created?.record(1, labels as never);
    const { text, families } = await scrape(telemetry.url as string);
    for (const line of text.split('\n').filter((l) => l.startsWith('genesis_'))) {
      const names = [...line.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]);
      assert.equal(new Set(names).size, names.length, line);
    }
    assert.ok(
      (value(families, 'genesis_meta_agent_businesses_created_total', { business_type: 'consulting', status: 'success' }) ?? 0) >= 1,
    );
  });

  it('carries the resource as target_info, without scope labels on every series', () => {
    assert.match(text, /^target_info\{.*service_name="genesis-meta-agent".*\} 1$/m);
    assert.match(text, /service_instance_id="[0-9a-f-]{36}"/);
    assert.doesNotMatch(text, /otel_scope_name/);
  });

  it('answers /healthz, 404 elsewhere, 405 for other methods, and HEAD', async () => {
    const base = (telemetry.url as string).replace('/metrics', '');
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok\n');
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${base}/metrics?x=1`)).status, 200);
  });
});
