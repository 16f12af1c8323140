/**
 * Bad input is refused at notify(): counted as `rejected`, logged once per
 * reason, never sent (so never a 431 or a closed socket counted against the
 * breaker), never kept. Valid events around it are delivered as usual.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { DELIVERIES, event, FAILURES, testNotifier } from './support.ts';

/** The documented limit (prepare-event.ts), written out: the test holds the code to the README, not to itself. */
const MAX_BUSINESS_ID_BYTES = 256;

let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver();
});
after(() => receiver.close());

function sentFor(prefix: string): number {
  return receiver.requests.filter((r) => r.url.startsWith(`/api/businesses/${prefix}`)).length;
}

describe('refused input', () => {
  it(`a business_id over ${MAX_BUSINESS_ID_BYTES} bytes of UTF-8 is refused, not sent; the breaker never hears of it`, async () => {
    const t = testNotifier(receiver.url, { breakerThreshold: 2 });
    const atLimit = `long-${'x'.repeat(MAX_BUSINESS_ID_BYTES - 5)}`;
    // Bytes, not characters: 'é' is 2 bytes in UTF-8, so these 131 characters are 257 bytes.
    const overByOne = `long-${'é'.repeat(126)}`;
    assert.equal(Buffer.byteLength(overByOne), MAX_BUSINESS_ID_BYTES + 1);
    assert.ok(t.notifier.notify(event(atLimit)), 'exactly the limit is accepted');
    assert.equal(t.notifier.notify(event(overByOne)), undefined);
    for (const letter of 'abc') assert.equal(t.notifier.notify(event(`long-${letter.repeat(100_000)}`)), undefined);
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(sentFor('long-'), 1, 'only the id within the limit was sent');
    assert.equal(await t.metric(DELIVERIES, { outcome: 'rejected' }), 4);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'delivered' }), 1);
    assert.equal(await t.metric(FAILURES, { reason: 'network' }), 0);
    assert.equal(t.notifier.stats().circuit, 'closed');
    const refusals = t.logger.lines.filter((line) => line.includes('refused a business_id'));
    assert.deepEqual(refusals, [
      `warn: dashboard webhook: refused a business_id of 257 bytes (the limit is ${MAX_BUSINESS_ID_BYTES} bytes of UTF-8); not sent, not kept (further ones are only counted)`,
    ]);
  });

  it('an event whose JSON is over maxEventBytes is refused, naming the limit and how to change it', async () => {
    const t = testNotifier(receiver.url, { maxEventBytes: 2048 });
    const big = { ...event('size-big'), data: { blob: 'x'.repeat(2048) } };
    const small = { ...event('size-small'), data: { blob: 'x'.repeat(1500) } };
    assert.equal(t.notifier.notify(big), undefined);
    assert.ok(t.notifier.notify(small));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(sentFor('size-big'), 0);
    assert.equal(sentFor('size-small'), 1);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'rejected' }), 1);
    assert.match(
      t.logger.lines.join('\n'),
      /warn: dashboard webhook: refused an event of \d+ bytes of JSON \(the limit is 2048: GENESIS_DASHBOARD_MAX_EVENT_BYTES or the "maxEventBytes" option\)/,
    );
  });

  it('by default, an event of more than 64 KiB of JSON is refused', async () => {
    const t = testNotifier(receiver.url);
    assert.equal(t.notifier.notify({ ...event('size-default'), data: { blob: 'x'.repeat(65_536) } }), undefined);
    assert.ok(t.notifier.notify({ ...event('size-default'), data: { blob: 'x'.repeat(60_000) } }));
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(sentFor('size-default'), 1);
  });

  it('data that cannot be serialised (BigInt, a cycle, a throwing getter) is rejected, not dropped, and logged once per reason', async () => {
    const t = testNotifier(receiver.url);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const throwing = Object.defineProperty({}, 'business_id', {
      get() {
        throw new Error('no id today');
      },
    });
    const refused = [
      { ...event('json-bigint'), data: { n: 10n } },
      { ...event('json-cycle'), data: cycle },
      { ...event('json-tojson'), toJSON: () => undefined },
      throwing,
      { ...event('\uD800-lone'), data: {} },
      null,
      { ...event(''), data: {} },
    ];
    for (const bad of refused) assert.equal(t.notifier.notify(bad as never), undefined);
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.equal(await t.metric(DELIVERIES, { outcome: 'rejected' }), refused.length);
    assert.equal(await t.metric(DELIVERIES, { outcome: 'dropped' }), 0, 'dropped means lost with no outbox: not this');
    assert.equal(sentFor('json-'), 0);
    const log = t.logger.lines.filter((line) => line.includes('refused'));
    assert.equal(log.length, 3, log.join('\n'));
    assert.match(log[0] ?? '', /refused an event that could not be read or serialised to JSON \(Do not know how to serialize a BigInt\)/);
    assert.match(log[1] ?? '', /refused a business_id that is not well-formed Unicode/);
    assert.match(log[2] ?? '', /refused an event without a string business_id/);
  });
});
