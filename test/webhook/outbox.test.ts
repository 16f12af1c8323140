/**
 * Nothing lost: the breaker, a long outage, the maximum age, replay, and
 * shutdown, against a real dashboard that goes down and comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Outbox } from '../../src/webhook/outbox.ts';
import { waitFor } from '../support/wait.ts';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { CIRCUIT, DELIVERIES, event, FAILURES, testNotifier } from './support.ts';

let receiver: WebhookReceiver;
let down = true;
/** The requests answered 204 by the default responder: the deliveries, as opposed to the failed attempts. */
const accepted: ReceivedRequest[] = [];
before(async () => {
  receiver = await startWebhookReceiver((request) => {
    if (down) return { status: 503 };
    accepted.push(request);
    return { status: 204 };
  });
});
after(() => receiver.close());

function delivered(prefix: string) {
  return receiver.requests.filter((r) => r.url.startsWith(`/api/businesses/${prefix}`));
}

describe('the circuit breaker', () => {
  it('opens on consecutive transient failures, keeps events without attempting them, and a probe closes it', async () => {
    down = true;
    const t = testNotifier(receiver.url, { breakerThreshold: 3, breakerCooldownMs: 300, maxRetries: 3 });
    t.notifier.notify(event('cb-a'));
    await waitFor('the circuit to open', () => t.notifier.stats().circuit === 'open');
    assert.equal(await t.metric(CIRCUIT, { state: 'open' }), 1);
    const before = delivered('cb-').length;
    for (let i = 0; i < 5; i++) t.notifier.notify(event('cb-b', i));
    assert.equal(delivered('cb-').length, before, 'nothing is attempted while open');
    assert.equal(t.notifier.stats().outboxWaiting, 6);
    assert.ok((await t.metric(FAILURES, { reason: 'circuit_open' })) >= 5);
    down = false;
    await waitFor('the probe to close the circuit and the outbox to empty', () => t.notifier.stats().outboxWaiting === 0, {
      timeoutMs: 30_000,
    });
    assert.equal(t.notifier.stats().circuit, 'closed');
    assert.equal(await t.metric(CIRCUIT, { state: 'closed' }), 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 6);
    await t.notifier.shutdown();
  });

  it('without an outbox, keeps events in memory while open and delivers them after the probe', async () => {
    down = true;
    const t = testNotifier(receiver.url, { outbox: false, breakerThreshold: 2, breakerCooldownMs: 200, maxRetries: 2 });
    t.notifier.notify(event('cbm-a'));
    await waitFor('the circuit to open', () => t.notifier.stats().circuit === 'open');
    for (let i = 0; i < 3; i++) t.notifier.notify(event('cbm-b', i));
    down = false;
    // The first event too: its last attempt opened the breaker, so it is held rather than dropped.
    await waitFor('the held events to be delivered', async () => (await t.metric(DELIVERIES, { outcome: 'delivered' })) === 4, {
      timeoutMs: 30_000,
    });
    assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 0);
    await t.notifier.shutdown();
  });
});

describe('the outbox', () => {
  it('keeps every event through a long outage and delivers each business in order afterwards', async () => {
    down = true;
    const t = testNotifier(receiver.url, { breakerThreshold: 2, breakerCooldownMs: 100, maxRetries: 2 });
    const businesses = ['lo-a', 'lo-b', 'lo-c', 'lo-d'];
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) ids.add(t.notifier.notify(event(businesses[i % 4] as string, i)) as string);
    await waitFor('every event to be in the outbox', () => t.notifier.stats().outboxWaiting === 40);
    // Stay down through several probes: the outbox keeps retrying and losing nothing.
    await waitFor('a few failed probes', async () => (await t.metric(FAILURES, { reason: 'http_5xx' })) >= 6);
    assert.equal(t.notifier.stats().outboxWaiting, 40);
    down = false;
    await waitFor('the outbox to drain', () => t.notifier.stats().outboxWaiting === 0, { timeoutMs: 30_000 });
    await t.notifier.shutdown();
    const ok = accepted.filter((r) => r.url.startsWith('/api/businesses/lo-'));
    // Each of the 40 delivered exactly once (nothing answered 204 is sent again), and nothing else.
    assert.equal(ids.size, 40);
    assert.deepEqual(ok.map((r) => r.headers['webhook-id']).sort(), [...ids].sort());
    for (const [index, business] of businesses.entries()) {
      const seqs = ok.filter((r) => r.url === `/api/businesses/${business}/events`).map((r) => JSON.parse(r.body).data.seq);
      const expected = Array.from({ length: 10 }, (_, i) => index + 4 * i);
      assert.deepEqual(seqs, expected, `${business} delivered in the order it was accepted`);
    }
  });

  it('dead-letters what passes the maximum age (counted, logged), and a replay delivers it', async () => {
    down = true;
    const t = testNotifier(receiver.url, { breakerThreshold: 100, maxRetries: 1, outboxMaxAgeMs: 300 });
    const id = t.notifier.notify(event('old'));
    await waitFor('the event to be dead-lettered', () => t.notifier.stats().outboxDead === 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'dead_lettered' }), 1);
    assert.match(t.logger.lines.join('\n'), /dead-lettered; list them with "genesis-telemetry outbox list"/);
    await t.notifier.shutdown();

    down = false;
    const outbox = new Outbox(t.outboxDir);
    assert.deepEqual(
      outbox.list('dead').map((r) => r.id),
      [id],
    );
    assert.equal(outbox.requeue(undefined, Date.now(), 60_000), 1);
    outbox.close();
    const again = testNotifier(receiver.url, { outbox: t.outboxDir });
    await waitFor('the replayed event to arrive', () => (again.notifier.stats().outboxWaiting === 0 ? true : undefined));
    assert.equal(delivered('old').at(-1)?.headers['webhook-id'], id, 'the same webhook-id as the first attempts');
    await again.notifier.shutdown();
  });
});

describe('shutdown', () => {
  it('drains what is queued within the deadline', async () => {
    down = false;
    receiver.respond(() => ({ status: 204, delayMs: 20 }));
    const t = testNotifier(receiver.url, { concurrency: 2, shutdownTimeoutMs: 10_000 });
    for (let i = 0; i < 20; i++) t.notifier.notify(event('drain', i));
    await t.notifier.shutdown();
    assert.equal(delivered('drain').length, 20);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 20);
    await t.notifier.shutdown(); // idempotent
  });

  it('writes what it could not deliver by the deadline to the outbox; the next run delivers it with the same ids', async () => {
    receiver.respond((r) => (r.url.includes('stuck') ? { hang: true } : { status: 204 }));
    const t = testNotifier(receiver.url, { concurrency: 2, shutdownTimeoutMs: 300 });
    const ids = Array.from({ length: 6 }, (_, i) => t.notifier.notify(event('stuck', i)));
    await waitFor('the first request to hang', () => delivered('stuck').length >= 1);
    const started = Date.now();
    await t.notifier.shutdown();
    assert.ok(Date.now() - started < 5000);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'outboxed' }), 6);
    assert.equal(t.notifier.notify(event('late')), undefined, 'after shutdown nothing is accepted');

    receiver.respond(() => ({ status: 204 }));
    const next = testNotifier(receiver.url, { outbox: t.outboxDir });
    await waitFor('the next run to deliver the rest', () => next.notifier.stats().outboxWaiting === 0);
    const got = delivered('stuck').map((r) => r.headers['webhook-id']);
    for (const id of ids) assert.ok(got.includes(id));
    await next.notifier.shutdown();
  });
});
