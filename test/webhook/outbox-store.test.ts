/**
 * The outbox's own bookkeeping, on a real SQLite file: which event of each
 * business is offered next through every change of state, what another
 * process changes, an outbox written before heads existed, and the promise
 * that nothing asked while the agent runs scans the table.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { OUTBOX_FILE, Outbox, RUNNING_QUERIES } from '../../src/webhook/outbox.ts';
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

    // A live event handed over after a newer one of its business was outboxed goes first: the older one leads.
    outbox.add(record('c1', 'C'), 'live', DAY);
    outbox.add(record('c2', 'C'), 'waiting', DAY);
    assert.ok(due(outbox, 8_000).includes('c2'));
    outbox.toWaiting('c1', 'C', 2, 0, 'timeout');
    assert.deepEqual(
      due(outbox, 8_000).filter((id) => id.startsWith('c')),
      ['c1'],
    );
    outbox.delivered('c1', 'C');
    assert.ok(due(outbox, 8_000).includes('c2'));
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
      const touchesEvents = plan.filter((step) => /\bevents\b/.test(step));
      assert.ok(touchesEvents.length > 0, `${name}: ${plan.join(' | ')}`);
      for (const step of touchesEvents) {
        // A seek (SEARCH), or for the counts a walk of a partial index that holds only the rows counted.
        assert.match(step, /^(SEARCH events USING|SCAN events USING COVERING INDEX events_(waiting|dead))/, `${name}: ${step}`);
      }
    }
    db.close();
  });
});
