/**
 * Series that stay bounded under churn: per-business gauges that expire, are
 * taken down and capped, in the scrape and in a push export alike; capped
 * user ids; aggregates that equal what they summarise; and the SDK's own
 * overflow made visible.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ExpositionFamily } from '../../src/exposition/parse-exposition.ts';
import { BUSINESS_TYPES, createGenesisMetrics } from '../../src/index.ts';
import { createBusinessMetricProducer, startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { family, scrape, value } from '../support/exposition.ts';
import { decodeOtlpJson, metricsByName } from '../support/otlp-json.ts';
import { type OtlpJsonReceiver, startOtlpJsonReceiver } from '../support/otlp-json-receiver.ts';
import { ownMeterProvider } from '../support/test-reader.ts';

const MRR = 'genesis_meta_agent_revenue_projected_mrr';
const CONFIDENCE = 'genesis_meta_agent_revenue_confidence';
const HEALTH = 'genesis_meta_agent_business_health_score';
const PER_BUSINESS = [MRR, CONFIDENCE, HEALTH];
const CAP = 500;
const TTL_SECONDS = 60;

function ids(families: ExpositionFamily[], name: string): Set<string> {
  return new Set((family(families, name)?.samples ?? []).map((s) => s.labels.business_id as string));
}

describe('per-business series under 100,000 businesses of churn', () => {
  const clock = { ms: 0 };
  let telemetry: Telemetry;
  let logger: CapturedLogger;
  let receiver: OtlpJsonReceiver;

  /** The business ids of the per-business MRR gauge in the newest OTLP export, after a flush. */
  async function pushedIds(): Promise<Set<string>> {
    const before = receiver.received.length;
    await telemetry.forceFlush();
    const latest = receiver.received.slice(before).at(-1);
    assert.ok(latest !== undefined, 'the flush exported');
    const points = metricsByName(decodeOtlpJson(latest.body)).get(MRR)?.points ?? [];
    return new Set(points.map((p) => String(p.attributes.business_id)));
  }

  before(async () => {
    logger = captureLogger();
    receiver = await startOtlpJsonReceiver();
    telemetry = await startTelemetry({
      port: 0,
      env: {},
      // The pipeline's own OTLP push beside the endpoint, to a real HTTP receiver; exported on each flush only.
      otlp: { endpoint: `${receiver.url}/v1/metrics`, protocol: 'http/json', exportIntervalMillis: 3_600_000 },
      logger,
      now: () => clock.ms,
      maxBusinessSeries: CAP,
      businessSeriesTtlSeconds: TTL_SECONDS,
      maxUserIds: 50,
    });
  });
  after(async () => {
    await telemetry.shutdown();
    await receiver.close();
  });

  it('never serves or pushes more than the cap, and only live businesses with their latest values', async () => {
    const m = telemetry.metrics;
    const takenDown = new Set<string>();
    /** What the adapter should know: every business not taken down, with its last update time and MRR, oldest first. */
    const expected = new Map<string, { at: number; mrrUsd: number }>();
    const touch = (businessId: string, mrrUsd: number) => {
      expected.delete(businessId);
      expected.set(businessId, { at: clock.ms, mrrUsd });
    };
    let maxServed = 0;
    let maxPushed = 0;
    for (let i = 0; i < 100_000; i++) {
      clock.ms += 10; // 100 businesses per simulated second
      const businessId = `biz-${i}`;
      const businessType = BUSINESS_TYPES[i % BUSINESS_TYPES.length] ?? 'saas';
      m.revenueProjected({ businessId, businessType, mrrUsd: i, confidence: 0.5 });
      m.businessHealth({ businessId, businessType, score: 0.8 });
      touch(businessId, i);
      if (i % 7 === 0) {
        m.businessTakenDown({ businessId, status: 'success' });
        takenDown.add(businessId);
        expected.delete(businessId);
      }
      if (i % 20_000 === 19_999) {
        const { families } = await scrape(telemetry.url as string);
        for (const name of PER_BUSINESS) maxServed = Math.max(maxServed, family(families, name)?.samples.length ?? 0);
        const pushed = await pushedIds();
        maxPushed = Math.max(maxPushed, pushed.size);
        assert.deepEqual(pushed, ids(families, MRR), 'the push exports the businesses the scrape serves');
      }
    }
    assert.ok(maxServed > 0 && maxServed <= CAP, `served at most ${maxServed} series per gauge`);
    assert.ok(maxPushed > 0 && maxPushed <= CAP, `pushed at most ${maxPushed} series per gauge`);

    // A quiet minute and a bit: everything not updated since expires, except what is touched now.
    clock.ms += 30_000;
    for (const businessId of ['biz-99990', 'biz-99997', 'biz-99999']) {
      m.revenueProjected({ businessId, businessType: 'saas', mrrUsd: 7, confidence: 0.9 });
      touch(businessId, 7);
    }
    const { families } = await scrape(telemetry.url as string);
    const live = ids(families, MRR);
    const within = [...expected].filter(([, e]) => clock.ms - e.at <= TTL_SECONDS * 1000);
    assert.ok(within.length > CAP, 'more live businesses than the series cap, so the cap is what decides');
    assert.deepEqual(
      [...live].sort(),
      within
        .slice(-CAP)
        .map(([id]) => id)
        .sort(),
      'exactly the most recently updated live businesses are served',
    );
    assert.deepEqual([...(await pushedIds())].sort(), [...live].sort(), 'the push agrees after expiry and takedowns');
    assert.equal(value(families, MRR, { business_id: 'biz-99999' }), 7, 'the latest value is served');
    assert.equal(value(families, CONFIDENCE, { business_id: 'biz-99999' }), 0.9);
    // The aggregates count every live business, those past the series cap too.
    const sum = (name: string) => (family(families, name)?.samples ?? []).reduce((total, s) => total + s.value, 0);
    assert.equal(sum('genesis_meta_agent_live_businesses'), within.length);
    assert.equal(
      sum('genesis_meta_agent_portfolio_projected_mrr'),
      within.reduce((total, [, e]) => total + e.mrrUsd, 0),
    );

    clock.ms += (TTL_SECONDS + 1) * 1000;
    m.revenueProjected({ businessId: 'biz-fresh', businessType: 'saas', mrrUsd: 1, confidence: 1 });
    const later = (await scrape(telemetry.url as string)).families;
    assert.deepEqual([...ids(later, MRR)], ['biz-fresh'], 'all else expired');
    assert.deepEqual([...(await pushedIds())], ['biz-fresh'], 'expired from the push too');
    assert.equal(family(later, HEALTH), undefined, 'no health series are left');

    const removed = (reason: string) => value(later, 'genesis_telemetry_series_removed_total', { reason }) ?? 0;
    assert.equal(removed('taken_down'), takenDown.size);
    assert.ok(removed('evicted') > 0 && removed('expired') > 0);
    assert.equal(removed('forgotten'), 0, 'the tracked cap (100,000 by default) was never reached');
    // Eviction takes a business's series only; each business leaves the adapter's memory exactly once.
    assert.equal(removed('taken_down') + removed('expired') + 1, 100_000 + 1, 'every business is accounted for');
  });

  it('removes all three series of a business at once when it is taken down', async () => {
    const m = telemetry.metrics;
    m.revenueProjected({ businessId: 'biz-gone', businessType: 'saas', mrrUsd: 10, confidence: 0.5 });
    m.businessHealth({ businessId: 'biz-gone', businessType: 'saas', score: 0.5 });
    const before = (await scrape(telemetry.url as string)).families;
    for (const name of PER_BUSINESS) assert.ok(ids(before, name).has('biz-gone'), name);
    m.businessTakenDown({ businessId: 'biz-gone', status: 'success' });
    const afterTakedown = (await scrape(telemetry.url as string)).families;
    for (const name of PER_BUSINESS) assert.ok(!ids(afterTakedown, name).has('biz-gone'), name);
  });

  it('keeps at most maxUserIds users, then records __overflow__ and says so once', async () => {
    for (let i = 0; i < 80; i++) telemetry.metrics.quotaDenied(`user-${i}`);
    telemetry.metrics.quotaDenied('user-3');
    const { families } = await scrape(telemetry.url as string);
    const users = family(families, 'genesis_meta_agent_quota_denied_total')?.samples.map((s) => s.labels.user_id) ?? [];
    assert.equal(users.length, 51);
    assert.equal(value(families, 'genesis_meta_agent_quota_denied_total', { user_id: 'user-3' }), 2);
    assert.equal(value(families, 'genesis_meta_agent_quota_denied_total', { user_id: '__overflow__' }), 30);
    assert.equal(value(families, 'genesis_telemetry_series_overflows_total', { instrument: 'genesis_meta_agent_quota_denied' }), 30);
    const said = logger.lines.filter((line) => line.includes('reached its limit of 50 series'));
    assert.equal(said.length, 1, logger.lines.join('\n'));
  });

  it('maps an unknown business type to other in the aggregates, and counts it', async () => {
    telemetry.metrics.revenueProjected({ businessId: 'biz-odd', businessType: 'space' as never, mrrUsd: 5, confidence: 0.5 });
    const { families } = await scrape(telemetry.url as string);
    assert.equal(value(families, 'genesis_meta_agent_portfolio_projected_mrr', { business_type: 'other' }), 5);
    assert.ok(
      (value(families, 'genesis_telemetry_dropped_measurements_total', { instrument: MRR, reason: 'unknown_label_value' }) ?? 0) >= 1,
    );
  });

  it("makes the SDK's own overflow visible for instruments outside the catalog", async () => {
    const counter = telemetry.getMeter('my-app')?.createCounter('my_app_requests');
    for (let i = 0; i < 2100; i++) counter?.add(1, { path: `/p/${i}` });
    const { families } = await scrape(telemetry.url as string);
    assert.ok(value(families, 'my_app_requests_total', { otel_metric_overflow: 'true' }) !== undefined, 'the SDK overflowed');
    // The watch sees a collection once it is made, so its count shows from the next one on.
    const next = (await scrape(telemetry.url as string)).families;
    assert.equal(value(next, 'genesis_telemetry_series_overflows_total', { instrument: 'other' }), 1);
    const later = (await scrape(telemetry.url as string)).families;
    assert.equal(value(later, 'genesis_telemetry_series_overflows_total', { instrument: 'other' }), 1, 'scrapes are not counted');
    assert.equal(logger.lines.filter((line) => line.includes('my_app_requests: reached its limit of 2000 series')).length, 1);
  });
});

