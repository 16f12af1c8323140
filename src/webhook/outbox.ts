/**
 * The outbox: every accepted event on disk, in Node's built-in SQLite
 * (node:sqlite, no native build, no dependency). A row is `live` while this
 * process holds the event in memory, `waiting` once it is handed over for a
 * later retry, `dead` when it is past its maximum age or was refused; a
 * delivered event's row is deleted. WAL mode: a committed row survives a
 * crash of the process; with `fsync` also a power loss.
 *
 * The drainer runs while the agent runs, so nothing it asks may cost in
 * proportion to the backlog: after a long outage 100,000 rows wait, and a
 * full scan per tick would block the agent's event loop for tens of
 * milliseconds every 32 deliveries. Each business's oldest waiting row is
 * marked `head` (kept so on every change, in the same transaction), and
 * indexes answer "the due heads", "what expired" and "the oldest" with a
 * seek; only the two counts walk an index, and the drainer asks for them at
 * most once a second.
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
  last_error TEXT);`;

/**
 * After the `head` column exists (an outbox written by 0.1 lacks it until opened once). Partial indexes: a live row
 * (the hot path, inserted and deleted once per delivered event) is in none of them.
 */
const INDEXES = `
DROP INDEX IF EXISTS events_by_state;
CREATE INDEX IF NOT EXISTS events_waiting ON events (business_id, seq) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_waiting_expiry ON events (expires_at) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_waiting_age ON events (accepted_at) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_dead ON events (seq) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS events_due_heads ON events (next_attempt_at, seq) WHERE head = 1;
CREATE INDEX IF NOT EXISTS events_head_of ON events (business_id) WHERE head = 1;`;

const COLUMNS = `id, business_id AS businessId, update_type AS updateType, body, accepted_at AS acceptedAt, state, attempts,
  next_attempt_at AS nextAttemptAt, expires_at AS expiresAt, last_error AS lastError`;

/**
 * What the drainer and each state change ask, while the agent runs: every one a seek in an index (the two counts a
 * walk of a partial index), never a scan of the table. Exported so that a test holds them to it with the query plans.
 */
