import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGenesisConfigError } from '../../src/index.ts';
import { resolveSeriesBounds } from '../../src/instruments/business-series-options.ts';
import { BusinessSeriesStore } from '../../src/instruments/business-series-store.ts';
import { healthBand, summarisePortfolio } from '../../src/instruments/portfolio.ts';

function storeWithClock(ttlSeconds: number, maxBusinesses: number, maxTracked = 1000) {
  const clock = { ms: 0 };
  const removed: Record<string, number> = {};
  const store = new BusinessSeriesStore({ ttlSeconds, maxBusinesses, maxTracked, now: () => clock.ms });
  store.onRemoved((reason, count) => {
    removed[reason] = (removed[reason] ?? 0) + count;
  });
  const ids = () => [...store.records()].map((r) => r.id);
  const tracked = () => [...store.tracked()].map((r) => r.id);
  return { clock, removed, store, ids, tracked };
}

describe('BusinessSeriesStore', () => {
  it('keeps the latest values, and the least recently updated first', () => {
    const { store, ids } = storeWithClock(60, 10);
    store.update('a', 'saas', { mrrUsd: 10, confidence: 0.5 });
    store.update('b', 'saas', { healthScore: 0.9 });
    store.update('a', 'ecommerce', { mrrUsd: 12 });
    assert.deepEqual(ids(), ['b', 'a']);
    const a = [...store.records()].find((r) => r.id === 'a');
    assert.deepEqual([a?.businessType, a?.mrrUsd, a?.confidence, a?.healthScore], ['ecommerce', 12, 0.5, undefined]);
  });

  it("evicts the least recently updated's series past the cap, and counts it, but keeps tracking it", () => {
    const { store, ids, tracked, removed } = storeWithClock(60, 3);
    for (const id of ['a', 'b', 'c']) store.update(id, 'saas', { mrrUsd: 1 });
    store.update('a', 'saas', { mrrUsd: 2 });
    store.update('d', 'saas', { mrrUsd: 1 });
    assert.deepEqual(ids(), ['c', 'a', 'd']);
    assert.deepEqual(tracked(), ['b', 'c', 'a', 'd']);
    assert.deepEqual(removed, { evicted: 1 });
    store.update('b', 'saas', { mrrUsd: 3 });
    assert.deepEqual(ids(), ['a', 'd', 'b'], 'an update brings an evicted business back to the series');
    assert.deepEqual(tracked(), ['c', 'a', 'd', 'b']);
    assert.deepEqual(removed, { evicted: 2 });
  });

  it('forgets the least recently updated past the tracked cap, those without series first', () => {
    const { store, ids, tracked, removed } = storeWithClock(60, 2, 3);
    for (const id of ['a', 'b', 'c', 'd']) store.update(id, 'saas', { mrrUsd: 1 });
    assert.deepEqual(ids(), ['c', 'd']);
    assert.deepEqual(tracked(), ['b', 'c', 'd']);
    assert.deepEqual(removed, { evicted: 2, forgotten: 1 });
    assert.equal(store.remove('b'), true, 'a business without series can be taken down');
    assert.equal(store.trackedSize, 2);
  });

  it('keeps no series at a cap of 0 (per-business series off), and tracks every business', () => {
    const { store, ids, tracked, removed, clock } = storeWithClock(60, 0, 5);
    for (const id of ['a', 'b', 'c']) store.update(id, 'saas', { mrrUsd: 1 });
    assert.deepEqual(ids(), []);
    assert.deepEqual(tracked(), ['a', 'b', 'c']);
    assert.deepEqual(removed, {}, 'nothing evicted: there were no series');
    clock.ms = 61_000;
    store.sweep();
    assert.deepEqual(tracked(), []);
    assert.deepEqual(removed, { expired: 3 });
  });

  it('expires what was not updated within the TTL, on sweep and a little on every write', () => {
    const { store, ids, tracked, removed, clock } = storeWithClock(60, 2);
    for (const id of ['a', 'b', 'c', 'd']) store.update(id, 'saas', { mrrUsd: 1 });
    clock.ms = 30_000;
    store.update('c', 'saas', { mrrUsd: 1 });
    clock.ms = 61_000;
    store.sweep();
    assert.deepEqual(ids(), ['c']);
    assert.deepEqual(tracked(), ['c'], 'those past the series cap expire too');
    assert.deepEqual(removed, { evicted: 2, expired: 3 });
    clock.ms = 200_000;
    store.update('e', 'saas', {});
    assert.deepEqual(ids(), ['e'], 'a write expires the stale head');
  });

  it('never expires with a TTL of 0', () => {
    const { store, ids, clock } = storeWithClock(0, 100);
    store.update('a', 'saas', { mrrUsd: 1 });
    clock.ms = 1e12;
    store.sweep();
    assert.deepEqual(ids(), ['a']);
  });

  it('forgets a business taken down, and says whether it was live', () => {
    const { store, ids, removed } = storeWithClock(60, 100);
    store.update('a', 'saas', { mrrUsd: 1 });
    assert.equal(store.remove('a'), true);
    assert.equal(store.remove('a'), false);
    assert.deepEqual(ids(), []);
    assert.deepEqual(removed, { taken_down: 1 });
  });
});