describe('per-business series and aggregates under churn past the tracked cap (no expiry)', () => {
  const SERIES_CAP = 40;
  const TRACKED_CAP = 150;

  it('never serves more than either cap, counts evicted and forgotten as documented, and sums the tracked businesses', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      env: {},
      logger: captureLogger(),
      maxBusinessSeries: SERIES_CAP,
      maxTrackedBusinesses: TRACKED_CAP,
      businessSeriesTtlSeconds: 0,
    });
    const m = telemetry.metrics;
    // The README's rules, kept by hand. Maps in insertion order, oldest first: an update re-inserts.
    // Series: the most recently updated, at most SERIES_CAP; past it the oldest loses its series ("evicted") and stays
    // tracked. Tracked: at most TRACKED_CAP; past it the least recently updated is "forgotten", series and all.
    const served = new Map<string, true>();
    const tracked = new Map<string, { businessType: string; mrrUsd: number }>();
    const counted = { evicted: 0, forgotten: 0, taken_down: 0 };
    let entered = 0;
    const update = (businessId: string, businessType: (typeof BUSINESS_TYPES)[number], mrrUsd: number) => {
      m.revenueProjected({ businessId, businessType, mrrUsd, confidence: 0.5 });
      m.businessHealth({ businessId, businessType, score: 0.8 }); // a second update of the same business: the order holds
      if (!tracked.delete(businessId)) entered++;
      tracked.set(businessId, { businessType, mrrUsd });
      served.delete(businessId);
      served.set(businessId, true);
      if (served.size > SERIES_CAP) {
        served.delete(served.keys().next().value as string);
        counted.evicted++;
      }
      if (tracked.size > TRACKED_CAP) {
        const oldest = tracked.keys().next().value as string;
        tracked.delete(oldest);
        served.delete(oldest);
        counted.forgotten++;
      }
    };
    const takeDown = (businessId: string) => {
      m.businessTakenDown({ businessId, status: 'success' });
      served.delete(businessId);
      if (tracked.delete(businessId)) counted.taken_down++;
    };
    const type = (i: number) => BUSINESS_TYPES[i % BUSINESS_TYPES.length] ?? 'saas';

    let scrapes = 0;
    for (let i = 0; i < 20_000; i++) {
      update(`biz-${i}`, type(i), i % 1000);
      if (i % 3 === 0 && i >= 100) update(`biz-${i - 100}`, type(i - 100), 7); // tracked, past the series cap: its series come back
      if (i % 5 === 0 && i >= 1000) update(`biz-${i - 1000}`, type(i - 1000), 3); // long forgotten: tracked anew
      if (i % 7 === 0 && i >= 10) takeDown(`biz-${i - 10}`); // one with series
      if (i % 11 === 0 && i >= 120) takeDown(`biz-${i - 120}`); // one tracked without series, or gone already
      if (i % 1000 !== 999) continue;

      const { families } = await scrape(telemetry.url as string);
      scrapes++;
      const at = `after ${i + 1} businesses`;
      for (const name of PER_BUSINESS) {
        assert.ok((family(families, name)?.samples.length ?? 0) <= SERIES_CAP, `${at}: ${name} within the series cap`);
      }
      for (const name of [MRR, HEALTH]) {
        assert.deepEqual([...ids(families, name)].sort(), [...served.keys()].sort(), `${at}: ${name} of the most recently updated`);
      }
      const live = (family(families, 'genesis_meta_agent_live_businesses')?.samples ?? []).reduce((n, s) => n + s.value, 0);
      assert.equal(live, tracked.size, `${at}: the aggregates count every tracked business`);
      assert.ok(live <= TRACKED_CAP, `${at}: ${live} tracked, within the tracked cap`);
      for (const businessType of BUSINESS_TYPES) {
        const ofType = [...tracked.values()].filter((b) => b.businessType === businessType);
        assert.equal(
          value(families, 'genesis_meta_agent_portfolio_projected_mrr', { business_type: businessType }),
          ofType.reduce((sum, b) => sum + b.mrrUsd, 0),
          `${at}: projected MRR of ${businessType} is the sum of its tracked businesses`,
        );
      }
      const removed = (reason: string) => value(families, 'genesis_telemetry_series_removed_total', { reason }) ?? 0;
      assert.deepEqual(
        { evicted: removed('evicted'), forgotten: removed('forgotten'), taken_down: removed('taken_down') },
        counted,
        `${at}: the removal counters`,
      );
      assert.equal(removed('expired'), 0, 'no TTL, nothing expires');
      // Eviction takes series only; a business leaves the adapter's memory once, by takedown or by being forgotten.
      assert.equal(removed('taken_down') + removed('forgotten') + live, entered, `${at}: every business is accounted for`);
    }
    assert.equal(scrapes, 20);
    assert.ok(counted.forgotten > 10_000 && counted.evicted > counted.forgotten, 'both caps did the work');
    await telemetry.shutdown();
  });
});

