/**
 * The outbox's own bookkeeping, on a real SQLite file: which event of each
 * business is offered next through every change of state, what another
 * process changes, an outbox written before heads existed, live rows whose
 * owner is gone (a crash, a reused pid), and the promise that nothing asked
 * while the agent runs scans the table.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { OUTBOX_FILE, Outbox, RUNNING_QUERIES } from '../../src/webhook/outbox.ts';
import { waitFor } from '../support/wait.ts';
import { tempOutbox } from './support.ts';

const DAY = 86_400_000;

function record(id: string, businessId: string, acceptedAt = 1_000) {
  return { id, businessId, updateType: 'deployed', body: `{"id":"${id}"}`, acceptedAt };
}

function due(outbox: Outbox, now: number): string[] {
  return outbox.dueHeads(now, 100).map((row) => row.id);
}

describe('the outbox store', () => {
  it("offers each business's oldest waiting event only, the longest due first, through every change of state", () => {
    const outbox = new Outbox(tempOutbox());
    for (const id of ['a1', 'a2', 'a3']) outbox.add(record(id, 'A'), 'waiting', DAY);
    outbox.add(record('b1', 'B'), 'waiting', DAY);
    assert.deepEqual(due(outbox, 10), ['a1', 'b1']);

    outbox.delivered('a1', 'A');
    assert.deepEqual(due(outbox, 10), ['a2', 'b1'], 'the next of A moves up');

    outbox.toWaiting('a2', 'A', 1, 5_000, 'HTTP 503');
    assert.deepEqual(due(outbox, 4_000), ['b1'], 'A backs off as a whole: a3 does not overtake a2');
    assert.deepEqual(due(outbox, 6_000), ['b1', 'a2']);

    outbox.toDead('b1', 'B', 3, 'HTTP 404');
    assert.deepEqual(due(outbox, 6_000), ['a2']);
    assert.equal(outbox.requeue(['b1'], 7_000, DAY), 1);
    assert.deepEqual(due(outbox, 8_000), ['a2', 'b1'], 'a replayed dead letter is offered again');

    // A newer event outboxed while an older one of its business is still tried in process waits for it...
    outbox.add(record('c1', 'C'), 'live', DAY);
    outbox.add(record('c2', 'C'), 'waiting', DAY);
    assert.ok(!due(outbox, 8_000).includes('c2'), 'c2 must not overtake c1, still live');
    // ...and when that one is handed over too, it leads.
    outbox.toWaiting('c1', 'C', 2, 0, 'timeout');
    assert.deepEqual(
      due(outbox, 8_000).filter((id) => id.startsWith('c')),
      ['c1'],
    );
    outbox.delivered('c1', 'C');
    assert.ok(due(outbox, 8_000).includes('c2'));

    // The same when the older one is delivered in process: the newer one is due once it is gone.
    outbox.add(record('d1', 'D'), 'live', DAY);
    outbox.add(record('d2', 'D'), 'waiting', DAY);
    assert.ok(!due(outbox, 8_000).includes('d2'));
    outbox.delivered('d1', 'D');
    assert.ok(due(outbox, 8_000).includes('d2'));
    outbox.close();
  });

  it('dead-letters what passed its maximum age, and the next event of that business becomes due', () => {
    const outbox = new Outbox(tempOutbox());
    outbox.add(record('old', 'A'), 'waiting', 2_000);
    outbox.add(record('new', 'A'), 'waiting', 9_000);
    assert.deepEqual(
      outbox.expire(3_000).map((row) => row.id),
      ['old'],
    );
    assert.deepEqual(due(outbox, 3_000), ['new']);
    assert.deepEqual(outbox.stats(3_000), { waiting: 1, dead: 1, oldestAgeSeconds: 2 });
    outbox.close();
  });

  it('sees what another process changes in the same file', () => {
    const dir = tempOutbox();
    const agent = new Outbox(dir);
    agent.add(record('x1', 'X'), 'waiting', DAY);
    agent.toDead('x1', 'X', 1, 'HTTP 400');
    assert.deepEqual(due(agent, 10), []);
    const cli = new Outbox(dir); // as `genesis-telemetry outbox replay` opens it
    assert.equal(cli.requeue(undefined, 5, DAY), 1);
    cli.close();
    assert.deepEqual(due(agent, 10), ['x1']);
    agent.close();
  });

  it('opens an outbox written before heads were kept, and offers its waiting events', () => {
    const dir = tempOutbox();
    const old = new DatabaseSync(join(dir, OUTBOX_FILE));
    old.exec(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, business_id TEXT NOT NULL,
      update_type TEXT NOT NULL, body TEXT NOT NULL, accepted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      state TEXT NOT NULL, owner INTEGER, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0,
      last_error TEXT);
      CREATE INDEX events_by_state ON events (state, business_id, seq);`);
    const insert = old.prepare(
      "INSERT INTO events (id, business_id, update_type, body, accepted_at, expires_at, state) VALUES (?, ?, 'deployed', '{}', 1, ?, ?)",
    );
    insert.run('p1', 'P', DAY, 'waiting');
    insert.run('p2', 'P', DAY, 'waiting');
    insert.run('q1', 'Q', DAY, 'dead');
    insert.run('q2', 'Q', DAY, 'waiting');
    old.close();

    const outbox = new Outbox(dir);
    assert.deepEqual(due(outbox, 10), ['p1', 'q2']);
    outbox.delivered('p1', 'P');
    assert.deepEqual(due(outbox, 10), ['p2', 'q2']);
    outbox.close();
  });

  it('answers every query asked while the agent runs from an index, never by scanning the table', () => {
    const dir = tempOutbox();
    const outbox = new Outbox(dir);
    for (let i = 0; i < 2_000; i++) outbox.add(record(`m${i}`, `biz-${i % 50}`), i % 10 === 0 ? 'live' : 'waiting', DAY);
    outbox.close();
    const db = new DatabaseSync(join(dir, OUTBOX_FILE));
    db.exec('ANALYZE');
    for (const [name, sql] of Object.entries(RUNNING_QUERIES)) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((row) => String(row.detail));
      // Every step that reads the table, under its own name or an alias (dueHeads looks for an older live row).
      const reads = plan.filter((step) => /^(SCAN|SEARCH) (?!CONSTANT ROW)/.test(step));
      assert.ok(reads.length > 0, `${name}: ${plan.join(' | ')}`);
      for (const step of reads) {
        // A seek (SEARCH), or for the counts a walk of a partial index that holds only the rows counted.
        assert.match(step, /^(SEARCH \w+ USING|SCAN events USING COVERING INDEX events_(waiting|dead))/, `${name}: ${step}`);
      }
    }
    db.close();
  });
});

interface PlantedRow {
  readonly id: string;
  readonly businessId: string;
  /** An owner token, or a bare pid as 0.1 wrote. */
  readonly owner: string | number;
}