export const RUNNING_QUERIES = {
  dueHeads: `SELECT ${COLUMNS} FROM events WHERE head = 1 AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`,
  expired: `SELECT ${COLUMNS} FROM events WHERE state = 'waiting' AND expires_at <= ?`,
  counts: `SELECT (SELECT COUNT(*) FROM events WHERE state = 'waiting') AS waiting,
                  (SELECT COUNT(*) FROM events WHERE state = 'dead') AS dead,
                  (SELECT MIN(accepted_at) FROM events WHERE state = 'waiting') AS oldest`,
  firstWaiting: "SELECT seq FROM events WHERE state = 'waiting' AND business_id = ? ORDER BY seq LIMIT 1",
  headOf: 'SELECT seq FROM events WHERE head = 1 AND business_id = ?',
  anyWaiting: "SELECT 1 FROM events WHERE state = 'waiting' AND business_id = ? LIMIT 1",
  insertWaiting: `INSERT OR IGNORE INTO events (id, business_id, update_type, body, accepted_at, expires_at, state, head)
    VALUES (?, ?, ?, ?, ?, ?, 'waiting', NOT EXISTS (SELECT 1 FROM events WHERE state = 'waiting' AND business_id = ?))`,
} as const;

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
  readonly #insertWaiting: StatementSync;
  readonly #update: StatementSync;
  readonly #delete: StatementSync;
  readonly #firstWaiting: StatementSync;
  readonly #headOf: StatementSync;
  readonly #setHead: StatementSync;
  /** Businesses with waiting events: a newer event of theirs must wait behind them. */
  readonly #waitingBusinesses = new Set<string>();

  constructor(dir: string, { fsync = false }: { fsync?: boolean } = {}) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.#db = new (sqlite().DatabaseSync)(join(dir, OUTBOX_FILE), { timeout: 5000 });
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${fsync ? 'FULL' : 'NORMAL'};${SCHEMA}`);
    const columns = this.#db.prepare('PRAGMA table_info(events)').all();
    if (!columns.some((column) => column.name === 'head')) {
      this.#db.exec('ALTER TABLE events ADD COLUMN head INTEGER NOT NULL DEFAULT 0');
    }
    this.#db.exec(INDEXES);
    this.#insert = this.#db.prepare(
      `INSERT OR IGNORE INTO events (id, business_id, update_type, body, accepted_at, expires_at, state, owner, next_attempt_at, head)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertWaiting = this.#db.prepare(RUNNING_QUERIES.insertWaiting);
    this.#update = this.#db.prepare(
      'UPDATE events SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, owner = NULL WHERE id = ?',
    );
    this.#delete = this.#db.prepare('DELETE FROM events WHERE id = ? RETURNING head');
    this.#firstWaiting = this.#db.prepare(RUNNING_QUERIES.firstWaiting);
    this.#headOf = this.#db.prepare(RUNNING_QUERIES.headOf);
    this.#setHead = this.#db.prepare('UPDATE events SET head = ? WHERE seq = ?');
    this.#transaction(() => {
      this.#recoverOrphans();
      this.#rebuildHeads();
    });
    this.#refreshWaiting();
  }

  /**
   * One transaction: another process (the CLI's replay, a second agent) may
   * change the same file, and a head must never be lost between two writes,
   * or that business would wait forever.
   */
  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
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

  /** Marks every business's oldest waiting row, from scratch: at open and after the bulk changes (release, replay). */
  #rebuildHeads(): void {
    this.#db.exec(`UPDATE events SET head = 0 WHERE head = 1;
      UPDATE events SET head = 1 WHERE seq IN (SELECT MIN(seq) FROM events WHERE state = 'waiting' GROUP BY business_id);`);
  }

  /** After one row of a business changed: its oldest waiting row, and only that one, is the head. Two seeks. */
  #fixHead(businessId: string): void {
    const first = this.#firstWaiting.get(businessId)?.seq;
    const current = this.#headOf.get(businessId)?.seq;
    if (first === current) return;
    if (current !== undefined) this.#setHead.run(0, current);
    if (first !== undefined) this.#setHead.run(1, first);
  }

  /** Writes an accepted event; `live` is held by this process, `waiting` is for the drainer. */
  add(record: OutboxRecord, state: 'live' | 'waiting', expiresAt: number): void {
    const { id, businessId, updateType, body, acceptedAt } = record;
    if (state === 'live') {
      this.#insert.run(id, businessId, updateType, body, acceptedAt, expiresAt, 'live', process.pid, 0, 0);
      return;
    }
    // The newest row: a head exactly when its business has nothing else waiting. One statement, so atomic.
    this.#insertWaiting.run(id, businessId, updateType, body, acceptedAt, expiresAt, businessId);
    this.#waitingBusinesses.add(businessId);
  }

  hasWaiting(businessId: string): boolean {
    return this.#waitingBusinesses.has(businessId);
  }

  delivered(id: string, businessId: string): void {
    // One transaction, so that a head's successor is marked in the same commit that deletes it (another process
    // sharing the file never sees a business without a head). Measured here: no dearer than the bare delete.
    this.#transaction(() => {
      if (this.#delete.get(id)?.head === 1) this.#fixHead(businessId);
    });
    this.#forgetIfDone(businessId);
  }

  toWaiting(id: string, businessId: string, attempts: number, nextAttemptAt: number, lastError: string | null): void {
    this.#transaction(() => {
      this.#update.run('waiting', attempts, nextAttemptAt, lastError, id);
      this.#fixHead(businessId);
    });
    this.#waitingBusinesses.add(businessId);
  }

  toDead(id: string, businessId: string, attempts: number, lastError: string): void {
    this.#transaction(() => {
      this.#update.run('dead', attempts, 0, lastError, id);
      this.#fixHead(businessId);
    });
    this.#forgetIfDone(businessId);
  }

  #forgetIfDone(businessId: string): void {
    if (!this.#waitingBusinesses.has(businessId)) return;
    const more = this.#db.prepare(RUNNING_QUERIES.anyWaiting).get(businessId);
    if (more === undefined) this.#waitingBusinesses.delete(businessId);
  }

  /**
   * The oldest waiting event of each business, if due, the longest due first:
   * delivering heads only keeps each business in order.
   */
  dueHeads(now: number, limit: number): OutboxRow[] {
    return this.#db.prepare(RUNNING_QUERIES.dueHeads).all(now, limit) as unknown as OutboxRow[];
  }

  /** Waiting events past their maximum age become dead letters; returns them. */
  expire(now: number): OutboxRow[] {
    const rows = this.#db.prepare(RUNNING_QUERIES.expired).all(now) as unknown as OutboxRow[];
    for (const row of rows)
      this.toDead(row.id, row.businessId, row.attempts, `past the maximum age (last error: ${row.lastError ?? 'none'})`);
    return rows;
  }

  stats(now: number): { waiting: number; dead: number; oldestAgeSeconds: number } {
    const row = this.#db.prepare(RUNNING_QUERIES.counts).get() as { waiting: number; dead: number; oldest: number | null };
    return {
      waiting: row.waiting,
      dead: row.dead,
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
    const changed = this.#transaction(() => {
      let count = 0;
      if (ids === undefined) {
        count = Number(this.#db.prepare(`UPDATE events ${set} WHERE state = 'dead'`).run(now, now + maxAgeMs).changes);
      } else {
        const one = this.#db.prepare(`UPDATE events ${set} WHERE state = 'dead' AND id = ?`);
        for (const id of ids) count += Number(one.run(now, now + maxAgeMs, id).changes);
      }
      this.#rebuildHeads();
      return count;
    });
    this.#refreshWaiting();
    return changed;
  }

  /** At shutdown: everything this process still holds becomes waiting, for the next run. Returns how many. */
  releaseLive(): number {
    const changed = this.#transaction(() => {
      const result = this.#db
        .prepare("UPDATE events SET state = 'waiting', owner = NULL WHERE state = 'live' AND owner = ?")
        .run(process.pid);
      if (result.changes > 0) this.#rebuildHeads();
      return Number(result.changes);
    });
    this.#refreshWaiting();
    return changed;
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