describe('aggregates and switches', () => {
  it('serve aggregates equal to the per-business values they summarise', async () => {
    const telemetry = await startTelemetry({ port: 0, env: {}, logger: captureLogger() });
    const m = telemetry.metrics;
    const scores = [0.1, 0.3, 0.6, 0.9, 0.95];
    scores.forEach((score, i) => {
      const businessId = `b-${i}`;
      m.revenueProjected({ businessId, businessType: i < 3 ? 'saas' : 'newsletter', mrrUsd: 100 * (i + 1), confidence: 0.5 });
      m.businessHealth({ businessId, businessType: i < 3 ? 'saas' : 'newsletter', score });
    });
    const { families } = await scrape(telemetry.url as string);
    const perBusiness = family(families, MRR)?.samples ?? [];
    const total = perBusiness.reduce((sum, s) => sum + s.value, 0);
    const aggregate = family(families, 'genesis_meta_agent_portfolio_projected_mrr')?.samples.reduce((sum, s) => sum + s.value, 0);
    assert.equal(aggregate, total);
    assert.equal(value(families, 'genesis_meta_agent_portfolio_projected_mrr', { business_type: 'saas' }), 600);
    const live = (type: string, health: string) => value(families, 'genesis_meta_agent_live_businesses', { business_type: type, health });
    assert.deepEqual([live('saas', 'critical'), live('saas', 'poor'), live('saas', 'fair'), live('newsletter', 'good')], [1, 1, 1, 2]);
    assert.equal(live('ecommerce', 'good'), 0, 'empty combinations are served as 0, not left stale');
    await telemetry.shutdown();
  });

  it('serve no per-business series when switched off, and still the aggregates of every business', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      env: { GENESIS_BUSINESS_SERIES_ENABLED: 'false' },
      maxBusinessSeries: 10,
      logger: captureLogger(),
    });
    for (let i = 0; i < 25; i++)
      telemetry.metrics.revenueProjected({ businessId: `b-${i}`, businessType: 'saas', mrrUsd: 40, confidence: 0.5 });
    const { families } = await scrape(telemetry.url as string);
    assert.equal(family(families, MRR), undefined);
    assert.equal(value(families, 'genesis_meta_agent_portfolio_projected_mrr', { business_type: 'saas' }), 25 * 40);
    assert.equal(value(families, 'genesis_meta_agent_live_businesses', { business_type: 'saas', health: 'unknown' }), 25);
    assert.equal(value(families, 'genesis_telemetry_series_removed_total', { reason: 'evicted' }), undefined, 'no series to evict');
    await telemetry.shutdown();
  });

  it('count businesses past the series cap in the aggregates, and forget the oldest past the tracked cap', async () => {
    const telemetry = await startTelemetry({ port: 0, env: {}, maxBusinessSeries: 10, maxTrackedBusinesses: 20, logger: captureLogger() });
    for (let i = 0; i < 25; i++)
      telemetry.metrics.revenueProjected({ businessId: `b-${i}`, businessType: 'saas', mrrUsd: i, confidence: 0.5 });
    const { families } = await scrape(telemetry.url as string);
    assert.deepEqual([...ids(families, MRR)].sort(), Array.from({ length: 10 }, (_, i) => `b-${15 + i}`).sort());
    // b-5 .. b-24 are tracked: 5 + 6 + ... + 24.
    assert.equal(value(families, 'genesis_meta_agent_portfolio_projected_mrr', { business_type: 'saas' }), 290);
    const removed = (reason: string) => value(families, 'genesis_telemetry_series_removed_total', { reason });
    assert.deepEqual([removed('evicted'), removed('forgotten')], [15, 5]);
    await telemetry.shutdown();
  });

  it('refuse a tracked cap below the series cap, naming both settings', async () => {
    await assert.rejects(
      startTelemetry({ port: 0, env: { GENESIS_BUSINESS_TRACKED_MAX: '10' }, maxBusinessSeries: 20, logger: captureLogger() }),
      /GENESIS_BUSINESS_TRACKED_MAX \(10\) must be at least the series cap GENESIS_BUSINESS_SERIES_MAX/,
    );
  });
});

