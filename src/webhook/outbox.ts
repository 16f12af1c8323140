/**
 * The outbox: every accepted event on disk, in Node's built-in SQLite
 * (node:sqlite, no native build, no dependency). A row is `live` while this
 * process holds the event in memory, `waiting` once it is handed over for a
 * later retry, `dead` when it is past its maximum age or was refused; a
 * delivered event's row is deleted. WAL mode: a committed row survives a
 * crash of the process; with `fsync` also a power loss.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export const OUTBOX_FILE = 'outbox.sqlite';

export interface OutboxRecord {
  readonly id: string;
  readonly businessId: string;
  readonly updateType: string;
  readonly body: string;
  readonly acceptedAt: number;
}

export interface OutboxRow extends OutboxRecord {
  readonly state: 'live' | 'waiting' | 'dead';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly expiresAt: number;
  readonly lastError: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL,
  update_type TEXT NOT NULL, body TEXT NOT NULL, accepted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  state TEXT NOT NULL, owner INTEGER, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT);
CREATE INDEX IF NOT EXISTS events_by_state ON events (state, business_id, seq);`;

const COLUMNS = `id, business_id AS businessId, update_type AS updateType, body, accepted_at AS acceptedAt, state, attempts,
  next_attempt_at AS nextAttemptAt, expires_at AS expiresAt, last_error AS lastError`;

/** Loaded on first use, not at import: importing the SDK entry point costs nothing (and warns of nothing) without an outbox. */
function sqlite(): typeof import('node:sqlite') {
  return process.getBuiltinModule('node:sqlite');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export class Outbox {
  readonly dir: string;
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;
  /** Businesses with waiting events: a newer event of theirs must wait behind them. */
  readonly #waitingBusinesses = new Set<string>();

  constructor(dir: string, { fsync = false }: { fsync?: boolean } = {}) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.#db = new (sqlite().DatabaseSync)(join(dir, OUTBOX_FILE), { timeout: 5000 });
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${fsync ? 'FULL' : 'NORMAL'};${SCHEMA}`);
    this.#insert = this.#db.prepare(
      `INSERT OR IGNORE INTO events (id, business_id, update_type, body, accepted_at, expires_at, state, owner, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#update = this.#db.prepare(
      'UPDATE events SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, owner = NULL WHERE id = ?',
    );
    this.#delete = this.#db.prepare('DELETE FROM events WHERE id = ?');
    this.#recoverOrphans();
    this.#refreshWaiting();
  }

  /** Live rows of a process that is gone (a crash, a SIGKILL) are waiting now. */
  #recoverOrphans(): void {
    const owners = this.#db.prepare("SELECT DISTINCT owner FROM events WHERE state = 'live'").all();
    for (const { owner } of owners) {
      if (owner === process.pid || owner === null || !alive(Number(owner))) {
        this.#db.prepare("UPDATE events SET state = 'waiting', owner = NULL WHERE state = 'live' AND owner IS ?").run(owner ?? null);
      }
    }
  }

  /** Writes an accepted event; `live` is held by this process, `waiting` is for the drainer. */
  add(record: OutboxRecord, state: 'live' | 'waiting', expiresAt: number): void {
    const { id, businessId, updateType, body, acceptedAt } = record;
    this.#insert.run(id, businessId, updateType, body, acceptedAt, expiresAt, state, state === 'live' ? process.pid : null, 0);
    if (state === 'waiting') this.#waitingBusinesses.add(businessId);
  }

  hasWaiting(businessId: string): boolean {
    return this.#waitingBusinesses.has(businessId);
  }

  delivered(id: string, businessId: string): void {
    this.#delete.run(id);
    this.#forgetIfDone(businessId);
  }

  toWaiting(id: string, businessId: string, attempts: number, nextAttemptAt: number, lastError: string | null): void {
    this.#update.run('waiting', attempts, nextAttemptAt, lastError, id);
    this.#waitingBusinesses.add(businessId);
  }

  toDead(id: string, businessId: string, attempts: number, lastError: string): void {
    this.#update.run('dead', attempts, 0, lastError, id);
    this.#forgetIfDone(businessId);
  }

  #forgetIfDone(businessId: string): void {
    if (!this.#waitingBusinesses.has(businessId)) return;
    const more = this.#db.prepare("SELECT 1 FROM events WHERE state = 'waiting' AND business_id = ? LIMIT 1").get(businessId);
    if (more === undefined) this.#waitingBusinesses.delete(businessId);
  }

  /** The oldest waiting event of each business, if due: delivering heads only keeps each business in order. */
  dueHeads(now: number, limit: number): OutboxRow[] {
    return this.#db
      .prepare(
        `SELECT ${COLUMNS} FROM events WHERE seq IN (SELECT MIN(seq) FROM events WHERE state = 'waiting' GROUP BY business_id)
         AND next_attempt_at <= ? ORDER BY seq LIMIT ?`,
      )
      .all(now, limit) as unknown as OutboxRow[];
  }

  /** Waiting events past their maximum age become dead letters; returns them. */
  expire(now: number): OutboxRow[] {
    const rows = this.#db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE state = 'waiting' AND expires_at <= ?`)
      .all(now) as unknown as OutboxRow[];
    for (const row of rows)
      this.toDead(row.id, row.businessId, row.attempts, `past the maximum age (last error: ${row.lastError ?? 'none'})`);
    return rows;
  }

  stats(now: number): { waiting: number; dead: number; oldestAgeSeconds: number } {
    const row = this.#db
      .prepare(
        "SELECT SUM(state = 'waiting') AS waiting, SUM(state = 'dead') AS dead, MIN(CASE WHEN state = 'waiting' THEN accepted_at END) AS oldest FROM events",
      )
      .get() as { waiting: number | null; dead: number | null; oldest: number | null };
    return {
      waiting: row.waiting ?? 0,
      dead: row.dead ?? 0,
      oldestAgeSeconds: row.oldest === null ? 0 : Math.max(0, (now - row.oldest) / 1000),
    };
  }

  list(state: 'waiting' | 'dead' | 'all', limit = 1000): OutboxRow[] {
    const where = state === 'all' ? "state != 'live'" : 'state = ?';
    const statement = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE ${where} ORDER BY seq LIMIT ?`);
    return (state === 'all' ? statement.all(limit) : statement.all(state, limit)) as unknown as OutboxRow[];
  }

  /** Dead letters back to waiting, due now, with a fresh maximum age; all of them when `ids` is undefined. */
  requeue(ids: readonly string[] | undefined, now: number, maxAgeMs: number): number {
    const set = "SET state = 'waiting', attempts = 0, next_attempt_at = ?, expires_at = ?, last_error = NULL";
    let changed = 0;
    if (ids === undefined) {
      changed = Number(this.#db.prepare(`UPDATE events ${set} WHERE state = 'dead'`).run(now, now + maxAgeMs).changes);
    } else {
      const one = this.#db.prepare(`UPDATE events ${set} WHERE state = 'dead' AND id = ?`);
      for (const id of ids) changed += Number(one.run(now, now + maxAgeMs, id).changes);
    }
    this.#refreshWaiting();
    return changed;
  }

  /** At shutdown: everything this process still holds becomes waiting, for the next run. Returns how many. */
  releaseLive(): number {
    const changed = this.#db
      .prepare("UPDATE events SET state = 'waiting', owner = NULL WHERE state = 'live' AND owner = ?")
      .run(process.pid);
    this.#refreshWaiting();
    return Number(changed.changes);
  }

  #refreshWaiting(): void {
    for (const row of this.#db.prepare("SELECT DISTINCT business_id AS b FROM events WHERE state = 'waiting'").all()) {
      this.#waitingBusinesses.add(String(row.b));
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
