/**
 * The CLI path by hand, as a user runs it: `receive` verifies and prints what
 * the demo sends through the notifier; `outbox list` and `outbox replay` show
 * and redeliver dead letters.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OUTBOX_FILE, Outbox } from '../../src/webhook/outbox.ts';
import { scrape } from '../support/exposition.ts';
import { type RunningProcess, startCli } from '../support/processes.ts';
import { SECRET, tempOutbox } from './support.ts';

describe('genesis-telemetry receive, fed by the demo and by outbox replay', () => {
  let receiver: RunningProcess;
  let url: string;

  before(async () => {
    receiver = startCli(['receive', '--port', '0', '--secret', SECRET]);
    url = (await receiver.waitForOutput(/receiving on (http:\S+)/))[1] as string;
  });
  after(() => receiver.stop());

  it('refuses a request whose signature does not verify', async () => {
    const response = await fetch(`${url}/api/businesses/b1/events`, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: '{}',
    });
    assert.equal(response.status, 401);
    await receiver.waitForOutput(/refused: no matching signature/);
  });

  it('prints the lifecycle events the demo sends, and the demo serves the webhook metrics', async () => {
    const demo = startCli(['demo', '--port', '0', '--rate', '20', '--duration', '4', '--seed', '3'], {
      GENESIS_DASHBOARD_URL: url,
      GENESIS_DASHBOARD_WEBHOOK_SECRET: SECRET,
      GENESIS_DASHBOARD_OUTBOX: tempOutbox(),
    });
    const metricsUrl = (await demo.waitForOutput(/serving metrics at (http:\S+)/))[1] as string;
    await demo.waitForOutput(/sending lifecycle events to the dashboard/);
    for (const type of ['created', 'deployed', 'taken_down'])
      await receiver.waitForOutput(new RegExp(`event ${type} business=biz-\\d+ id=msg_`));
    const text = (await scrape(metricsUrl)).text;
    assert.match(text, /genesis_meta_agent_dashboard_webhook_deliveries_total\{outcome="delivered"[^}]*\} [1-9]/);
    assert.equal(await demo.exited, 0, demo.output());
  });

  it('outbox list shows dead letters; outbox replay delivers them with their ids', async () => {
    const dir = tempOutbox();
    const outbox = new Outbox(dir);
    const body = JSON.stringify({ business_id: 'dl-1', update_type: 'deployed', data: { n: 1 }, timestamp: new Date().toISOString() });
    outbox.add({ id: 'msg_deadletter1', businessId: 'dl-1', updateType: 'deployed', body, acceptedAt: Date.now() }, 'waiting', Date.now());
    outbox.toDead('msg_deadletter1', 'dl-1', 4, 'HTTP 404');
    outbox.close();

    const list = startCli(['outbox', 'list', '--dir', dir]);
    assert.equal(await list.exited, 0, list.output());
    assert.match(list.output(), /dead +msg_deadletter1 deployed business=dl-1 .*attempts=4 error=HTTP 404/);
    assert.match(list.output(), /1 event\(s\) in/);

    const replay = startCli(['outbox', 'replay', '--dir', dir], { GENESIS_DASHBOARD_URL: url, GENESIS_DASHBOARD_WEBHOOK_SECRET: SECRET });
    assert.equal(await replay.exited, 0, replay.output());
    assert.match(replay.output(), /1 dead letter\(s\) back in line/);
    await receiver.waitForOutput(/event deployed business=dl-1 id=msg_deadletter1 data=\{"n":1\}/);

    const empty = startCli(['outbox', 'list', '--all', '--dir', dir]);
    assert.equal(await empty.exited, 0);
    assert.match(empty.output(), /^0 event\(s\) in/m);
  });

  it('explains an outbox folder it cannot open, naming the flag or the variable that chose it', async () => {
    const file = join(tempOutbox(), 'a-file');
    writeFileSync(file, '');
    const flag = startCli(['outbox', 'list', '--dir', join(file, 'outbox')]);
    assert.equal(await flag.exited, 2, flag.output());
    assert.match(flag.output(), /genesis-telemetry: the dashboard outbox cannot be opened in .*a-file\/outbox \(.*\): point --dir/);
    assert.doesNotMatch(flag.output(), /\n\s+at /, 'a message, not a stack');

    const notADatabase = tempOutbox();
    writeFileSync(join(notADatabase, OUTBOX_FILE), 'this is not SQLite, but it is long enough to be read as a header');
    const variable = startCli(['outbox', 'list'], { GENESIS_DASHBOARD_OUTBOX: notADatabase });
    assert.equal(await variable.exited, 2, variable.output());
    assert.match(variable.output(), /cannot be opened in .* \(file is not a database\): point --dir \(or GENESIS_DASHBOARD_OUTBOX\)/);
  });

  it('explains a missing action', async () => {
    const run = startCli(['outbox']);
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /outbox needs an action: list or replay/);
  });
});

describe('the webhook verbs, on bad input and asked for help', () => {
  it('receive refuses an answer status it cannot send, naming --status, before it starts', async () => {
    for (const status of ['1000', '1.5', '99', '1e3']) {
      const run = startCli(['receive', '--port', '0', '--status', status]);
      const ended = await Promise.race([run.exited, run.waitForOutput(/receiving on/).then(() => 'started')]);
      await run.stop();
      assert.equal(ended, 2, `--status ${status}: ${run.output()}`);
      assert.match(
        run.output(),
        new RegExp(
          `genesis-telemetry: --status must be a whole HTTP status code from 200 to 599, such as 204 or 503 \\(got "${status.replace('.', '\\.')}"\\)`,
        ),
      );
      assert.doesNotMatch(run.output(), /\n\s+at /, 'a message, not a stack');
    }
  });

  it('each verb has --help: its usage and options, exit 0 (and "help <verb>" says the same)', async () => {
    const cases = [
      [
        ['receive', '--help'],
        /^Usage: genesis-telemetry receive \[options\]\n\nrun a small dashboard .*\n {2}--port <n>.*\n(.*\n)* {2}--status <code>/,
      ],
      [
        ['outbox', '--help'],
        /^Usage: genesis-telemetry outbox <list\|replay> \[options\]\n\nlist the dashboard outbox's dead letters.*\n {2}list .*\n {2}--limit <n>/,
      ],
      [['outbox', 'replay', '-h'], /^Usage: genesis-telemetry outbox <list\|replay>/],
      [['help', 'outbox'], /^Usage: genesis-telemetry outbox <list\|replay>/],
      [['demo', '--help'], /^Usage: genesis-telemetry demo \[options\]\n\nrun a simulated Genesis Meta-Agent/],
    ] as const;
    for (const [args, usage] of cases) {
      const run = startCli([...args]);
      assert.equal(await run.exited, 0, `${args.join(' ')}: ${run.output()}`);
      assert.match(run.output(), usage, args.join(' '));
    }
  });

  it('outbox replay --id refuses ids that are not dead letters, naming them, and replays nothing', async () => {
    const dir = tempOutbox();
    const outbox = new Outbox(dir);
    const body = JSON.stringify({ business_id: 'rp-1', update_type: 'deployed', data: {}, timestamp: new Date().toISOString() });
    for (const id of ['msg_rpdead', 'msg_rpwaiting']) {
      outbox.add({ id, businessId: 'rp-1', updateType: 'deployed', body, acceptedAt: Date.now() }, 'waiting', Date.now() + 60_000);
    }
    outbox.toDead('msg_rpdead', 'rp-1', 3, 'HTTP 404');
    outbox.close();

    const run = startCli(['outbox', 'replay', '--dir', dir, '--id', 'msg_rpdead', '--id', 'msg_typo', '--id', 'msg_rpwaiting']);
    assert.equal(await run.exited, 2, run.output());
    assert.match(
      run.output(),
      /nothing replayed; not dead letters in .*: msg_typo \(not in the outbox\), msg_rpwaiting \(waiting, not a dead letter\)/,
    );
    const after = new Outbox(dir);
    assert.deepEqual(
      after.list('dead').map((row) => row.id),
      ['msg_rpdead'],
      'the good id was not replayed either',
    );
    after.close();
  });

  it('outbox list says "showing N of M" when it stops at its limit (1000 by default, --limit)', async () => {
    const dir = tempOutbox();
    const outbox = new Outbox(dir);
    for (let i = 0; i < 1001; i++) {
      const body = `{"business_id":"many","seq":${i}}`;
      outbox.add({ id: `msg_many${i}`, businessId: 'many', updateType: 'deployed', body, acceptedAt: i }, 'waiting', Date.now() + 60_000);
    }
    outbox.close();

    const all = startCli(['outbox', 'list', '--waiting', '--dir', dir]);
    assert.equal(await all.exited, 0, all.output());
    const lines = all.output().trimEnd().split('\n');
    assert.equal(lines.filter((line) => line.startsWith('waiting')).length, 1000);
    assert.match(lines.at(-1) ?? '', /^showing 1000 of 1001 event\(s\) in .*, the oldest first \(--limit <n> for more\)$/);

    const two = startCli(['outbox', 'list', '--waiting', '--limit', '2', '--json', '--dir', dir]);
    assert.equal(await two.exited, 0, two.output());
    assert.match(two.output(), /showing 2 of 1001 event\(s\)/);
    assert.equal(
      two
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{')).length,
      2,
    );

    const bad = startCli(['outbox', 'list', '--limit', '0', '--dir', dir]);
    assert.equal(await bad.exited, 2);
    assert.match(bad.output(), /--limit must be a number greater than 0/);
  });
});
