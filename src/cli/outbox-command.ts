/** `genesis-telemetry outbox list|replay`: the dashboard outbox's dead letters, listed and replayed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GenesisConfigError } from '../config/config-error.ts';
import { parsePositiveNumber, readEnv } from '../config/parse.ts';
import { consoleLogger } from '../logging/logger.ts';
import { createDashboardNotifier } from '../webhook/dashboard-notifier.ts';
import { resolveNotifierSettings } from '../webhook/notifier-options.ts';
import { openOutbox } from '../webhook/open-outbox.ts';
import type { OutboxRow } from '../webhook/outbox.ts';
import { defaultOutboxDir } from '../webhook/outbox-location.ts';
import type { Command } from './command.ts';

function line(row: OutboxRow): string {
  const accepted = new Date(row.acceptedAt).toISOString();
  return `${row.state.padEnd(7)} ${row.id} ${row.updateType} business=${row.businessId} accepted=${accepted} attempts=${row.attempts} error=${row.lastError ?? '-'}`;
}

export const outboxCommand: Command = {
  help: `list the dashboard outbox's dead letters, or replay them
  list              dead letters (--waiting: events waiting for a retry; --all: both)
  replay            dead letters back in line (--id <webhook-id>, repeatable; default all); with
                    GENESIS_DASHBOARD_URL set, delivers the outbox now (--timeout <s>, default 30)
  --dir <path>      the outbox folder (GENESIS_DASHBOARD_OUTBOX, default the OS state dir)
  --json            list: one JSON object a line`,

  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        waiting: { type: 'boolean' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        id: { type: 'string', multiple: true },
        timeout: { type: 'string' },
      },
    });
    const action = positionals[0];
    if (action !== 'list' && action !== 'replay') throw new GenesisConfigError('outbox', 'outbox needs an action: list or replay');
    const dir = values.dir ?? readEnv(process.env, 'GENESIS_DASHBOARD_OUTBOX') ?? defaultOutboxDir();
    const outbox = openOutbox(
      dir,
      {},
      {
        option: values.dir === undefined ? 'GENESIS_DASHBOARD_OUTBOX' : '--dir',
        fix: 'point --dir (or GENESIS_DASHBOARD_OUTBOX) at the folder the agent keeps its outbox in, which must be writable',
      },
    );
    try {
      if (action === 'list') {
        const rows = outbox.list(values.all ? 'all' : values.waiting ? 'waiting' : 'dead');
        for (const row of rows) console.log(values.json ? JSON.stringify(row) : line(row));
        if (!values.json) console.log(`${rows.length} event(s) in ${dir}`);
        return 0;
      }
      // A replayed event gets a fresh maximum age (GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS, default 72 h).
      const replayed = outbox.requeue(values.id, Date.now(), resolveNotifierSettings({ outbox: dir }).outboxMaxAgeMs);
      console.log(`${replayed} dead letter(s) back in line in ${dir}`);
    } finally {
      outbox.close();
    }
    if (readEnv(process.env, 'GENESIS_DASHBOARD_URL') === undefined) {
      console.log('GENESIS_DASHBOARD_URL is not set: the next notifier on this outbox delivers them');
      return 0;
    }
    const timeoutMs = (values.timeout === undefined ? 30 : parsePositiveNumber('--timeout', values.timeout)) * 1000;
    const notifier = createDashboardNotifier({ outbox: dir, outboxPollMs: 200, logger: consoleLogger() });
    const deadline = Date.now() + timeoutMs;
    while (notifier.stats().outboxWaiting > 0 && Date.now() < deadline) await sleep(100);
    const { outboxWaiting, outboxDead } = notifier.stats();
    await notifier.shutdown();
    console.log(`outbox: ${outboxWaiting} still waiting, ${outboxDead} dead`);
    return outboxWaiting === 0 && outboxDead === 0 ? 0 : 1;
  },
};
