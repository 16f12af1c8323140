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

/**
 * The store's documented rules written the plain way, with Maps in insertion
 * order and O(n) scans: what the store must do, whatever its data structure.
 */
class PlainModel {
  readonly served = new Map<string, number>();
  readonly beyond = new Map<string, number>();
  readonly removed: Record<string, number> = {};
  readonly ttlMs: number;
  readonly maxBusinesses: number;
  readonly maxTracked: number;
  constructor(ttlMs: number, maxBusinesses: number, maxTracked: number) {
    this.ttlMs = ttlMs;
    this.maxBusinesses = maxBusinesses;
    this.maxTracked = maxTracked;
  }

  update(id: string, now: number): void {
    if (!this.served.delete(id)) this.beyond.delete(id);
    (this.maxBusinesses > 0 ? this.served : this.beyond).set(id, now);
    if (this.served.size > this.maxBusinesses) {
      const [oldest, at] = [...this.served][0] as [string, number];
      this.served.delete(oldest);
      this.beyond.set(oldest, at);
      this.count('evicted');
    }
    while (this.served.size + this.beyond.size > this.maxTracked) {
      const map = this.beyond.size > 0 ? this.beyond : this.served;
      map.delete([...map.keys()][0] as string);
      this.count('forgotten');
    }
    this.expire(now, 2);
  }

  remove(id: string): boolean {
    const removed = this.served.delete(id) || this.beyond.delete(id);
    if (removed) this.count('taken_down');
    return removed;
  }

  expire(now: number, atMost: number): void {
    let expired = 0;
    for (const map of [this.beyond, this.served]) {
      for (const [id, at] of [...map]) {
        if (expired >= atMost || now - at <= this.ttlMs) break;
        map.delete(id);
        expired++;
        this.count('expired');
      }
    }
  }

  count(reason: string): void {
    this.removed[reason] = (this.removed[reason] ?? 0) + 1;
  }
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('BusinessSeriesStore against the plain model', () => {
  for (const [ttlSeconds, maxBusinesses, maxTracked] of [
    [5, 4, 12],
    [0, 4, 12],
    [5, 0, 9],
    [0, 6, 6],
  ] as const) {
    it(`agrees on every step of random updates, takedowns and sweeps (TTL ${ttlSeconds} s, caps ${maxBusinesses} / ${maxTracked})`, () => {
      const { store, clock, removed, ids, tracked } = storeWithClock(ttlSeconds, maxBusinesses, maxTracked);
      const model = new PlainModel(ttlSeconds > 0 ? ttlSeconds * 1000 : Number.POSITIVE_INFINITY, maxBusinesses, maxTracked);
      const next = random(ttlSeconds * 1000 + maxBusinesses * 100 + maxTracked);
      for (let step = 0; step < 5000; step++) {
        clock.ms += Math.floor(next() * 700);
        const id = `b-${Math.floor(next() * 30)}`;
        const roll = next();
        if (roll < 0.7) {
          store.update(id, 'saas', { mrrUsd: step });
          model.update(id, clock.ms);
        } else if (roll < 0.95) {
          assert.equal(store.remove(id), model.remove(id), `step ${step}: remove ${id}`);
        } else {
          store.sweep();
          model.expire(clock.ms, Number.POSITIVE_INFINITY);
        }
        assert.deepEqual(ids(), [...model.served.keys()], `step ${step}: the served, oldest first`);
        assert.deepEqual(tracked(), [...model.beyond.keys(), ...model.served.keys()], `step ${step}: the tracked, oldest first`);
        assert.deepEqual([store.size, store.trackedSize], [model.served.size, model.served.size + model.beyond.size]);
        assert.deepEqual(removed, model.removed, `step ${step}: the removal counts`);
      }
    });
  }
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
