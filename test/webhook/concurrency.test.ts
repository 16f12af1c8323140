/**
 * One limit on requests in flight, shared by the in-memory deliveries and the
 * outbox drainer: with both busy at once, at most `concurrency` requests are
 * open, and none spends its deadline queued for a socket (which was a false
 * timeout, counted against the breaker).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Outbox } from '../../src/webhook/outbox.ts';
import { waitFor } from '../support/wait.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { ATTEMPTS, DELIVERIES, event, FAILURES, tempOutbox, testNotifier } from './support.ts';

let receiver: WebhookReceiver;
before(async () => {
  // Slow enough that a request queued behind two others would pass the 500 ms deadline below.
  receiver = await startWebhookReceiver(() => ({ status: 204, delayMs: 300 }));
});
after(() => receiver.close());

/** Events already waiting in the outbox, due now, as a previous run would have left them. */
function seedOutbox(dir: string, businesses: readonly string[]): string[] {
  const outbox = new Outbox(dir);
  const ids = businesses.map((businessId, i) => {
    const id = `msg_seeded${i}`;
    const body = JSON.stringify(event(businessId));
    outbox.add({ id, businessId, updateType: 'deployed', body, acceptedAt: Date.now() }, 'waiting', Date.now() + 3_600_000);
    return id;
  });
  outbox.close();
  return ids;
}

describe('the concurrency limit', () => {
  it('holds for the queue and the outbox together: at most `concurrency` requests, no false timeouts', async () => {
    const dir = tempOutbox();
    const seeded = seedOutbox(dir, ['conc-old-0', 'conc-old-1', 'conc-old-2', 'conc-old-3']);
    receiver.resetMaxConcurrent();
    const t = testNotifier(receiver.url, { outbox: dir, concurrency: 2, timeoutMs: 500, maxRetries: 1, breakerThreshold: 100 });
    const fresh = ['conc-new-0', 'conc-new-1', 'conc-new-2', 'conc-new-3'].map((id) => t.notifier.notify(event(id)));
    await waitFor('all eight to be delivered', async () => (await t.metric(DELIVERIES, { outcome: 'delivered' })) === 8, {
      timeoutMs: 15_000,
      intervalMs: 20,
    });
    await t.notifier.shutdown();
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    assert.deepEqual([...ids].sort(), [...seeded, ...fresh].sort(), 'each event sent once: none timed out and went again');
    assert.equal(receiver.maxConcurrent, 2);
    assert.equal(await t.metric(FAILURES, { reason: 'timeout' }), 0);
    assert.equal(await t.metric(ATTEMPTS), 8);
  });
});
