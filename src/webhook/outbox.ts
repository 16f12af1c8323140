/**
 * The outbox: every accepted event on disk, in Node's built-in SQLite
 * (node:sqlite, no native build, no dependency). A row is `live` while this
 * process holds the event in memory, `waiting` once it is handed over for a
 * later retry, `dead` when it is past its maximum age or was refused; a
 * delivered event's row is deleted. WAL mode: a committed row survives a
 * crash of the process; with `fsync` also a power loss.
 *
 * Order per business is kept here, by construction: rows are numbered (`seq`)
 * in acceptance order, and the drainer is offered a business's oldest waiting
 * row only while no older row of that business is still `live`, i.e. still
 * being tried in process. So whatever moves a later event to the outbox first
 * (the breaker opening, a full queue, shutdown), it waits for the earlier one.
 *
 * A `live` row names its owner: a random token per open Outbox, registered
 * with its pid and a heartbeat in the `owners` table. See #orphaned for when
 * such a row is taken back from an owner that is gone.
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
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';

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
CREATE TABLE IF NOT EXISTS owners (token TEXT PRIMARY KEY, pid INTEGER NOT NULL, beat_at INTEGER NOT NULL) WITHOUT ROWID;`;

/**
 * After the `head` column exists (an outbox written by 0.1 lacks it until opened once). Partial indexes: a live row
 * (the hot path, inserted and deleted once per delivered event) is in one only, events_live, which answers "is an older
 * event of this business still in process?" (measured here: about 10 µs more per event than none).
 */
const INDEXES = `
DROP INDEX IF EXISTS events_by_state;
CREATE INDEX IF NOT EXISTS events_waiting ON events (business_id, seq) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_waiting_expiry ON events (expires_at) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_waiting_age ON events (accepted_at) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS events_dead ON events (seq) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS events_due_heads ON events (next_attempt_at, seq) WHERE head = 1;
CREATE INDEX IF NOT EXISTS events_head_of ON events (business_id) WHERE head = 1;
CREATE INDEX IF NOT EXISTS events_live ON events (business_id, seq) WHERE state = 'live';`;

/** What `list` and `count` show: live rows are this process's own business, never listed. */
export type ListedState = 'waiting' | 'dead' | 'all';
const LISTED: Readonly<Record<ListedState, string>> = { waiting: "state = 'waiting'", dead: "state = 'dead'", all: "state != 'live'" };

const COLUMNS = `id, business_id AS businessId, update_type AS updateType, body, accepted_at AS acceptedAt, state, attempts,
  next_attempt_at AS nextAttemptAt, expires_at AS expiresAt, last_error AS lastError`;

/**
 * What the drainer and each state change ask, while the agent runs: every one a seek in an index (the two counts a
 * walk of a partial index), never a scan of the table. Exported so that a test holds them to it with the query plans.
 */
