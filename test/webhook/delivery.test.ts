/**
 * Delivery against a real node:http dashboard on 127.0.0.1: which answers
 * succeed, which are retried and how, which are final, and where each event
 * ends up. Delays are kept tiny through the options.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNoopMeter } from '@opentelemetry/api';
import { Webhook } from 'standardwebhooks';
import { Outbox } from '../../src/webhook/outbox.ts';
import { freePort } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { ATTEMPTS, DELIVERIES, DISABLED, event, FAILURES, SECRET, testNotifier } from './support.ts';

let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver();
});
after(() => receiver.close());

/** Requests for one business (each test uses its own id, so earlier tests never interfere). */
function requestsOf(businessId: string): ReceivedRequest[] {
  return receiver.requests.filter((r) => r.url === `/api/businesses/${encodeURIComponent(businessId)}/events`);
}

/** Answers `first` to the first `times` requests of this business, then `then`. */
function script(
  businessId: string,
  first: Parameters<WebhookReceiver['respond']>[0] extends (...a: never[]) => infer R ? R : never,
  times: number,
) {
  const path = `/api/businesses/${encodeURIComponent(businessId)}/events`;
  let seen = 0;
  receiver.respond((request) => {
    if (request.url !== path) return { status: 204 };
    seen += 1;
    return seen <= times ? first : { status: 204 };
  });
}

describe('success', () => {
  for (const status of [200, 201, 202, 204]) {
    it(`${status} is delivered at the first attempt`, async () => {
      const id = `ok-${status}`;
      script(id, { status }, 1);
      const t = testNotifier(receiver.url);
      t.notifier.notify(event(id));
      await t.notifier.idle();
      await t.notifier.shutdown();
      assert.equal(requestsOf(id).length, 1);
      assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
      assert.equal(await t.metric(FAILURES, { reason: 'http_5xx' }), 0);
    });
  }

  it('works with metrics off (a no-op Meter)', async () => {
    script('noop-meter', { status: 204 }, 0);
    const t = testNotifier(receiver.url, { meter: createNoopMeter() });
    t.notifier.notify(event('noop-meter'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(requestsOf('noop-meter').length, 1);
    assert.deepEqual(t.logger.lines, []);
  });

  it('sends the old wire format as JSON: business_id, update_type, data, timestamp', async () => {
    script('wire', { status: 204 }, 0);
    const t = testNotifier(receiver.url);
    const sent = event('wire', 42);
    t.notifier.notify(sent);
    await t.notifier.idle();
    await t.notifier.shutdown();
    const [request] = requestsOf('wire');
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request?.body ?? ''), sent);
  });

  it('reads only a few KB of a large response body, then hangs up', async () => {
    // 1 MiB, 16 KiB every 2 ms: a client that read it all would stay for ~130 ms and take every byte.
    script('huge', { status: 200, slowBody: { chunkBytes: 16_384, chunks: 64, everyMs: 2 } }, 1);
    const t = testNotifier(receiver.url);
    t.notifier.notify(event('huge'));
    await t.notifier.idle();
    const body = receiver.slowBodies.at(-1);
    assert.ok(body);
    await waitFor('the receiver to stop writing', () => body.outcome !== 'writing', { intervalMs: 5 });
    await t.notifier.shutdown();
    assert.equal(body.outcome, 'closed-by-client');
    assert.ok(body.bytesWritten <= body.totalBytes / 8, `${body.bytesWritten} of ${body.totalBytes} bytes written before the client left`);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
  });
});

