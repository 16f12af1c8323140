/**
 * The bounded memory behind the per-business gauges and the portfolio
 * aggregates. One record per live business, found by id in one Map and linked
 * into one of two recency lists:
 *
 * - `served`: the most recently updated businesses, at most the series cap:
 *   each has its per-business series;
 * - `beyond`: live businesses pushed out of the series cap: no series of their
 *   own, but still counted in the aggregates (total MRR must not shrink
 *   because the per-business series are capped, or switched off).
 *
 * A record leaves both when the business is taken down, when it has not been
 * updated for the TTL, or, past the tracked cap, least recently updated
 * first. Every update moves its record to the back of `served`, and eviction
 * moves the front of `served` to the back of `beyond`, so each list's front is
 * its least recently updated, and every record `beyond` is older than every
 * record `served`: expiry, eviction and forgetting take from the fronts, in
 * O(1) per record. (A Map's insertion order is not used for this: see
 * recency-list.ts for why it is not O(1) under deletions.)
 */
import type { SeriesRemovalReason } from '../catalog/adapter-metrics.ts';
import { CellRegistry } from './cell-registry.ts';
import { type Linked, RecencyList } from './recency-list.ts';

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

/** A record as the store holds it: linked into the list it is in. */
interface StoredRecord extends BusinessRecord, Linked<StoredRecord> {
  list: RecencyList<StoredRecord>;
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
  readonly #byId = new Map<string, StoredRecord>();
  readonly #served = new RecencyList<StoredRecord>();
  readonly #beyond = new RecencyList<StoredRecord>();
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
    return this.#byId.size;
  }

  /** Records new values for a business, making it the most recently updated. */
  update(id: string, businessType: string, update: BusinessUpdate): void {
    const now = this.#now();
    let record = this.#byId.get(id);
    if (record === undefined) {
      // Every field in one literal, always in this order: one object shape for all records.
      record = {
        id,
        businessType,
        mrrUsd: undefined,
        confidence: undefined,
        healthScore: undefined,
        updatedAt: now,
        older: undefined,
        newer: undefined,
        list: this.#served,
      };
      this.#byId.set(id, record);
    } else {
      record.list.remove(record);
    }
    record.businessType = businessType;
    if (update.mrrUsd !== undefined) record.mrrUsd = update.mrrUsd;
    if (update.confidence !== undefined) record.confidence = update.confidence;
    if (update.healthScore !== undefined) record.healthScore = update.healthScore;
    record.updatedAt = now;
    this.#append(this.maxBusinesses > 0 ? this.#served : this.#beyond, record);
    if (this.#served.size > this.maxBusinesses) this.#evictOldestServed();
    if (this.trackedSize > this.maxTracked) this.#forgetOldest(this.trackedSize - this.maxTracked);
    // Expire a little on every write too, so memory follows the TTL between collections.
    this.#expire(now, 2);
  }

  /** Forgets a business at once (it was taken down). Returns whether it was live. */
  remove(id: string): boolean {
    const record = this.#byId.get(id);
    if (record === undefined) return false;
    this.#drop(record);
    this.#onRemoved('taken_down', 1);
    return true;
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

  #append(list: RecencyList<StoredRecord>, record: StoredRecord): void {
    record.list = list;
    list.pushNewest(record);
  }

  #drop(record: StoredRecord): void {
    record.list.remove(record);
    this.#byId.delete(record.id);
  }

  /** Its per-business series leave; the business stays in the aggregates. */
  #evictOldestServed(): void {
    const oldest = this.#served.oldest as StoredRecord;
    this.#served.remove(oldest);
    this.#append(this.#beyond, oldest); // newer than everything already beyond
    this.#onRemoved('evicted', 1);
  }

  /** Oldest first: those beyond the series cap, then (a cap below it is never set) the served. */
  #forgetOldest(count: number): void {
    let forgotten = this.#dropOldest(this.#beyond, count, Number.POSITIVE_INFINITY);
    forgotten += this.#dropOldest(this.#served, count - forgotten, Number.POSITIVE_INFINITY);
    if (forgotten > 0) this.#onRemoved('forgotten', forgotten);
  }

  #expire(now: number, atMost: number): void {
    const updatedBefore = now - this.#ttlMs;
    let expired = this.#dropOldest(this.#beyond, atMost, updatedBefore);
    expired += this.#dropOldest(this.#served, atMost - expired, updatedBefore);
    if (expired > 0) this.#onRemoved('expired', expired);
  }

  /** Drops up to `atMost` records from the front of `list` while they were last updated before `updatedBefore`; returns how many. */
  #dropOldest(list: RecencyList<StoredRecord>, atMost: number, updatedBefore: number): number {
    let dropped = 0;
    for (let oldest = list.oldest; oldest !== undefined && dropped < atMost && oldest.updatedAt < updatedBefore; oldest = list.oldest) {
      this.#drop(oldest);
      dropped++;
    }
    return dropped;
  }
}
