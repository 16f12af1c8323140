/**
 * Signatures as pure functions, checked against the Standard Webhooks
 * reference library (`standardwebhooks`), and the receiver-side verifyWebhook.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { legacyKey, legacySignature, NO_SIGNING_KEYS, secretKey, signatureHeaders } from '../../src/webhook/signing.ts';
import { verifyWebhook } from '../../src/webhook/verify.ts';
import { startVerifyingReceiver, type VerifyingReceiverOptions } from '../../src/webhook/verifying-receiver.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OLD_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ business_id: 'biz-1', update_type: 'deployed', data: { ok: true }, timestamp: '2025-01-01T00:00:00.000Z' });

function sign(secrets: string[], id = 'msg_1', timestamp = Math.floor(Date.now() / 1000)) {
  const standard = secrets.map((s) => secretKey(s) as NonNullable<ReturnType<typeof secretKey>>);
  return signatureHeaders({ standard, legacy: legacyKey(secrets[0] as string) }, id, timestamp, body);
}

describe('signatures', () => {
  it('are accepted by the Standard Webhooks reference library', () => {
    const headers = sign([SECRET]);
    assert.deepEqual(new Webhook(SECRET).verify(body, headers), JSON.parse(body));
  });

  it('carry one signature per secret during a rotation, each accepted by the reference library', () => {
    const headers = sign([SECRET, OLD_SECRET]);
    assert.equal(headers['webhook-signature']?.split(' ').length, 2);
    assert.doesNotThrow(() => new Webhook(SECRET).verify(body, headers));
    assert.doesNotThrow(() => new Webhook(OLD_SECRET).verify(body, headers));
    assert.throws(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers));
  });

  it('use a raw (non-whsec_) secret as UTF-8 bytes, as the reference library does with format "raw"', () => {
    const headers = sign(['correct horse battery staple']);
    assert.doesNotThrow(() => new Webhook('correct horse battery staple', { format: 'raw' }).verify(body, headers));
  });

  it('send the legacy X-Genesis-Signature: sha256=<hex HMAC of the body> with the current secret', () => {
    const headers = sign([SECRET, OLD_SECRET]);
    const expected = createHmac('sha256', SECRET).update(body).digest('hex');
    assert.equal(headers['x-genesis-signature'], `sha256=${expected}`);
    assert.equal(legacySignature(legacyKey(SECRET), body), `sha256=${expected}`);
  });

  it('without a secret, send only the id and timestamp', () => {
    assert.deepEqual(Object.keys(signatureHeaders(NO_SIGNING_KEYS, 'msg_1', 5, body)).sort(), ['webhook-id', 'webhook-timestamp']);
  });

  it('refuse a whsec_ secret that is not base64', () => {
    assert.equal(secretKey('whsec_not base64!'), undefined);
  });
});

describe('verifyWebhook', () => {
  const now = () => 1_700_000_000_000;
  const at = Math.floor(now() / 1000);

  it('accepts a good signature and returns the id', () => {
    const result = verifyWebhook({ body, headers: sign([SECRET], 'msg_9', at), secrets: SECRET, now });
    assert.deepEqual(result, { ok: true, id: 'msg_9', timestamp: at, scheme: 'standard' });
  });

  it('accepts a body signed by a library other than ours (the reference one)', () => {
    const timestamp = new Date(now());
    const headers = {
      'webhook-id': 'msg_ref',
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(SECRET).sign('msg_ref', timestamp, body),
    };
    assert.equal(verifyWebhook({ body: Buffer.from(body), headers, secrets: [SECRET], now }).ok, true);
  });

  it('accepts any of several secrets (rotation on the receiver)', () => {
    const headers = sign([OLD_SECRET], 'msg_2', at);
    assert.equal(verifyWebhook({ body, headers, secrets: [SECRET, OLD_SECRET], now }).ok, true);
  });

  it('refuses a changed body, a wrong secret, and a signature of another id', () => {
    const headers = sign([SECRET], 'msg_3', at);
    assert.equal(verifyWebhook({ body: `${body} `, headers, secrets: SECRET, now }).ok, false);
    assert.equal(verifyWebhook({ body, headers, secrets: OLD_SECRET, now }).ok, false);
    assert.equal(verifyWebhook({ body, headers: { ...headers, 'webhook-id': 'msg_4' }, secrets: SECRET, now }).ok, false);
  });

  it('refuses a timestamp outside the tolerance (default 5 minutes, configurable)', () => {
    const old = sign([SECRET], 'msg_5', at - 301);
    assert.deepEqual(verifyWebhook({ body, headers: old, secrets: SECRET, now }), {
      ok: false,
      reason: 'timestamp outside the tolerance of 300 s',
    });
    assert.equal(verifyWebhook({ body, headers: sign([SECRET], 'msg_5', at - 299), secrets: SECRET, now }).ok, true);
    assert.equal(verifyWebhook({ body, headers: old, secrets: SECRET, now, toleranceSeconds: 600 }).ok, true);
    assert.equal(verifyWebhook({ body, headers: sign([SECRET], 'msg_5', at + 301), secrets: SECRET, now }).ok, false, 'the future too');
  });

  it('throws a TypeError naming toleranceSeconds when it is not a finite number >= 0 (NaN accepted any age)', () => {
    const ancient = sign([SECRET], 'msg_8', 1_000_000_000); // 2001
    for (const toleranceSeconds of [Number.NaN, -1, Number.POSITIVE_INFINITY, '300' as unknown as number]) {
      assert.throws(
        () => verifyWebhook({ body, headers: ancient, secrets: SECRET, now, toleranceSeconds }),
        (error: Error) => error instanceof TypeError && /toleranceSeconds must be a finite number of seconds >= 0/.test(error.message),
        String(toleranceSeconds),
      );
    }
    // 0 is a valid tolerance: this very second only.
    assert.equal(verifyWebhook({ body, headers: sign([SECRET], 'msg_8', at), secrets: SECRET, now, toleranceSeconds: 0 }).ok, true);
    assert.equal(verifyWebhook({ body, headers: sign([SECRET], 'msg_8', at - 1), secrets: SECRET, now, toleranceSeconds: 0 }).ok, false);
  });

  it('the verifying receiver refuses a bad tolerance or answer status at start, not at the first event', async () => {
    const quiet = { onEvent: () => {}, onRefused: () => {} };
    /** The error it started with; a receiver that started anyway is closed, so that a failing test does not hang. */
    const failureToStart = (options: Partial<VerifyingReceiverOptions>) =>
      startVerifyingReceiver({ ...quiet, ...options }).then(
        (receiver) => receiver.close().then(() => new Error('it started')),
        (error: Error) => error,
      );
    const nan = await failureToStart({ secrets: [SECRET], toleranceSeconds: Number.NaN });
    assert.ok(nan instanceof TypeError && /toleranceSeconds/.test(nan.message), String(nan));
    for (const status of [1000, 99, 101, 204.5]) {
      assert.match(String(await failureToStart({ status })), /status must be a whole HTTP status code from 200 to 599/, String(status));
    }
  });

  it('refuses missing or malformed headers, and never echoes a secret or signature', () => {
    const headers = sign([SECRET], 'msg_6', at);
    const results = [
      verifyWebhook({ body, headers: {}, secrets: SECRET, now }),
      verifyWebhook({ body, headers: { ...headers, 'webhook-timestamp': 'soon' }, secrets: SECRET, now }),
      verifyWebhook({ body, headers: { ...headers, 'webhook-signature': 'v1,AAAA' }, secrets: SECRET, now }),
      verifyWebhook({ body, headers, secrets: [], now }),
    ];
    for (const result of results) {
      assert.equal(result.ok, false);
      const text = JSON.stringify(result);
      assert.ok(!text.includes(SECRET.slice(6)) && !text.includes(headers['webhook-signature'] ?? '-'), text);
    }
  });

  it('accepts a legacy-only request only when asked to', () => {
    const headers = { 'x-genesis-signature': legacySignature(legacyKey(SECRET), body) };
    assert.equal(verifyWebhook({ body, headers, secrets: SECRET, now }).ok, false);
    assert.equal(verifyWebhook({ body, headers, secrets: SECRET, now, acceptLegacy: true }).ok, true);
    assert.equal(verifyWebhook({ body: `${body}x`, headers, secrets: SECRET, now, acceptLegacy: true }).ok, false);
  });

  it('reads headers in any case, as Node gives them or not', () => {
    const headers = Object.fromEntries(Object.entries(sign([SECRET], 'msg_7', at)).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(verifyWebhook({ body, headers, secrets: SECRET, now }).ok, true);
  });
});
