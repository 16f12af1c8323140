/**
 * A busy outbox: another process (the CLI's `outbox replay`, a second agent)
 * holds the SQLite write lock. notify() must not wait for it (the agent's
 * connection has a short busy timeout) and must not lose the event: it is
 * kept in memory, delivered all the same, written once the lock is gone, and
 * each kind of failure is logged under its own key.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { OUTBOX_FILE } from '../../src/webhook/outbox.ts';
import { freePort, type RunningProcess, startProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { DELIVERIES, event, tempOutbox, testNotifier } from './support.ts';

/** Another process holding the outbox's write lock until it is stopped (its death releases the lock). */
async function holdWriteLock(dir: string): Promise<RunningProcess> {
  const script = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.env.OUTBOX_PATH);
    db.exec('BEGIN IMMEDIATE');
    console.log('locked');
    setInterval(() => {}, 1000);`;
  const holder = startProcess(process.execPath, ['-e', script], { OUTBOX_PATH: join(dir, OUTBOX_FILE) });
  await holder.waitForOutput(/locked/);
  return holder;
}

/** The row of one event as another connection sees it: on disk, or not. */
function stateOnDisk(dir: string, id: string): string | undefined {
  const db = new DatabaseSync(join(dir, OUTBOX_FILE), { readOnly: true });
  try {
    return db.prepare('SELECT state FROM events WHERE id = ?').get(id)?.state as string | undefined;
  } finally {
    db.close();
  }
}

let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver();
});
after(() => receiver.close());

describe('an outbox another process holds locked', () => {
  it('costs notify() a short wait, not seconds, and the event is delivered all the same', async () => {
    const dir = tempOutbox();
    const t = testNotifier(receiver.url, { outbox: dir });
    t.notifier.notify({ ...event('busy-bad'), data: { n: 1n } }); // a refusal first: it must not silence what follows
    const holder = await holdWriteLock(dir);
    try {
      const started = performance.now();
      const id = t.notifier.notify(event('busy-ok'));
      const took = performance.now() - started;
      assert.ok(took < 1000, `notify() took ${Math.round(took)} ms`);
      assert.ok(id, 'accepted');
      assert.equal(t.notifier.stats().unwritten, 1, 'kept in memory: the file could not take it');
      await t.notifier.idle();
      assert.deepEqual(
        receiver.requests.filter((r) => r.url === '/api/businesses/busy-ok/events').map((r) => r.headers['webhook-id']),
        [id],
      );
      assert.equal(t.notifier.stats().unwritten, 0, 'delivered before it was ever written: nothing left to write');
      assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 0);
      assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
      const log = t.logger.lines.join('\n');
      assert.match(log, /warn: dashboard webhook: refused an event that could not be read or serialised/);
      assert.match(log, /error: dashboard webhook: the outbox is busy: another process .* NOT on disk until the outbox can be written/);
    } finally {
      await holder.stop();
      await t.notifier.shutdown();
    }
  });

  it('writes what it kept, in order, once the lock is gone; then events are on disk before notify() returns again', async () => {
    const dir = tempOutbox();
    const down = `http://127.0.0.1:${await freePort()}`;
    const t = testNotifier(down, { outbox: dir, maxRetries: 1, breakerThreshold: 100, outboxPollMs: 60_000 });
    const holder = await holdWriteLock(dir);
    let first: string | undefined;
    let second: string | undefined;
    try {
      first = t.notifier.notify(event('busy-kept', 1));
      second = t.notifier.notify(event('busy-kept', 2));
      await t.notifier.idle();
      assert.equal(t.notifier.stats().unwritten, 2, 'both kept in memory');
      assert.equal(t.notifier.stats().outboxWaiting, 0);
      assert.equal(stateOnDisk(dir, first as string), undefined);
    } finally {
      await holder.stop();
    }
    await waitFor('the kept events to be written', () => t.notifier.stats().unwritten === 0, { intervalMs: 20 });
    const rows = new DatabaseSync(join(dir, OUTBOX_FILE), { readOnly: true });
    const waiting = rows.prepare("SELECT id FROM events WHERE state = 'waiting' ORDER BY seq").all();
    rows.close();
    assert.deepEqual(
      waiting.map((row) => row.id),
      [first, second],
      'waiting, in the order accepted',
    );
    assert.match(
      t.logger.lines.join('\n'),
      /info: dashboard webhook: the outbox can be written again; 2 event\(s\) kept in memory are on disk now/,
    );

    const third = t.notifier.notify(event('busy-after', 3));
    assert.equal(stateOnDisk(dir, third as string), 'live', 'writable again: on disk before notify() returned');
    await t.notifier.shutdown();
    assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 0);
  });
});
