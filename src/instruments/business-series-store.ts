/**
 * The bounded memory behind the per-business gauges. One record per live
 * business; a record leaves when the business is taken down, when it has not
 * been updated for the TTL, or, past the cap, least recently updated first.
 *
 * A Map keeps insertion order, and every update re-inserts its record, so the
 * first entries are always the least recently updated: expiry and eviction
 * both take from the front, in O(1) per removed record.
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
  /** Seconds without an update after which a business's series expire; 0 never expires. */
  ttlSeconds: number;
  /** Live businesses kept at most; past it the least recently updated is evicted. */
  maxBusinesses: number;
  /** The clock, in milliseconds. @default performance.now */
  now?: () => number;
}

export type RemovalListener = (reason: SeriesRemovalReason, count: number) => void;

export class BusinessSeriesStore {
  readonly ttlSeconds: number;
  readonly maxBusinesses: number;
  /**
   * The catalog series the adapter keeps itself. They travel with the store
   * because the store is what the producer and the recording API share (see
   * createBusinessMetricProducer).
   */
  readonly cells = new CellRegistry();
  readonly #records = new Map<string, BusinessRecord>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #onRemoved: RemovalListener = () => {};

  constructor(options: BusinessSeriesStoreOptions) {
    this.ttlSeconds = options.ttlSeconds;
    this.maxBusinesses = options.maxBusinesses;
    this.#ttlMs = options.ttlSeconds > 0 ? options.ttlSeconds * 1000 : Number.POSITIVE_INFINITY;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Sets who is told how many records left, and why (the adapter's removal counter). */
  onRemoved(listener: RemovalListener): void {
    this.#onRemoved = listener;
  }

  get size(): number {
    return this.#records.size;
  }

  /** Records new values for a business, making it the most recently updated. */
  update(id: string, businessType: string, update: BusinessUpdate): void {
    const now = this.#now();
    let record = this.#records.get(id);
    if (record === undefined) {
      record = { id, businessType, mrrUsd: undefined, confidence: undefined, healthScore: undefined, updatedAt: now };
    } else {
      this.#records.delete(id);
    }
    record.businessType = businessType;
    if (update.mrrUsd !== undefined) record.mrrUsd = update.mrrUsd;
    if (update.confidence !== undefined) record.confidence = update.confidence;
    if (update.healthScore !== undefined) record.healthScore = update.healthScore;
    record.updatedAt = now;
    this.#records.set(id, record);
    if (this.#records.size > this.maxBusinesses) this.#removeOldest(this.#records.size - this.maxBusinesses, 'evicted');
    // Expire a little on every write too, so memory follows the TTL between collections.
    this.#expire(now, 2);
  }

  /** Forgets a business at once (it was taken down). Returns whether it was live. */
  remove(id: string): boolean {
    const removed = this.#records.delete(id);
    if (removed) this.#onRemoved('taken_down', 1);
    return removed;
  }

  /** Drops every record older than the TTL. Call before reading. */
  sweep(): void {
    this.#expire(this.#now(), Number.POSITIVE_INFINITY);
  }

  /** The live records, least recently updated first. Sweep first for an exact view. */
  records(): IterableIterator<BusinessRecord> {
    return this.#records.values();
  }

  #expire(now: number, atMost: number): void {
    let expired = 0;
    for (const record of this.#records.values()) {
      if (expired >= atMost || now - record.updatedAt <= this.#ttlMs) break;
      this.#records.delete(record.id);
      expired++;
    }
    if (expired > 0) this.#onRemoved('expired', expired);
  }

  #removeOldest(count: number, reason: SeriesRemovalReason): void {
    let removed = 0;
    for (const id of this.#records.keys()) {
      if (removed >= count) break;
      this.#records.delete(id);
      removed++;
    }
    if (removed > 0) this.#onRemoved(reason, removed);
  }
}