export const RUNNING_QUERIES = {
  dueHeads: `SELECT ${COLUMNS} FROM events WHERE head = 1 AND next_attempt_at <= ?
    AND NOT EXISTS (SELECT 1 FROM events AS older
                    WHERE older.state = 'live' AND older.business_id = events.business_id AND older.seq < events.seq)
    ORDER BY next_attempt_at, seq LIMIT ?`,
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

/** How often an open Outbox says it is alive, and how long a silent owner is still believed to be. */
const HEARTBEAT_MS = 10_000;
const STALE_AFTER_MS = 60_000;
/** Opening (schema, recovery of orphans) waits this long for a busy file: it happens once, at start. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/**
 * The tokens of the Outboxes open in this process. On globalThis, so that two copies of the package in one process
 * (which share a pid) still know each other's tokens and never take each other's rows.
 */
const OPEN_HERE_KEY = Symbol.for('genesis-telemetry.outbox.open');
const sharedGlobal = globalThis as Record<symbol, unknown>;
if (!(sharedGlobal[OPEN_HERE_KEY] instanceof Set)) sharedGlobal[OPEN_HERE_KEY] = new Set<string>();
const OPEN_HERE = sharedGlobal[OPEN_HERE_KEY] as Set<string>;

/** `o_` first: never a number, so the INTEGER column keeps it as text, and never mistaken for the pid 0.1 wrote there. */
function newOwnerToken(): string {
  return `o_${randomBytes(12).toString('hex')}`;
}

interface Owner {
  readonly pid: number;
  readonly beatAt: number;
}

export interface OutboxOptions {
  /** fsync every write (survives a power loss, not only a crash of the process). @default false */
  readonly fsync?: boolean;
  /** How often this Outbox renews its heartbeat and takes back the rows of owners that are gone. @default 10000 */
  readonly heartbeatMs?: number;
  /** An owner whose heartbeat is older than this is gone, whatever its pid. @default 60000 */
  readonly staleAfterMs?: number;
  /**
   * How long a write waits for another process's write lock once the outbox is open (opening always waits up to
   * OPEN_BUSY_TIMEOUT_MS). The CLI can wait; the agent's notify() must not, so the notifier passes a short one.
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
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
  /** Names this Outbox as the owner of its live rows. */
  readonly #token = newOwnerToken();
  readonly #staleAfterMs: number;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(dir: string, options: OutboxOptions = {}) {
    const { fsync = false, heartbeatMs = HEARTBEAT_MS, staleAfterMs = STALE_AFTER_MS, busyTimeoutMs = OPEN_BUSY_TIMEOUT_MS } = options;
    this.dir = dir;
    this.#staleAfterMs = staleAfterMs;
    mkdirSync(dir, { recursive: true });
    this.#db = new (sqlite().DatabaseSync)(join(dir, OUTBOX_FILE), { timeout: OPEN_BUSY_TIMEOUT_MS });
    try {
      this.#migrate(fsync);
    } catch (error) {
      this.#db.close(); // not a database, or not writable: leave no handle open behind the error
      throw error;
    }
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
    // Known here before the first sweep, so that the sweep never takes this Outbox for a gone owner.
    OPEN_HERE.add(this.#token);
    this.#transaction(() => {
      this.#db.prepare('INSERT INTO owners (token, pid, beat_at) VALUES (?, ?, ?)').run(this.#token, process.pid, Date.now());
      this.#recoverOrphans(this.#liveOwners());
      this.#rebuildHeads();
    });
    this.#refreshWaiting();
    this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    this.#heartbeat = setInterval(() => this.#beat(), heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Creates the schema, or brings an older file up to it. */
  #migrate(fsync: boolean): void {
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${fsync ? 'FULL' : 'NORMAL'};${SCHEMA}`);
    const columns = this.#db.prepare('PRAGMA table_info(events)').all();
    if (!columns.some((column) => column.name === 'head')) {
      this.#db.exec('ALTER TABLE events ADD COLUMN head INTEGER NOT NULL DEFAULT 0');
    }
    this.#db.exec(INDEXES);
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

  /**
   * Whether the owner of live rows is gone, so that its rows are waiting now. A pid alone cannot say: after a crash it
   * may be reused (PID 1 in a container is, on every restart), and then the rows would stay live forever, neither
   * delivered nor expired. What can be verified: an Outbox open in this process (its token is here), or a registered
   * owner in another process whose pid exists and whose heartbeat is fresh. Anything else is gone: no registration
   * (a closed Outbox's rows it did not release, or rows written by 0.1, which recorded a pid only), our own pid under
   * a token not open here (the pid was reused), a pid that no longer exists, or a heartbeat older than `staleAfterMs`
   * (the pid was reused by another program, or the owner hangs: its rows are delivered at least once, never stuck).
   */
  #orphaned(token: SQLOutputValue, owner: Owner | undefined): boolean {
    if (typeof token === 'string' && OPEN_HERE.has(token)) return false;
    if (owner === undefined || owner.pid === process.pid || !alive(owner.pid)) return true;
    return Date.now() - owner.beatAt > this.#staleAfterMs;
  }

  #owners(): Map<SQLOutputValue, Owner> {
    const rows = this.#db.prepare('SELECT token, pid, beat_at AS beatAt FROM owners').all();
    return new Map(rows.map((row) => [row.token ?? null, { pid: Number(row.pid), beatAt: Number(row.beatAt) }]));
  }

  /** Every owner named by a live row (a walk of events_live: as many as are held in memory, not the backlog). */
  #liveOwners(): SQLOutputValue[] {
    return this.#db
      .prepare("SELECT DISTINCT owner FROM events WHERE state = 'live'")
      .all()
      .map((row) => row.owner ?? null);
  }

  /**
   * Live rows of owners that are gone (a crash, a SIGKILL, a reused pid) become waiting, due now; the registrations of
   * gone owners are removed. `unregistered`: owners named by live rows but maybe not in `owners` (asked at open only).
   * Returns how many rows came back.
   */
  #recoverOrphans(unregistered: readonly SQLOutputValue[] = []): number {
    const owners = this.#owners();
    const release = this.#db.prepare("UPDATE events SET state = 'waiting', owner = NULL WHERE state = 'live' AND owner IS ?");
    const forget = this.#db.prepare('DELETE FROM owners WHERE token = ?');
    let recovered = 0;
    for (const token of new Set([...owners.keys(), ...unregistered])) {
      if (!this.#orphaned(token, owners.get(token))) continue;
      recovered += Number(release.run(token).changes);
      if (owners.has(token)) forget.run(token);
    }
    return recovered;
  }

  /** Renews this Outbox's heartbeat and takes back the rows of owners that went away since. */
  #beat(): void {
    try {
      const recovered = this.#transaction(() => {
        this.#db.prepare('UPDATE owners SET beat_at = ? WHERE token = ?').run(Date.now(), this.#token);
        const count = this.#recoverOrphans();
        if (count > 0) this.#rebuildHeads();
        return count;
      });
      if (recovered > 0) this.#refreshWaiting();
    } catch {
      // The file is busy or failing: the next beat tries again, and the notifier's own writes report a failing outbox.
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
      this.#insert.run(id, businessId, updateType, body, acceptedAt, expiresAt, 'live', this.#token, 0, 0);
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

  list(state: ListedState, limit = 1000): OutboxRow[] {
    const statement = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE ${LISTED[state]} ORDER BY seq LIMIT ?`);
    return statement.all(limit) as unknown as OutboxRow[];
  }

  /** How many events list(state) shows without a limit. */
  count(state: ListedState): number {
    return Number(this.#db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${LISTED[state]}`).get()?.n ?? 0);
  }

  /** The state of one event, or undefined when it is not in the outbox (delivered, or never accepted here). */
  stateOf(id: string): OutboxRow['state'] | undefined {
    return this.#db.prepare('SELECT state FROM events WHERE id = ?').get(id)?.state as OutboxRow['state'] | undefined;
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
        .run(this.#token);
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

  /**
   * Closes the file. Rows still live here (not released) are then orphans: the next Outbox to look takes them back,
   * at once, since the registration says the owner is gone (kept only while such rows exist).
   */
  close(): void {
    clearInterval(this.#heartbeat);
    OPEN_HERE.delete(this.#token);
    if (!this.#db.isOpen) return;
    try {
      this.#db.prepare('UPDATE owners SET beat_at = 0 WHERE token = ?').run(this.#token);
      this.#db
        .prepare("DELETE FROM owners WHERE token = ? AND NOT EXISTS (SELECT 1 FROM events WHERE state = 'live' AND owner = ?)")
        .run(this.#token, this.#token);
    } finally {
      this.#db.close();
    }
  }
}