interface PlantedOwner {
  readonly token: string;
  readonly pid: number;
  readonly beatAt: number;
}

/** Writes live rows as another process would have, straight into the file, and registers the given owners. */
function plantLive(dir: string, rows: readonly PlantedRow[], owners: readonly PlantedOwner[] = []): void {
  new Outbox(dir).close(); // the schema
  const db = new DatabaseSync(join(dir, OUTBOX_FILE));
  for (const { token, pid, beatAt } of owners) {
    db.prepare('INSERT INTO owners (token, pid, beat_at) VALUES (?, ?, ?)').run(token, pid, beatAt);
  }
  const insert = db.prepare(
    "INSERT INTO events (id, business_id, update_type, body, accepted_at, expires_at, state, owner) VALUES (?, ?, 'deployed', '{}', 1, ?, 'live', ?)",
  );
  for (const row of rows) insert.run(row.id, row.businessId, DAY, row.owner);
  db.close();
}

describe('live rows whose owner is gone', () => {
  // The parent (the test runner) is a live process that is not the rows' owner: exactly what a reused pid looks like.
  const reusedPid = process.ppid;

  it('takes back rows that name only a pid, alive but reused after a crash (as 0.1 wrote them)', () => {
    const dir = tempOutbox();
    plantLive(dir, [{ id: 'pid-only-1', businessId: 'P', owner: reusedPid }]);
    const outbox = new Outbox(dir);
    assert.deepEqual(due(outbox, 10), ['pid-only-1']);
    assert.equal(outbox.stats(10).waiting, 1, 'counted, so it also expires in time');
    outbox.close();
  });

  it('takes back the rows of an owner whose pid is alive but who stopped beating; leaves a beating owner alone', () => {
    const dir = tempOutbox();
    plantLive(
      dir,
      [
        { id: 'stale-1', businessId: 'S', owner: 'o_crashed' },
        { id: 'fresh-1', businessId: 'F', owner: 'o_running' },
      ],
      [
        { token: 'o_crashed', pid: reusedPid, beatAt: Date.now() - 600_000 },
        { token: 'o_running', pid: reusedPid, beatAt: Date.now() },
      ],
    );
    const outbox = new Outbox(dir);
    assert.deepEqual(due(outbox, 10), ['stale-1']);
    assert.deepEqual(
      outbox.list('waiting').map((row) => row.id),
      ['stale-1'],
    );
    outbox.close();
  });

  it('never takes the rows of an Outbox open in this process; takes them at its next heartbeat once it closed unreleased', async () => {
    const dir = tempOutbox();
    const first = new Outbox(dir);
    first.add(record('own-1', 'O'), 'live', DAY);
    // Same pid, so a pid check alone would call `first` a crashed predecessor and deliver its row twice.
    const second = new Outbox(dir, { heartbeatMs: 10 });
    assert.deepEqual(due(second, 10), []);
    first.close(); // without releaseLive(): as if that notifier had died here
    await waitFor('the heartbeat to take the row back', () => due(second, 10).includes('own-1'), { intervalMs: 5 });
    second.close();

    const third = new Outbox(dir);
    assert.deepEqual(due(third, 10), ['own-1'], 'still waiting for whoever opens next');
    third.close();
  });
});
