/**
 * The notifier's outbox writes while the file is locked (a second connection
 * holds the write lock): kept in memory, merged per event, written in order
 * once the lock is gone, never thrown.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { OUTBOX_FILE, Outbox } from '../../src/webhook/outbox.ts';
import type { OutboxFailure } from '../../src/webhook/outbox-failure.ts';
import { OutboxWriter } from '../../src/webhook/outbox-writer.ts';
import { tempOutbox } from './support.ts';

const LATER = Date.now() + 3_600_000;

function record(id: string, businessId = 'b') {
  return { id, businessId, updateType: 'deployed', body: `{"id":"${id}"}`, acceptedAt: 1 };
}

function setUp(maxKept = 100) {
  const dir = tempOutbox();
  const outbox = new Outbox(dir, { busyTimeoutMs: 0 });
  const failures: OutboxFailure[] = [];
  const caughtUp: number[] = [];
  const writer = new OutboxWriter(outbox, {
    maxKept,
    onFailure: (failure) => failures.push(failure),
    onCaughtUp: (written) => caughtUp.push(written),
  });
  const lock = new DatabaseSync(join(dir, OUTBOX_FILE));
  // What another process sees, as plain objects (node:sqlite gives rows a null prototype).
  const rows = () =>
    lock
      .prepare('SELECT id, state, attempts, last_error AS lastError FROM events ORDER BY seq')
      .all()
      .map((row) => ({ ...row }));
  return {
    outbox,
    writer,
    failures,
    caughtUp,
    rows,
    hold: () => lock.exec('BEGIN IMMEDIATE'),
    release: () => lock.exec('ROLLBACK'),
    close() {
      writer.stop();
      lock.close();
      outbox.close();
    },
  };
}

describe('the outbox writer', () => {
  it('writes at once while the file is free', () => {
    const t = setUp();
    assert.equal(t.writer.add(record('a1'), 'live', LATER), true);
    assert.deepEqual(
      t.rows().map((r) => [r.id, r.state]),
      [['a1', 'live']],
    );
    assert.equal(t.writer.kept, 0);
    t.close();
  });

  it('keeps writes while locked, merges later changes of an event, and writes them in order after', () => {
    const t = setUp();
    t.writer.add(record('on-disk'), 'live', LATER);
    t.hold();
    assert.equal(t.writer.add(record('a1'), 'live', LATER), true, 'accepted, though not on disk');
    assert.equal(t.failures[0]?.kind, 'busy');
    assert.equal(t.writer.add(record('a2'), 'live', LATER), true);
    assert.equal(t.writer.add(record('a3'), 'waiting', LATER), true);
    assert.equal(t.failures.length, 1, 'once one write waits, later ones wait behind it without touching the file');
    t.writer.delivered('a1', 'b'); // delivered before it was ever written: nothing to write
    t.writer.toWaiting('a2', 'b', 3, 0, 'HTTP 503');
    t.writer.toDead('on-disk', 'b', 2, 'HTTP 404'); // a row on disk: its change is kept too
    assert.equal(t.writer.notOnDisk, 2);
    assert.equal(t.writer.kept, 3);
    assert.equal(t.writer.hasWaiting('b'), true, 'a newer event of b must not overtake a2 and a3');
    assert.equal(t.writer.flush(), false, 'still locked');
    assert.deepEqual(
      t.rows().map((r) => r.id),
      ['on-disk'],
    );

    t.release();
    assert.equal(t.writer.flush(), true);
    assert.deepEqual(t.rows(), [
      { id: 'on-disk', state: 'dead', attempts: 2, lastError: 'HTTP 404' },
      { id: 'a2', state: 'waiting', attempts: 3, lastError: 'HTTP 503' },
      { id: 'a3', state: 'waiting', attempts: 0, lastError: null },
    ]);
    assert.deepEqual(t.caughtUp, [3]);
    assert.equal(t.writer.hasWaiting('b'), false, 'on disk now: the Outbox answers for it');
    assert.equal(t.outbox.hasWaiting('b'), true);
    t.close();
  });

  it('at shutdown, turns what it held in memory into waiting rows', () => {
    const t = setUp();
    t.hold();
    t.writer.add(record('s1'), 'live', LATER);
    assert.equal(t.writer.releaseLive(), 1);
    t.release();
    assert.equal(t.writer.flush(), true);
    assert.deepEqual(
      t.rows().map((r) => [r.id, r.state]),
      [['s1', 'waiting']],
    );
    t.close();
  });

  it('keeps at most maxKept writes: add() says no to the next one', () => {
    const t = setUp(2);
    t.hold();
    assert.equal(t.writer.add(record('m1'), 'live', LATER), true);
    assert.equal(t.writer.add(record('m2'), 'live', LATER), true);
    assert.equal(t.writer.add(record('m3'), 'live', LATER), false);
    t.release();
    t.close();
  });
});
