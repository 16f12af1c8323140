/**
 * Secrets and signatures never appear in logs, errors or metrics: not in what
 * a failing delivery logs, not in the configuration errors thrown at start
 * (whatever else is wrong, the secret sits next to it), not on /metrics.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { METER_NAME } from '../../src/instruments/create-genesis-metrics.ts';
import { startTelemetry } from '../../src/sdk.ts';
import { VERSION } from '../../src/version.ts';
import { createDashboardNotifier } from '../../src/webhook/dashboard-notifier.ts';
import type { DashboardNotifierOptions } from '../../src/webhook/notifier-options.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape } from '../support/exposition.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { event, SECRET, tempOutbox, testNotifier } from './support.ts';

const ROTATED = 'whsec_dGhpcyBpcyB0aGUgbmV4dCBzZWNyZXQgMTIzNA==';
const RAW = 'a-raw-secret-that-is-not-whsec';

/** Every form a secret could leak in: whole, its base64 key, and the signatures the receiver saw. */
function assertNoSecret(text: string, signatures: readonly string[] = []): void {
  for (const secret of [SECRET, ROTATED, RAW]) {
    assert.ok(!text.includes(secret), `the secret ${secret.slice(0, 8)}... appears in:\n${text}`);
    if (secret.startsWith('whsec_')) assert.ok(!text.includes(secret.slice(6)), `a secret's key appears in:\n${text}`);
  }
  for (const signature of signatures) assert.ok(!text.includes(signature), `a signature appears in:\n${text}`);
  assert.doesNotMatch(text, /v1,[A-Za-z0-9+/]{20,}|sha256=[0-9a-f]{64}/, 'something shaped like a signature');
}

function signaturesSeen(receiver: WebhookReceiver): string[] {
  return receiver.requests.flatMap((r) =>
    [r.headers['webhook-signature'], r.headers['x-genesis-signature']].filter((value) => typeof value === 'string'),
  );
}

let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver((request) => (request.url.includes('fails') ? { status: 500 } : { status: 204 }));
});
after(() => receiver.close());

describe('no secret or signature', () => {
  it('in the log of failing and refused deliveries', async () => {
    const t = testNotifier(receiver.url, { outbox: false, secrets: [SECRET, ROTATED], maxRetries: 2 });
    t.notifier.notify(event('fails'));
    t.notifier.notify({ ...event('refused'), data: { n: 1n } }); // a refusal message quotes the error: never the secret
    await t.notifier.idle();
    await t.notifier.shutdown();
    assert.ok(t.logger.lines.length > 0, 'something was logged');
    assertNoSecret(t.logger.lines.join('\n'), signaturesSeen(receiver));
  });

  it('in the configuration errors thrown at start, whatever else is wrong', () => {
    const env = { GENESIS_DASHBOARD_WEBHOOK_SECRET: `${SECRET},${RAW}` };
    const file = join(tempOutbox(), 'a-file');
    writeFileSync(file, '');
    const starts: Array<Partial<DashboardNotifierOptions>> = [
      { env: { ...env, GENESIS_DASHBOARD_URL: 'dashboard:8080' } },
      { env: { ...env, GENESIS_DASHBOARD_URL: 'http://127.0.0.1:9', GENESIS_DASHBOARD_TIMEOUT_MS: 'soon' } },
      { env: { ...env, GENESIS_DASHBOARD_URL: 'http://127.0.0.1:9', GENESIS_DASHBOARD_MAX_EVENT_BYTES: '64' } },
      { url: 'http://127.0.0.1:9', secrets: [SECRET, RAW], maxRetries: 0, env: {} },
      { url: 'http://127.0.0.1:9', secrets: [ROTATED, 'whsec_%%%not-base64%%%'], env: {} },
      { url: 'http://127.0.0.1:9', secrets: SECRET, outbox: join(file, 'outbox'), env: {} },
      { url: 'http://127.0.0.1:9', secrets: SECRET, env: {}, secret: SECRET } as Partial<DashboardNotifierOptions>,
    ];
    for (const options of starts) {
      let thrown: unknown;
      try {
        void createDashboardNotifier({ outbox: false, logger: captureLogger(), ...options }).shutdown();
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof Error, `${inspect(options)} should not start`);
      // inspect() shows the message, the stack, every own property and the cause: all that a log line could carry.
      assertNoSecret(`${String(thrown)}\n${thrown.stack}\n${inspect(thrown, { depth: 5 })}`);
    }
  });

  it('in the scraped metrics', async () => {
    const telemetry = await startTelemetry({ port: 0, logger: captureLogger(), env: {} });
    try {
      const meter = telemetry.getMeter(METER_NAME, VERSION);
      assert.ok(meter, 'the pipeline runs an SDK');
      const t = testNotifier(receiver.url, {
        secrets: [SECRET, ROTATED],
        meter,
        maxRetries: 2,
      });
      t.notifier.notify(event('scraped'));
      t.notifier.notify(event('fails'));
      await t.notifier.idle();
      await t.notifier.shutdown();
      const { text } = await scrape(telemetry.url as string);
      assert.match(text, /genesis_meta_agent_dashboard_webhook_deliveries_total\{outcome="delivered"[^}]*\} 1/);
      assert.match(text, /genesis_meta_agent_dashboard_webhook_failures_total\{reason="http_5xx"[^}]*\} 2/);
      assertNoSecret(text, signaturesSeen(receiver));
    } finally {
      await telemetry.shutdown();
    }
  });
});
