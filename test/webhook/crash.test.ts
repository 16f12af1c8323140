/**
 * The outbox survives a crash: a process accepts events while the dashboard
 * is down and is killed with SIGKILL; a restarted process delivers every one
 * once the dashboard is up, with the ids it was given (at least once; the
 * receiver's de-duplication on webhook-id leaves exactly one of each).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { freePort, startProcess } from '../support/processes.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { SECRET, tempOutbox } from './support.ts';

const CHILD = fileURLToPath(new URL('./fixtures/notifier-child.ts', import.meta.url));
const COUNT = 200;

describe('a crash (SIGKILL) while the dashboard is down', () => {
  for (const [when, freeze] of [
    ['right after notify() returned, before any request', '1'],
    ['while it retries and fills the outbox', '0'],
  ] as const) {
    it(`loses no event when killed ${when}: the restarted process delivers them all`, () => crashAndRecover(freeze));
  }
});

async function crashAndRecover(freeze: string): Promise<void> {
  const port = await freePort();
  const env = {
    GENESIS_DASHBOARD_URL: `http://127.0.0.1:${port}`,
    GENESIS_DASHBOARD_OUTBOX: tempOutbox(),
    GENESIS_DASHBOARD_WEBHOOK_SECRET: SECRET,
    COUNT: String(COUNT),
  };
  const sender = startProcess(process.execPath, [CHILD], { ...env, MODE: 'send', FREEZE: freeze });
  const ids = JSON.parse((await sender.waitForOutput(/accepted (\[.*\])/))[1] as string) as string[];
  assert.equal(new Set(ids).size, COUNT);
  assert.equal(await sender.stop('SIGKILL'), 'SIGKILL');

  const receiver = await startWebhookReceiver(() => ({ status: 204 }), port);
  try {
    const recovering = startProcess(process.execPath, [CHILD], { ...env, MODE: 'recover' });
    await recovering.waitForOutput(/drained/, 30_000);
    assert.equal(await recovering.exited, 0, recovering.output());

    const seen = new Map<string, number>();
    for (const request of receiver.requests) {
      new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
      const id = String(request.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), [...ids].sort(), 'every accepted id arrived, and nothing else');
    // Each business's events arrive in the order they were accepted.
    for (const business of ['crash-0', 'crash-1', 'crash-2']) {
      const seqs = receiver.requests.filter((r) => r.url.includes(business)).map((r) => JSON.parse(r.body).data.seq as number);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        business,
      );
    }
  } finally {
    await receiver.close();
  }
}