describe('the portfolio summary', () => {
  it('bands health scores at 0.25, 0.5 and 0.75', () => {
    assert.deepEqual([0, 0.2499, 0.25, 0.5, 0.7499, 0.75, 1, undefined].map(healthBand), [
      'critical',
      'critical',
      'poor',
      'fair',
      'fair',
      'good',
      'good',
      'unknown',
    ]);
  });

  it('sums MRR and counts bands per type, with every combination present', () => {
    const { store } = storeWithClock(60, 100);
    store.update('a', 'saas', { mrrUsd: 100, healthScore: 0.9 });
    store.update('b', 'saas', { mrrUsd: 50, healthScore: 0.1 });
    store.update('c', 'other', { healthScore: 0.6 });
    const portfolio = summarisePortfolio(store);
    assert.equal(portfolio.mrrUsd.get('saas'), 150);
    assert.equal(portfolio.mrrUsd.get('newsletter'), 0);
    assert.equal(portfolio.live.get('saas')?.get('good'), 1);
    assert.equal(portfolio.live.get('saas')?.get('critical'), 1);
    assert.equal(portfolio.live.get('other')?.get('fair'), 1);
    assert.equal(portfolio.live.size, 11);
    assert.equal(
      [...portfolio.live.values()].reduce((n, bands) => n + bands.size, 0),
      55,
    );
  });
});

describe('the series bounds', () => {
  it('come from options, then GENESIS_BUSINESS_SERIES_TTL_SECONDS / _MAX and GENESIS_USER_ID_MAX, then defaults', () => {
    assert.deepEqual(resolveSeriesBounds({}, {}), { ttlSeconds: 21_600, maxBusinesses: 5000, maxTracked: 100_000, maxUserIds: 1000 });
    assert.deepEqual(
      resolveSeriesBounds(
        {},
        {
          GENESIS_BUSINESS_SERIES_TTL_SECONDS: '0',
          GENESIS_BUSINESS_SERIES_MAX: '20',
          GENESIS_BUSINESS_TRACKED_MAX: '30',
          GENESIS_USER_ID_MAX: '7',
        },
      ),
      { ttlSeconds: 0, maxBusinesses: 20, maxTracked: 30, maxUserIds: 7 },
    );
    assert.deepEqual(resolveSeriesBounds({ maxBusinessSeries: 3 }, { GENESIS_BUSINESS_SERIES_MAX: '20' }).maxBusinesses, 3);
    assert.equal(
      resolveSeriesBounds({ maxBusinessSeries: 200_000 }, {}).maxTracked,
      200_000,
      'the default tracked cap follows a larger series cap',
    );
    assert.equal(resolveSeriesBounds({}, { GENESIS_BUSINESS_SERIES_ENABLED: 'false' }).maxBusinesses, 0, 'series off: a cap of 0');
    assert.equal(resolveSeriesBounds({ perBusinessSeries: true }, { GENESIS_BUSINESS_SERIES_ENABLED: 'false' }).maxBusinesses, 5000);
  });

  it('refuse a bad value, naming the variable or option', () => {
    for (const [options, env, name] of [
      [{}, { GENESIS_BUSINESS_SERIES_MAX: '0' }, 'GENESIS_BUSINESS_SERIES_MAX'],
      [{}, { GENESIS_BUSINESS_SERIES_TTL_SECONDS: '1.5h' }, 'GENESIS_BUSINESS_SERIES_TTL_SECONDS'],
      [{ maxUserIds: -1 }, {}, 'maxUserIds'],
    ] as const) {
      assert.throws(
        () => resolveSeriesBounds(options, env),
        (error: unknown) =>
          isGenesisConfigError(error) && error.option === name && error.message.startsWith(`${name} must be a whole number`),
      );
    }
  });
});
