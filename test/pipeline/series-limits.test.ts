import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { isEnumLabel } from '../../src/catalog/types.ts';
import { SDK_DEFAULT_LIMIT, seriesLimit, startTelemetry, viewsFromCatalog } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape } from '../support/exposition.ts';

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

  it('leave no way to overflow the SDK through the adapter API: every combination, other included', async () => {
    const telemetry = await startTelemetry({ port: 0, env: {}, logger: captureLogger() });
    const counter = telemetry.metrics.instrument('genesis_meta_agent_businesses_created');
    const spec = counter?.spec;
    const [types, statuses] = (spec?.labels ?? []).map((l) => (isEnumLabel(l) ? [...l.values, 'unknown-1', 'unknown-2'] : []));
    for (const business_type of types ?? []) for (const status of statuses ?? []) counter?.record(1, { business_type, status });
    const { text } = await scrape(telemetry.url as string);
    assert.doesNotMatch(text, /otel_metric_overflow/);
    await telemetry.shutdown();
  });
});
