/**
 * The bounded memory behind the per-business gauges and the portfolio
 * aggregates. One record per live business, in one of two maps:
 *
 * - `served`: the most recently updated businesses, at most the series cap:
 *   each has its per-business series;
 * - `beyond`: live businesses pushed out of the series cap: no series of their
 *   own, but still counted in the aggregates (total MRR must not shrink
 *   because the per-business series are capped, or switched off).
 *
 * A record leaves both when the business is taken down, when it has not been
 * updated for the TTL, or, past the tracked cap, least recently updated
 * first. A Map keeps insertion order and every update re-inserts its record,
 * so each map's first entries are its least recently updated, and every
 * record `beyond` is older than every record `served`: expiry and eviction
 * take from the front, in O(1) per removed record.
 */
import type { SeriesRemovalReason } from '../catalog/adapter-metrics.ts';
import { CellRegistry } from './cell-registry.ts';

export interface BusinessRecord {
  readonly id: string;
  businessType: string;
  mrrUsd: number | undefined;
  confidence: number | undefined;
  healthScore: number | undefined;
  /** When it was last updated, on the store's clock (ms). */
  updatedAt: number;
}

export interface BusinessUpdate {
  mrrUsd?: number;
  confidence?: number;
  healthScore?: number;
}

export interface BusinessSeriesStoreOptions {
  /** Seconds without an update after which a business is forgotten; 0 never expires. */
  ttlSeconds: number;
  /** Businesses with per-business series at most (least recently updated evicted first); 0: no per-business series. */
  maxBusinesses: number;
  /** Live businesses tracked at most, for the aggregates. @default maxBusinesses */
  maxTracked?: number;
  /** The clock, in milliseconds. @default performance.now */
  now?: () => number;
}

export type RemovalListener = (reason: SeriesRemovalReason, count: number) => void;

export class BusinessSeriesStore {
  readonly ttlSeconds: number;
  readonly maxBusinesses: number;
  readonly maxTracked: number;
  /**
   * The catalog series the adapter keeps itself. They travel with the store
   * because the store is what the producer and the recording API share (see
   * createBusinessMetricProducer).
   */
  readonly cells = new CellRegistry();
  readonly #served = new Map<string, BusinessRecord>();
  readonly #beyond = new Map<string, BusinessRecord>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #onRemoved: RemovalListener = () => {};

  constructor(options: BusinessSeriesStoreOptions) {
    this.ttlSeconds = options.ttlSeconds;
    this.maxBusinesses = options.maxBusinesses;
    this.maxTracked = Math.max(options.maxTracked ?? options.maxBusinesses, options.maxBusinesses);
    this.#ttlMs = options.ttlSeconds > 0 ? options.ttlSeconds * 1000 : Number.POSITIVE_INFINITY;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Sets who is told how many records left, and why (the adapter's removal counter). */
  onRemoved(listener: RemovalListener): void {
    this.#onRemoved = listener;
  }

  /** Businesses with per-business series. */
  get size(): number {
    return this.#served.size;
  }

  /** Live businesses counted in the aggregates (those with series among them). */
  get trackedSize(): number {
    return this.#served.size + this.#beyond.size;
  }

  /** Records new values for a business, making it the most recently updated. */
  update(id: string, businessType: string, update: BusinessUpdate): void {
    const now = this.#now();
    let record = this.#served.get(id) ?? this.#beyond.get(id);
    if (record === undefined) {
      record = { id, businessType, mrrUsd: undefined, confidence: undefined, healthScore: undefined, updatedAt: now };
    } else if (!this.#served.delete(id)) {
      this.#beyond.delete(id);
    }
    record.businessType = businessType;
    if (update.mrrUsd !== undefined) record.mrrUsd = update.mrrUsd;
    if (update.confidence !== undefined) record.confidence = update.confidence;
    if (update.healthScore !== undefined) record.healthScore = update.healthScore;
    record.updatedAt = now;
    if (this.maxBusinesses > 0) {
      this.#served.set(id, record);
      if (this.#served.size > this.maxBusinesses) this.#evictOldestServed();
    } else {
      this.#beyond.set(id, record);
    }
    if (this.trackedSize > this.maxTracked) this.#forgetOldest(this.trackedSize - this.maxTracked);
    // Expire a little on every write too, so memory follows the TTL between collections.
    this.#expire(now, 2);
  }

  /** Forgets a business at once (it was taken down). Returns whether it was live. */
  remove(id: string): boolean {
    const removed = this.#served.delete(id) || this.#beyond.delete(id);
    if (removed) this.#onRemoved('taken_down', 1);
    return removed;
  }

  /** Drops every record older than the TTL. Call before reading. */
  sweep(): void {
    this.#expire(this.#now(), Number.POSITIVE_INFINITY);
  }

  /** The businesses with per-business series, least recently updated first. Sweep first for an exact view. */
  records(): IterableIterator<BusinessRecord> {
    return this.#served.values();
  }

  /** Every live business, for the aggregates, least recently updated first. Sweep first for an exact view. */
  *tracked(): Generator<BusinessRecord> {
    yield* this.#beyond.values();
    yield* this.#served.values();
  }

  /** Its per-business series leave; the business stays in the aggregates. */
  #evictOldestServed(): void {
    const oldest = this.#served.values().next().value as BusinessRecord;
    this.#served.delete(oldest.id);
    this.#beyond.set(oldest.id, oldest); // newer than everything already beyond
    this.#onRemoved('evicted', 1);
  }

  /** Oldest first: those beyond the series cap, then (a cap below it is never set) the served. */
  #forgetOldest(count: number): void {
    let forgotten = 0;
    for (const map of [this.#beyond, this.#served]) {
      for (const id of map.keys()) {
        if (forgotten >= count) break;
        map.delete(id);
        forgotten++;
      }
    }
    if (forgotten > 0) this.#onRemoved('forgotten', forgotten);
  }

  #expire(now: number, atMost: number): void {
    let expired = 0;
    for (const map of [this.#beyond, this.#served]) {
      for (const record of map.values()) {
        if (expired >= atMost || now - record.updatedAt <= this.#ttlMs) break;
        map.delete(record.id);
        expired++;
      }
    }
    if (expired > 0) this.#onRemoved('expired', expired);
  }
}