describe('retried', () => {
  const cases = [
    [500, 'http_5xx'],
    [502, 'http_5xx'],
    [503, 'http_5xx'],
    [504, 'http_5xx'],
    [408, 'http_408'],
    [429, 'http_429'],
  ] as const;
  for (const [status, reason] of cases) {
    it(`${status} is retried and then delivered, counted as ${reason}`, async () => {
      const id = `retry-${status}`;
      script(id, { status }, 2);
      const t = testNotifier(receiver.url);
      const webhookId = t.notifier.notify(event(id));
      await t.notifier.idle();
      await t.notifier.shutdown();
      const requests = requestsOf(id);
      assert.equal(requests.length, 3);
      assert.ok(
        requests.every((r) => r.headers['webhook-id'] === webhookId),
        'the same webhook-id on every attempt',
      );
      assert.equal(await t.metric(FAILURES, { reason }), 2);
      assert.equal(await t.metric(ATTEMPTS), 3);
      assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
    });
  }

  it('429 with Retry-After waits as asked, and each attempt is signed afresh (new timestamp, same id)', async () => {
    script('retry-after', { status: 429, headers: { 'retry-after': '1' } }, 1);
    const t = testNotifier(receiver.url);
    t.notifier.notify(event('retry-after'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    const [first, second] = requestsOf('retry-after');
    assert.ok(first && second);
    assert.ok(second.at - first.at >= 950, `waited ${second.at - first.at} ms`);
    assert.notEqual(first.headers['webhook-timestamp'], second.headers['webhook-timestamp']);
    assert.equal(first.headers['webhook-id'], second.headers['webhook-id']);
    for (const request of [first, second]) {
      assert.doesNotThrow(() => new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>));
    }
  });

  it('503 with Retry-After as an HTTP date waits until that date', async () => {
    const path = `/api/businesses/retry-after-date/events`;
    let retryAt: number | undefined;
    receiver.respond((request) => {
      if (request.url !== path || retryAt !== undefined) return { status: 204 };
      const date = new Date(Date.now() + 1500).toUTCString();
      retryAt = Date.parse(date); // HTTP dates count whole seconds: 0.5 to 1.5 s from now
      return { status: 503, headers: { 'retry-after': date } };
    });
    const t = testNotifier(receiver.url); // its own backoff waits 10 ms at most: any longer wait is the date's
    t.notifier.notify(event('retry-after-date'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    const [first, second] = requestsOf('retry-after-date');
    assert.ok(first && second && retryAt !== undefined);
    // A little slack below the date: the timer and the receiver's clock may differ by a millisecond or so.
    assert.ok(second.at >= retryAt - 20, `retried ${retryAt - second.at} ms before the date`);
    assert.ok(second.at - first.at >= 450, `waited ${second.at - first.at} ms`);
    assert.ok(second.at <= retryAt + 500, `retried ${second.at - retryAt} ms after the date`);
  });

  it('a Retry-After beyond maxRetryAfterMs is clamped, not obeyed for an hour (got would give up)', async () => {
    script('retry-after-long', { status: 503, headers: { 'retry-after': '3600' } }, 1);
    const t = testNotifier(receiver.url, { maxRetryAfterMs: 20 });
    t.notifier.notify(event('retry-after-long'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(requestsOf('retry-after-long').length, 2);
  });

  it('a connection reset mid-request is retried (network)', async () => {
    script('reset', { reset: true }, 1);
    const t = testNotifier(receiver.url);
    t.notifier.notify(event('reset'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(requestsOf('reset').length, 2);
    assert.equal(await t.metric(FAILURES, { reason: 'network' }), 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
  });

  it('a connection reset in the middle of the response, after its headers, is retried (network)', async () => {
    script('reset-mid-response', { status: 200, resetMidResponse: true }, 1);
    const t = testNotifier(receiver.url);
    t.notifier.notify(event('reset-mid-response'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(requestsOf('reset-mid-response').length, 2);
    assert.equal(await t.metric(FAILURES, { reason: 'network' }), 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
  });

  it('a response slower than the timeout is retried (timeout)', async () => {
    script('slow', { status: 204, delayMs: 1500 }, 1);
    const t = testNotifier(receiver.url, { timeoutMs: 300 });
    t.notifier.notify(event('slow'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(await t.metric(FAILURES, { reason: 'timeout' }), 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
  });

  it('connection refused: every attempt fails (network), then the event goes to the outbox', async () => {
    const port = await freePort();
    const t = testNotifier(`http://127.0.0.1:${port}`, { maxRetries: 3 });
    const id = t.notifier.notify(event('refused'));
    await t.notifier.idle();
    assert.equal(await t.metric(FAILURES, { reason: 'network' }), 3);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'outboxed' }), 1);
    await t.notifier.shutdown();
    const outbox = new Outbox(t.outboxDir);
    assert.deepEqual(
      outbox.list('waiting').map((r) => r.id),
      [id],
    );
    outbox.close();
  });

  it('without an outbox, an event that exhausts its attempts is dropped, counted and logged once', async () => {
    const port = await freePort();
    const t = testNotifier(`http://127.0.0.1:${port}`, { outbox: false, maxRetries: 2 });
    t.notifier.notify(event('dropped-1'));
    t.notifier.notify(event('dropped-2'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 2);
    assert.equal(t.logger.lines.filter((l) => l.includes('dropped')).length, 1);
  });
});

describe('not retried', () => {
  for (const status of [400, 401, 404, 422]) {
    it(`${status} is final: one attempt, rejected, kept as a dead letter`, async () => {
      const id = `final-${status}`;
      script(id, { status }, 5);
      const t = testNotifier(receiver.url);
      t.notifier.notify(event(id));
      await t.notifier.idle();
      assert.equal(t.notifier.stats().outboxDead, 1);
      await t.notifier.shutdown();
      assert.equal(requestsOf(id).length, 1);
      assert.equal(await t.metric(FAILURES, { reason: 'http_4xx' }), 1);
      assert.equal(await t.metric(DELIVERIES, { outcome: 'rejected' }), 1);
      assert.equal(await t.metric(ATTEMPTS), 1);
    });
  }

  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} redirect is not followed; the message says to fix the URL`, async () => {
      const id = `redirect-${status}`;
      script(id, { status, headers: { location: '/elsewhere' } }, 5);
      const t = testNotifier(receiver.url);
      t.notifier.notify(event(id));
      await t.notifier.idle();
      await t.notifier.shutdown();
      assert.equal(requestsOf(id).length, 1);
      assert.equal(receiver.requests.filter((r) => r.url === '/elsewhere').length, 0);
      assert.equal(await t.metric(FAILURES, { reason: 'redirect' }), 1);
      assert.match(t.logger.lines.join('\n'), /redirects are not followed; fix GENESIS_DASHBOARD_URL/);
    });
  }

  it('410 disables the endpoint loudly: later events are not sent but kept', async () => {
    script('gone', { status: 410 }, 100);
    const t = testNotifier(receiver.url);
    assert.equal(await t.metric(DISABLED), 0, 'served from the start, at 0');
    t.notifier.notify(event('gone'));
    await t.notifier.idle();
    assert.equal(await t.metric(DISABLED), 1, 'the gauge an alert can page on: no failure counter moves once disabled');
    t.notifier.notify(event('gone', 1));
    t.notifier.notify(event('gone-too'));
    await t.notifier.idle();
    assert.equal(t.notifier.stats().outboxWaiting, 3);
    await t.notifier.shutdown();
    assert.equal(requestsOf('gone').length, 1);
    assert.equal(requestsOf('gone-too').length, 0);
    assert.equal(await t.metric(FAILURES, { reason: 'http_410' }), 1);
    assert.match(t.logger.lines.join('\n'), /error: dashboard webhook DISABLED: HTTP 410/);
  });
});

it('410 without an outbox: later events are dropped and counted, not held in memory forever', async () => {
  script('gone-bare', { status: 410 }, 100);
  const t = testNotifier(receiver.url, { outbox: false });
  t.notifier.notify(event('gone-bare'));
  await t.notifier.idle();
  for (let i = 0; i < 3; i++) t.notifier.notify(event('gone-bare', i + 1));
  await t.notifier.idle();
  assert.equal(t.notifier.stats().queued, 0);
  await t.notifier.shutdown();
  assert.equal(requestsOf('gone-bare').length, 1);
  assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 4);
  assert.equal(await t.metric(DISABLED), 1);
});

describe('the request', () => {
  it('encodes the business id as one path segment: no other route is reachable', async () => {
    receiver.respond(() => ({ status: 204 }));
    // Literal %2F too: sent as is, a server that decodes before routing would see "../admin" (or a/b) in it.
    const ids = ['../../admin', 'a?b=c', 'x#y', 'a/b', '%2e%2e', '%2F..%2Fadmin', 'a%2Fb', 'ünï cødé'];
    const t = testNotifier(receiver.url);
    for (const id of ids) t.notifier.notify(event(id));
    assert.equal(t.notifier.notify(event('..')), undefined, '".." is refused');
    assert.equal(t.notifier.notify(event('.')), undefined);
    await t.notifier.idle();
    await t.notifier.shutdown();
    const paths = receiver.requests.slice(-ids.length).map((r) => r.url);
    assert.deepEqual(paths.sort(), ids.map((id) => `/api/businesses/${encodeURIComponent(id)}/events`).sort());
    const segments = paths.map((path) => /^\/api\/businesses\/([^/?#]+)\/events$/.exec(path)?.[1]);
    // Decoded once, as a server routes, each segment is exactly the id it was given: "%2F" stays three characters.
    assert.deepEqual(segments.map((segment) => decodeURIComponent(segment ?? '')).sort(), [...ids].sort());
    assert.ok(paths.includes('/api/businesses/%252F..%252Fadmin/events'), paths.join(' '));
  });

  it('carries Standard Webhooks headers for every secret of a rotation, and the legacy header', async () => {
    receiver.respond(() => ({ status: 204 }));
    const next = 'whsec_dGhpcyBpcyB0aGUgbmV4dCBzZWNyZXQgMTIzNA==';
    const t = testNotifier(receiver.url, { secrets: [next, SECRET] });
    t.notifier.notify(event('rotation'));
    await t.notifier.idle();
    await t.notifier.shutdown();
    const [request] = requestsOf('rotation');
    assert.ok(request);
    const headers = request.headers as Record<string, string>;
    assert.doesNotThrow(() => new Webhook(SECRET).verify(request.body, headers));
    assert.doesNotThrow(() => new Webhook(next).verify(request.body, headers));
    assert.match(headers['x-genesis-signature'] ?? '', /^sha256=[0-9a-f]{64}$/);
  });

  it('keeps at most `concurrency` requests in flight, and notify() returns at once', async () => {
    receiver.respond(() => ({ status: 204, delayMs: 30 }));
    receiver.resetMaxConcurrent(); // earlier tests' requests must not count
    const t = testNotifier(receiver.url, { concurrency: 3 });
    const started = performance.now();
    for (let i = 0; i < 24; i++) t.notifier.notify(event(`conc-${i}`));
    const took = performance.now() - started;
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.ok(took < 500, `24 notify() calls took ${took} ms`);
    assert.equal(receiver.maxConcurrent, 3);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 24);
  });

  it('keeps each business in order: never two of its events in flight', async () => {
    receiver.respond(() => ({ status: 204, delayMs: 5 }));
    const t = testNotifier(receiver.url, { concurrency: 8 });
    for (let i = 0; i < 20; i++) t.notifier.notify(event('ordered', i));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.deepEqual(
      requestsOf('ordered').map((r) => JSON.parse(r.body).data.seq),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});

describe('order across memory and the outbox', () => {
  it("never lets a business's later events overtake one still in flight in process (waiting out a Retry-After)", async () => {
    // b1 is refused once with Retry-After: 1, so it sleeps in process for a second. c1's failure opens the breaker
    // meanwhile, which hands b2 (queued behind b1) to the outbox, and b3, accepted while the breaker is open, goes
    // there directly: both would be due at the end of the cooldown, well before b1's retry.
    const seen = new Map<string, number>();
    receiver.respond((request) => {
      const business = request.url.split('/')[3] ?? '';
      const n = (seen.get(business) ?? 0) + 1;
      seen.set(business, n);
      if (n > 1) return { status: 204 };
      if (business === 'order-b') return { status: 503, headers: { 'retry-after': '1' } };
      return business === 'order-c' ? { status: 503 } : { status: 204 };
    });
    const t = testNotifier(receiver.url, { breakerThreshold: 2, breakerCooldownMs: 300, maxRetries: 2, concurrency: 4 });
    t.notifier.notify(event('order-b', 1));
    t.notifier.notify(event('order-c', 1));
    t.notifier.notify(event('order-b', 2));
    await waitFor('the breaker to open', () => t.notifier.stats().circuit === 'open', { intervalMs: 5 });
    t.notifier.notify(event('order-b', 3));
    await waitFor('every event of order-b to arrive', () => requestsOf('order-b').length >= 4, { intervalMs: 10 });
    await waitFor('the outbox to empty', () => t.notifier.stats().outboxWaiting === 0, { intervalMs: 10 });
    await t.notifier.shutdown();
    const seqs = requestsOf('order-b').map((r) => JSON.parse(r.body).data.seq as number);
    assert.deepEqual(seqs, [1, 1, 2, 3], 'b1 (refused, then accepted), then b2, then b3');
  });
});