describe("a push export (periodic reader) with the application's own SDK", () => {
  let receiver: OtlpJsonReceiver;
  before(async () => {
    receiver = await startOtlpJsonReceiver();
  });
  after(() => receiver.close());

  it('holds no more than the cap, and no business taken down or expired', async () => {
    const clock = { ms: 0 };
    const own = ownMeterProvider({ now: () => clock.ms, maxBusinessSeries: 100, businessSeriesTtlSeconds: 10 });
    // The application's own OTLP exporter and reader, to a real HTTP receiver: what leaves the process is what is checked.
    const exporter = new OTLPMetricExporter({ url: `${receiver.url}/v1/metrics` });
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 3_600_000,
      metricProducers: [createBusinessMetricProducer(own.businessSeries)],
    });
    const provider = new MeterProvider({ readers: [reader] });
    const metrics = createGenesisMetrics({ meter: provider.getMeter('app'), businessSeries: own.businessSeries, logger: captureLogger() });
    for (let i = 0; i < 10_000; i++) {
      clock.ms += 5;
      metrics.revenueProjected({ businessId: `b-${i}`, businessType: 'saas', mrrUsd: 1, confidence: 0.5 });
      if (i % 2 === 0) metrics.businessTakenDown({ businessId: `b-${i}`, status: 'success' });
    }
    await reader.forceFlush();
    const exported = receiver.received.at(-1);
    assert.ok(exported !== undefined, 'the flush reached the receiver');
    const points = metricsByName(decodeOtlpJson(exported.body)).get(MRR)?.points ?? [];
    assert.ok(points.length > 0 && points.length <= 100, `${points.length} series exported`);
    assert.ok(
      points.every((p) => Number(String(p.attributes.business_id).slice(2)) % 2 === 1),
      'no taken-down business',
    );
    assert.ok(
      points.every((p) => Number(String(p.attributes.business_id).slice(2)) >= 10_000 - 2000),
      'none older than the TTL',
    );
    await provider.shutdown();
    await own.provider.shutdown();
  });
});
