/**
 * The fast paths of the recording API: a series resolved once by `bind()`, and
 * the cells behind `record()`, on both ways out (a producer registered with
 * the reader, or the Meter's own instruments when there is none). Correctness
 * only: the speed is measured in bench/recording.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createBusinessSeries, createGenesisMetrics } from '../../src/index.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { collect, ownMeterProvider, pointValue, TestReader } from '../support/test-reader.ts';

const DROPS = 'genesis_telemetry_dropped_measurements';
const CREATED = 'genesis_meta_agent_businesses_created';
const DURATION = 'genesis_meta_agent_execution_duration_seconds';
const QUOTA = 'genesis_meta_agent_quota_denied';

/** With the README's recipe (a producer collects the cells), and without (observable instruments, the SDK's histogram). */
function setups() {
  return [
    ['with the producer', () => ownMeterProvider()],
    [
      'without a producer',
      () => {
        const reader = new TestReader();
        return { provider: new MeterProvider({ readers: [reader] }), reader, businessSeries: createBusinessSeries({ env: {} }) };
      },
    ],
  ] as const;
}

for (const [how, setup] of setups()) {
  describe(`bound series and cells, ${how}`, () => {
    it('add to the same series as record(), and histograms keep buckets, sum, count, min and max', async () => {
      const { provider, reader, businessSeries } = setup();
      const logger = captureLogger();
      const metrics = createGenesisMetrics({ meter: provider.getMeter('app'), logger, businessSeries, env: {} });
      const created = metrics.instrument(CREATED)?.bind({ business_type: 'saas', status: 'success' });
      created?.add(2);
      metrics.instrument(CREATED)?.record(1, { business_type: 'saas', status: 'success' });
      const duration = metrics.instrument(DURATION)?.bind({ business_type: 'saas' });
      for (const seconds of [0.5, 3, 700]) duration?.record(seconds);
      const collected = await collect(reader);
      assert.equal(pointValue(collected, CREATED, { business_type: 'saas', status: 'success' }), 3);
      const histogram = pointValue(collected, DURATION, { business_type: 'saas' }) as Histogram;
      assert.equal(histogram.count, 3);
      assert.equal(histogram.sum, 703.5);
      assert.equal(histogram.min, 0.5);
      assert.equal(histogram.max, 700);
      // [1, 2.5, 5, ...600]: 0.5 in the first bucket, 3 in the third, 700 above the last bound.
      assert.deepEqual([histogram.buckets.counts[0], histogram.buckets.counts[2], histogram.buckets.counts.at(-1)], [1, 1, 1]);
      assert.deepEqual(logger.lines, []);
      await provider.shutdown();
    });

    it('drop and count bad values through a bound series, every time, and log once', async () => {
      const { provider, reader, businessSeries } = setup();
      const logger = captureLogger();
      const metrics = createGenesisMetrics({ meter: provider.getMeter('app'), logger, businessSeries, env: {} });
      const created = metrics.instrument(CREATED)?.bind({ business_type: 'saas', status: 'failed' });
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number]) created?.add(bad);
      created?.add(-5);
      const collected = await collect(reader);
      assert.equal(pointValue(collected, CREATED, { business_type: 'saas', status: 'failed' }), 0);
      assert.equal(pointValue(collected, DROPS, { instrument: CREATED, reason: 'negative' }), 2);
      assert.equal(pointValue(collected, DROPS, { instrument: CREATED, reason: 'not_finite' }), 2);
      assert.equal(pointValue(collected, DROPS, { instrument: CREATED, reason: 'not_a_number' }), 1);
      assert.equal(logger.lines.filter((line) => line.includes('negative')).length, 1);
      await provider.shutdown();
    });

    it('count a bound unknown enum value as mapped on every call, and bound ids past the cap as overflow', async () => {
      const { provider, reader, businessSeries } = setup();
      const metrics = createGenesisMetrics({
        meter: provider.getMeter('app'),
        logger: captureLogger(),
        businessSeries,
        env: {},
        maxUserIds: 1,
      });
      const odd = metrics.instrument(CREATED)?.bind({ business_type: 'spaceship', status: 'success' });
      odd?.add(1);
      odd?.add(1);
      metrics.quotaDenied('first');
      const late = metrics.instrument(QUOTA)?.bind({ user_id: 'second' });
      late?.add(1);
      late?.add(1);
      const collected = await collect(reader);
      assert.equal(pointValue(collected, CREATED, { business_type: 'other', status: 'success' }), 2);
      assert.equal(pointValue(collected, DROPS, { instrument: CREATED, reason: 'unknown_label_value' }), 2);
      assert.equal(pointValue(collected, QUOTA, { user_id: 'first' }), 1);
      assert.equal(pointValue(collected, QUOTA, { user_id: '__overflow__' }), 2);
      assert.equal(pointValue(collected, 'genesis_telemetry_series_overflows', { instrument: QUOTA }), 2);
      await provider.shutdown();
    });

    it('never let a caller mutate the labels it bound or the series it recorded under', async () => {
      const { provider, reader, businessSeries } = setup();
      const metrics = createGenesisMetrics({ meter: provider.getMeter('app'), logger: captureLogger(), businessSeries, env: {} });
      const labels = { business_type: 'saas', status: 'success' };
      const bound = metrics.instrument(CREATED)?.bind(labels);
      metrics.instrument(CREATED)?.record(1, labels);
      labels.status = 'failed';
      bound?.add(1);
      const collected = await collect(reader);
      assert.equal(pointValue(collected, CREATED, { business_type: 'saas', status: 'success' }), 2);
      assert.equal(pointValue(collected, CREATED, { business_type: 'saas', status: 'failed' }), 0);
      await provider.shutdown();
    });
  });
}
