import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAPTER_METRICS } from '../../src/catalog/adapter-metrics.ts';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { otlpPrometheusName, prometheusName } from '../../src/catalog/naming.ts';
import { isEnumLabel } from '../../src/catalog/types.ts';
import { validateCatalog } from '../../src/catalog/validate.ts';
import { BUSINESS_TYPES } from '../../src/catalog/vocabulary.ts';

/** The 17 metrics as the product promises them to be scraped (the foundation issue's table). */
const PROMISED = {
  genesis_meta_agent_businesses_created_total: ['counter', ['business_type', 'status']],
  genesis_meta_agent_execution_duration_seconds: ['histogram', ['business_type']],
  genesis_meta_agent_task_count: ['histogram', ['business_type']],
  genesis_meta_agent_team_size: ['histogram', ['business_type']],
  genesis_meta_agent_revenue_projected_mrr: ['gauge', ['business_id']],
  genesis_meta_agent_revenue_confidence: ['gauge', ['business_id']],
  genesis_meta_agent_safety_violations_total: ['counter', []],
  genesis_meta_agent_memory_operations_total: ['counter', ['operation', 'status']],
  genesis_meta_agent_lifecycle_events_total: ['counter', ['event_type']],
  genesis_meta_agent_business_health_score: ['gauge', ['business_id']],
  genesis_meta_agent_deployment_success_rate: ['gauge', ['business_type']],
  genesis_meta_agent_deployment_costs_usd_total: ['counter', ['deployment_type']],
  genesis_meta_agent_auth_failures_total: ['counter', ['reason']],
  genesis_meta_agent_quota_denied_total: ['counter', ['user_id']],
  genesis_meta_agent_vercel_deployments_total: ['counter', ['status']],
  genesis_meta_agent_stripe_payment_intents_total: ['counter', ['status']],
  genesis_meta_agent_takedowns_total: ['counter', ['status']],
} as const;

function enumValues(metric: string, key: string): readonly string[] | undefined {
  const label = BUSINESS_METRICS.find((spec) => prometheusName(spec) === metric)?.labels.find((l) => l.key === key);
  return label && isEnumLabel(label) ? label.values : undefined;
}

describe('the catalog', () => {
  it('passes its own validation: names, label keys, units, buckets, HELP', () => {
    assert.deepEqual(validateCatalog(CATALOG), []);
  });

  it('declares exactly the 17 promised metrics, with their types and label keys', () => {
    const declared = Object.fromEntries(BUSINESS_METRICS.map((spec) => [prometheusName(spec), [spec.kind, spec.labels.map((l) => l.key)]]));
    assert.equal(BUSINESS_METRICS.length, 17);
    assert.deepEqual(declared, PROMISED);
  });

  it('keeps every counter name free of _total: the exporter appends it exactly once', () => {
    for (const spec of CATALOG.filter((s) => s.kind === 'counter')) {
      assert.ok(!spec.name.endsWith('_total'), spec.name);
      assert.match(prometheusName(spec), /^(?!.*_total_total)[a-z_]+_total$/);
    }
  });

  it('chooses units that keep each name when a receiver applies Prometheus OTLP naming', () => {
    for (const spec of CATALOG) assert.equal(otlpPrometheusName(spec), prometheusName(spec), spec.name);
  });

  it('uses the renamed deployment_costs_usd_total, not the old deployment_costs_total_usd', () => {
    const names = BUSINESS_METRICS.map((spec) => prometheusName(spec));
    assert.ok(names.includes('genesis_meta_agent_deployment_costs_usd_total'));
    assert.ok(!names.some((name) => name.includes('costs_total_usd')));
  });

  it('bounds the documented label sets the product promises', () => {
    assert.equal(BUSINESS_TYPES.length, 10);
    assert.deepEqual(enumValues('genesis_meta_agent_businesses_created_total', 'status'), ['success', 'failed', 'blocked']);
    assert.deepEqual(enumValues('genesis_meta_agent_vercel_deployments_total', 'status'), ['attempt', 'success', 'failed']);
    assert.deepEqual(enumValues('genesis_meta_agent_takedowns_total', 'status'), ['success', 'partial', 'not_found']);
    assert.deepEqual(enumValues('genesis_meta_agent_stripe_payment_intents_total', 'status'), ['success', 'failed']);
    assert.deepEqual(enumValues('genesis_meta_agent_memory_operations_total', 'operation'), ['query', 'store']);
    const reasons = enumValues('genesis_meta_agent_auth_failures_total', 'reason') ?? [];
    for (const reason of ['missing_token', 'invalid_token', 'missing_context']) assert.ok(reasons.includes(reason), reason);
  });

  it('declares ratios as 0..1 and durations in seconds', () => {
    for (const name of ['revenue_confidence', 'deployment_success_rate', 'business_health_score']) {
      const spec = CATALOG.find((s) => s.name === `genesis_meta_agent_${name}`);
      assert.deepEqual(spec?.range, [0, 1], name);
    }
    const duration = CATALOG.find((s) => s.name === 'genesis_meta_agent_execution_duration_seconds');
    assert.equal(duration?.unit, 's');
  });

  it('gives histograms buckets that fit what they measure, not the SDK default', () => {
    const sdkDefault = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
    for (const spec of CATALOG.filter((s) => s.kind === 'histogram')) {
      assert.notDeepEqual(spec.buckets, sdkDefault, spec.name);
    }
    const duration = CATALOG.find((s) => s.name === 'genesis_meta_agent_execution_duration_seconds');
    assert.equal(duration?.buckets?.[0], 1, 'creation time starts at a second, not at 5 (ms-like)');
  });

  it('keeps the adapter metrics in their own namespace', () => {
    for (const spec of ADAPTER_METRICS) assert.match(spec.name, /^genesis_telemetry_/);
  });
});

describe('validateCatalog', () => {
  const good = { name: 'x_things', kind: 'counter', unit: '{thing}', description: 'Things that happened.', labels: [] } as const;

  it('reports each fault with the instrument name', () => {
    const problems = validateCatalog([
      { ...good, name: 'x_requests_total' },
      { ...good, name: 'x_latency', kind: 'histogram', unit: 'ms', buckets: [5, 1] },
      { ...good, name: 'x_size', kind: 'gauge', unit: 'USD', description: 'tbd' },
      {
        ...good,
        name: 'x_bad_labels',
        labels: [
          { key: 'le', description: 'd', values: ['a'] },
          { key: 'Mode', description: 'd', values: ['a', 'a'] },
          { key: 'Mode', description: 'd', values: ['other'] },
        ],
      },
      { ...good, name: 'x_things' },
      { ...good, name: 'x_things' },
    ]);
    const expected = [
      'x_requests_total: a counter name must not end in _total',
      'x_latency: unit "ms" renames it',
      'x_latency: buckets must be finite and strictly ascending',
      'x_size: unit "USD" renames it',
      'x_size: the description (HELP) must say',
      'x_bad_labels: label le: is reserved',
      'x_bad_labels: label Mode: must be a snake_case label name',
      'x_bad_labels: label Mode: has duplicate values',
      'x_bad_labels: label Mode: appears twice',
      'x_bad_labels: label Mode: "other" is implied',
      'x_things: two instruments are both served as x_things_total',
    ];
    for (const fragment of expected)
      assert.ok(
        problems.some((p) => p.startsWith(fragment)),
        `missing: ${fragment}\n${problems.join('\n')}`,
      );
  });
});
