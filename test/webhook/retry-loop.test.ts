/** The in-process attempts of one event, with a scripted sender: how many, how long apart, how it ends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SendOutcome } from '../../src/webhook/attempt-sender.ts';
import { deliverWithRetries } from '../../src/webhook/retry-loop.ts';

const settings = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 };
const transient: SendOutcome = { kind: 'transient', reason: 'http_5xx', message: 'HTTP 503' };

function scripted(outcomes: SendOutcome[]) {
  const sent: number[] = [];
  return {
    sent,
    send: async () => {
      sent.push(Date.now());
      return outcomes.shift() ?? { kind: 'delivered' as const };
    },
  };
}

describe('deliverWithRetries', () => {
  const item = () => ({ id: 'msg_1', url: 'http://127.0.0.1:9/x', body: '{}', attempts: 0 });

  it('stops at the first success', async () => {
    const s = scripted([transient]);
    const it1 = item();
    assert.deepEqual(await deliverWithRetries(it1, { ...s, settings, random: () => 0.5, stopping: new AbortController().signal }), {
      kind: 'delivered',
    });
    assert.equal(s.sent.length, 2);
    assert.equal(it1.attempts, 1, 'failed attempts are counted on the item');
  });

  it('does not wait once shutdown has begun: the event is kept at once', async () => {
    const stop = new AbortController();
    stop.abort();
    const s = scripted([transient]);
    assert.deepEqual(await deliverWithRetries(item(), { ...s, settings, random: () => 0.5, stopping: stop.signal }), {
      kind: 'keep',
      message: 'HTTP 503',
    });
  });

  it('makes maxRetries attempts, then keeps the event with the last error', async () => {
    const s = scripted([transient, transient, transient, transient]);
    const end = await deliverWithRetries(item(), { ...s, settings, random: () => 0.5, stopping: new AbortController().signal });
    assert.deepEqual(end, { kind: 'keep', message: 'HTTP 503' });
    assert.equal(s.sent.length, 3);
  });

  it('ends at once on a final verdict or a 410', async () => {
    for (const kind of ['rejected', 'gone'] as const) {
      const s = scripted([{ kind, reason: 'http_4xx', message: 'HTTP 404' }]);
      const end = await deliverWithRetries(item(), { ...s, settings, random: () => 0.5, stopping: new AbortController().signal });
      assert.deepEqual(end, { kind, message: 'HTTP 404' });
      assert.equal(s.sent.length, 1);
    }
  });

  it('keeps an event the breaker turned away, without counting an attempt', async () => {
    const s = scripted([{ kind: 'skipped' }]);
    const it1 = item();
    assert.equal(
      (await deliverWithRetries(it1, { ...s, settings, random: () => 0.5, stopping: new AbortController().signal })).kind,
      'keep',
    );
    assert.equal(it1.attempts, 0);
  });

  it('a shutdown during a retry wait ends the loop at once', async () => {
    const stop = new AbortController();
    const s = scripted([transient, transient]);
    const running = deliverWithRetries(item(), {
      ...s,
      settings: { ...settings, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 0.99,
      stopping: stop.signal,
    });
    await new Promise((resolve) => setImmediate(resolve)); // the first attempt has failed: the loop now waits a minute
    stop.abort();
    assert.match(((await running) as { message: string }).message, /shutdown during a retry wait/);
    assert.equal(s.sent.length, 1);
  });
});
