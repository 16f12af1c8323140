/**
 * The notifier's writes to the outbox, which never throw and never block for
 * long. Each is tried at once; when the file fails (another process holds the
 * write lock past the short busy timeout, the disk is full), the write is kept
 * in memory instead and retried in the background, with backoff, in order.
 * While any write waits, later ones wait behind it without touching the file:
 * one notify() pays the busy timeout, the next ones pay nothing, and the rows
 * still reach the file in acceptance order (the order per business the
 * drainer relies on).
 *
 * A kept write is one entry per event, holding the state the event must end
 * in on disk; a later change of the same event updates the entry, so an event
 * delivered before the file came back is never written at all.
 */

import type { Outbox, OutboxRecord } from './outbox.ts';
import { classifyOutboxFailure, type OutboxFailure } from './outbox-failure.ts';

interface Kept {
  readonly businessId: string;
  /** The row to insert first, unless it is on disk already. */
  readonly insert: { readonly record: OutboxRecord; readonly expiresAt: number } | undefined;
  state: 'live' | 'waiting' | 'dead' | 'delivered';
  /** Set by toWaiting/toDead: the update to apply after the insert. */
  update: { readonly attempts: number; readonly nextAttemptAt: number; readonly lastError: string | null } | undefined;
}

export interface OutboxWriterOptions {
  /** Events kept in memory at most while the file fails; add() refuses more. */
  readonly maxKept: number;
  /** A write failed (called for each failure; the owner logs once per kind). */
  readonly onFailure: (failure: OutboxFailure) => void;
  /** Every kept write reached the file. */
  readonly onCaughtUp: (written: number) => void;
}

/** The first retry of kept writes comes after this; each failed retry doubles it, up to the maximum. */
const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 5000;

export class OutboxWriter {
  readonly #outbox: Outbox;
  readonly #options: OutboxWriterOptions;
  /** By event id, in the order the writes were asked for (a Map keeps insertion order). */
  readonly #kept = new Map<string, Kept>();
  /** Businesses with a kept event bound for the waiting line: a newer event of theirs must not overtake it. */
  readonly #waiting = new Map<string, number>();
  #retryMs = RETRY_BASE_MS;
  #timer: NodeJS.Timeout | undefined;
  #written = 0;

  constructor(outbox: Outbox, options: OutboxWriterOptions) {
    this.#outbox = outbox;
    this.#options = options;
  }

  /** Writes kept in memory: new events, and changes of rows already on disk. */
  get kept(): number {
    return this.#kept.size;
  }

  /** Events accepted but not on disk yet (in memory only: a crash would lose them). */
  get notOnDisk(): number {
    let count = 0;
    for (const entry of this.#kept.values()) if (entry.insert !== undefined) count += 1;
    return count;
  }

  hasWaiting(businessId: string): boolean {
    return this.#waiting.has(businessId);
  }

  /** Writes a new event, or keeps it; false only when too many are kept already (the caller drops it). */
  add(record: OutboxRecord, state: 'live' | 'waiting', expiresAt: number): boolean {
    if (this.#kept.size === 0 && this.#try(() => this.#outbox.add(record, state, expiresAt))) return true;
    if (this.#kept.size >= this.#options.maxKept) return false;
    this.#keep(record.id, { businessId: record.businessId, insert: { record, expiresAt }, state, update: undefined });
    return true;
  }

  delivered(id: string, businessId: string): void {
    this.#change(id, businessId, 'delivered', undefined, () => this.#outbox.delivered(id, businessId));
  }

  toWaiting(id: string, businessId: string, attempts: number, nextAttemptAt: number, lastError: string | null): void {
    this.#change(id, businessId, 'waiting', { attempts, nextAttemptAt, lastError }, () =>
      this.#outbox.toWaiting(id, businessId, attempts, nextAttemptAt, lastError),
    );
  }

  toDead(id: string, businessId: string, attempts: number, lastError: string): void {
    this.#change(id, businessId, 'dead', { attempts, nextAttemptAt: 0, lastError }, () =>
      this.#outbox.toDead(id, businessId, attempts, lastError),
    );
  }

  /** At shutdown: what this process held in memory is for the next run (as Outbox.releaseLive does on disk). Returns how many. */
  releaseLive(): number {
    let released = 0;
    for (const entry of this.#kept.values()) {
      if (entry.state !== 'live') continue;
      this.#setState(entry, 'waiting');
      released += 1;
    }
    return released;
  }

  /** Writes what is kept, in order, until the first failure; true when nothing is left. */
  flush(): boolean {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [id, entry] of this.#kept) {
      if (!this.#try(() => this.#apply(id, entry))) {
        this.#schedule();
        return false;
      }
      this.#forget(id, entry);
      if (entry.state !== 'delivered') this.#written += 1;
    }
    this.#retryMs = RETRY_BASE_MS;
    if (this.#written > 0) this.#options.onCaughtUp(this.#written);
    this.#written = 0;
    return true;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #change(id: string, businessId: string, state: Kept['state'], update: Kept['update'], write: () => void): void {
    const entry = this.#kept.get(id);
    if (entry !== undefined) {
      // Not on disk yet: the entry now says where it must end up; delivered and never written, it is simply gone.
      if (state === 'delivered' && entry.insert !== undefined) this.#forget(id, entry);
      else {
        entry.update = update;
        this.#setState(entry, state);
      }
      return;
    }
    if (this.#kept.size === 0 && this.#try(write)) return;
    this.#keep(id, { businessId, insert: undefined, state, update });
  }

  /** Every step is idempotent (INSERT OR IGNORE, UPDATE, DELETE), so a write half done before a failure is redone whole. */
  #apply(id: string, entry: Kept): void {
    const { businessId, insert, state, update } = entry;
    if (insert !== undefined) this.#outbox.add(insert.record, state === 'live' ? 'live' : 'waiting', insert.expiresAt);
    if (state === 'delivered') this.#outbox.delivered(id, businessId);
    else if (state === 'waiting' && update !== undefined)
      this.#outbox.toWaiting(id, businessId, update.attempts, update.nextAttemptAt, update.lastError);
    else if (state === 'dead' && update !== undefined) this.#outbox.toDead(id, businessId, update.attempts, update.lastError ?? '');
  }

  #keep(id: string, entry: Kept): void {
    this.#kept.set(id, entry);
    if (entry.state === 'waiting') this.#countWaiting(entry.businessId, 1);
    this.#schedule();
  }

  #forget(id: string, entry: Kept): void {
    this.#kept.delete(id);
    if (entry.state === 'waiting') this.#countWaiting(entry.businessId, -1);
  }

  #setState(entry: Kept, state: Kept['state']): void {
    if (entry.state === 'waiting') this.#countWaiting(entry.businessId, -1);
    entry.state = state;
    if (state === 'waiting') this.#countWaiting(entry.businessId, 1);
  }

  #countWaiting(businessId: string, change: number): void {
    const count = (this.#waiting.get(businessId) ?? 0) + change;
    if (count > 0) this.#waiting.set(businessId, count);
    else this.#waiting.delete(businessId);
  }

  #try(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      this.#options.onFailure(classifyOutboxFailure(error));
      return false;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.flush(), this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }
}
