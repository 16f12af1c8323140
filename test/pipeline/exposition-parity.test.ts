/**
 * The endpoint renders the catalog series from the adapter's own cells; the
 * same recordings through the SDK's own instruments and the OpenTelemetry
 * Prometheus exporter's serialiser must give the same sample lines (names,
 * label sets, escaping, values) and the same HELP/UNIT/TYPE lines; so must
 * the per-business gauges the endpoint renders from the business store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { createBusinessSeries, createGenesisMetrics, type GenesisMetrics, METER_NAME, VERSION } from '../../src/index.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { createBusinessMetricProducer, startTelemetry, viewsFromCatalog } from '../../src/sdk.ts';
import { scrape } from '../support/exposition.ts';

class Reader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The same recordings on both sides: every kind, ids that need escaping, a mapped enum, an overflow. */
function exercise(metrics: GenesisMetrics): void {
  metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 42.5, taskCount: 12, teamSize: 4 });
  metrics.businessCreated({ businessType: 'newsletter', status: 'failed', durationSeconds: 700, taskCount: 1, teamSize: 1 });
  metrics.businessCreated({ businessType: 'nonsense' as 'saas', status: 'blocked', durationSeconds: 0.25 });
  metrics.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 0.125 });
  metrics.deploymentFinished({ businessType: 'saas', succeeded: false, deploymentType: 'preview', costUsd: 3 });
  metrics.memoryOperation('query', 'success');
  metrics.paymentIntent('failed');
  metrics.safetyViolation();
  metrics.authFailure('invalid_token');
  for (const id of ['u-1', 'quote"d', 'back\\slash', 'new\nline', 'u-1', 'ünïcode', 'u-6', 'u-7']) metrics.quotaDenied(id);
  metrics.instrument('genesis_meta_agent_businesses_created')?.bind({ business_type: 'ecommerce', status: 'success' }).add(3);
  metrics.instrument('genesis_meta_agent_execution_duration_seconds')?.bind({ business_type: 'ecommerce' }).record(5);
  metrics.revenueProjected({ businessId: 'b-1', businessType: 'saas', mrrUsd: 1500, confidence: 0.5 });
  metrics.businessHealth({ businessId: 'b"2\\', businessType: 'newsletter', score: 0.25 });
}

/** The exposition's lines as a sorted list, target_info (the resource differs) left out. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.includes('target_info'))
    .sort();
}

async function sdkExposition(scopeLabels: boolean): Promise<string> {
  const businessSeries = createBusinessSeries({ env: {} });
  // The per-business gauges come from the store's producer on both sides; the catalog series from SDK instruments here.
  const reader = new Reader({ metricProducers: [createBusinessMetricProducer(businessSeries, { catalogCells: false })] });
  const provider = new MeterProvider({ readers: [reader], views: viewsFromCatalog(CATALOG, METER_NAME, () => 5) });
  const metrics = createGenesisMetrics({
    meter: provider.getMeter(METER_NAME, VERSION),
    logger: silentLogger,
    env: {},
    businessSeries,
    maxUserIds: 5,
  });
  exercise(metrics);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  // As the exporter's handler serialises: no prefix, no timestamps, target_info on.
  return new PrometheusSerializer('', false, undefined, false, !scopeLabels).serialize(resourceMetrics);
}

describe('the endpoint renders the catalog cells as the OpenTelemetry Prometheus exporter would', () => {
  for (const scopeLabels of [false, true]) {
    it(`with scope labels ${scopeLabels ? 'on' : 'off'}: the same lines, ignoring order`, async () => {
      const telemetry = await startTelemetry({
        host: '127.0.0.1',
        port: 0,
        logger: silentLogger,
        env: {},
        otlp: false,
        scopeLabels,
        maxUserIds: 5,
      });
      try {
        exercise(telemetry.metrics);
        const served = lines((await scrape(telemetry.url as string)).text);
        const expected = lines(await sdkExposition(scopeLabels));
        assert.deepEqual(
          served.filter((line) => !expected.includes(line)),
          expected.filter((line) => !served.includes(line)),
        );
        assert.deepEqual(served, expected);
        assert.ok(served.some((line) => line.startsWith('genesis_meta_agent_quota_denied_total{user_id="quote\\"d"')));
        assert.ok(served.some((line) => line.startsWith('genesis_meta_agent_execution_duration_seconds_bucket{')));
        assert.ok(served.some((line) => line.startsWith('genesis_meta_agent_business_health_score{business_id="b\\"2\\\\"')));
      } finally {
        await telemetry.shutdown();
      }
    });
  }

  it('serves many series, written in several chunks, as one valid exposition', async () => {
    const telemetry = await startTelemetry({ host: '127.0.0.1', port: 0, logger: silentLogger, env: {}, otlp: false, maxUserIds: 5000 });
    try {
      for (let i = 0; i < 5000; i++) telemetry.metrics.quotaDenied(`user-${i}`);
      const { text, families } = await scrape(telemetry.url as string);
      const quota = families.find((f) => f.name === 'genesis_meta_agent_quota_denied_total');
      assert.equal(quota?.samples.length, 5000);
      assert.equal(new Set(quota?.samples.map((s) => s.labels.user_id)).size, 5000);
      assert.equal(text.match(/^# TYPE genesis_meta_agent_quota_denied_total /gm)?.length, 1, 'one family, whatever the chunks');
      assert.ok(families.some((f) => f.name === 'target_info'));
    } finally {
      await telemetry.shutdown();
    }
  });
});
