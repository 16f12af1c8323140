import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { isEnumLabel } from '../../src/catalog/types.ts';
import { createGenesisMetrics } from '../../src/index.ts';
import { idCap } from '../../src/instruments/business-series-options.ts';
import { SDK_DEFAULT_LIMIT, seriesLimit, viewsFromCatalog } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { collect, TestReader } from '../support/test-reader.ts';

describe('series limits from the catalog', () => {
  it('are the product of each label set (plus other or overflow), plus the SDK overflow series', () => {
    const spec = (name: string) => CATALOG.find((s) => s.name === name);
    assert.equal(seriesLimit(spec('genesis_meta_agent_businesses_created') as never), 11 * 4 + 1);
    assert.equal(seriesLimit(spec('genesis_meta_agent_safety_violations') as never), 2);
    assert.equal(seriesLimit(spec('genesis_meta_agent_quota_denied') as never, 50), 52);
    assert.equal(
      seriesLimit({ name: 'x', kind: 'counter', unit: '1', description: 'x', labels: [{ key: 'id', description: 'd', values: 'id' }] }),
      SDK_DEFAULT_LIMIT,
    );
  });

  it('give every SDK instrument of the catalog a view; per-business gauges need none', () => {
    const views = viewsFromCatalog(CATALOG, 'genesis-telemetry');
    const named = views.map((v) => v.instrumentName);
    for (const spec of CATALOG) assert.equal(named.includes(spec.name), spec.perBusiness === undefined, spec.name);
  });

  it('leave no way to overflow the SDK through the adapter API: every combination, other and the id overflow included', async () => {
    // SDK instruments (no producer), limited by the catalog's views: what an SDK with our views holds.
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader], views: viewsFromCatalog(CATALOG, 'genesis-telemetry', (s) => idCap(s, 20)) });
    const metrics = createGenesisMetrics({ meter: provider.getMeter('genesis-telemetry'), maxUserIds: 20, logger: captureLogger() });
    const counter = metrics.instrument('genesis_meta_agent_businesses_created');
    const [types, statuses] = (counter?.spec.labels ?? []).map((l) => (isEnumLabel(l) ? [...l.values, 'unknown-1', 'unknown-2'] : []));
    for (const business_type of types ?? []) for (const status of statuses ?? []) counter?.record(1, { business_type, status });
    for (let i = 0; i < 50; i++) metrics.quotaDenied(`user-${i}`);
    const collected = await collect(reader);
    const created = collected.points.get('genesis_meta_agent_businesses_created') ?? [];
    assert.equal(created.length, 11 * 4, 'every type (other too) by every status (other too)');
    assert.equal(collected.points.get('genesis_meta_agent_quota_denied')?.length, 21, 'the 20 users and __overflow__');
    for (const [name, points] of collected.points) {
      assert.ok(!points.some((p) => p.attributes['otel.metric.overflow'] === true), `${name} overflowed`);
    }
    await provider.shutdown();
  });
});
