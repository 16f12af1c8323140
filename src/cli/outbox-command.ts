/** `genesis-telemetry outbox list|replay`: the dashboard outbox's dead letters, listed and replayed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GenesisConfigError } from '../config/config-error.ts';
import { parsePositiveNumber, readEnv } from '../config/parse.ts';
import { consoleLogger } from '../logging/logger.ts';
import { createDashboardNotifier } from '../webhook/dashboard-notifier.ts';
import { resolveNotifierSettings } from '../webhook/notifier-options.ts';
import { openOutbox } from '../webhook/open-outbox.ts';
import type { Outbox, OutboxRow } from '../webhook/outbox.ts';
import { defaultOutboxDir } from '../webhook/outbox-location.ts';
import type { Command } from './command.ts';

function line(row: OutboxRow): string {
  const accepted = new Date(row.acceptedAt).toISOString();
  return `${row.state.padEnd(7)} ${row.id} ${row.updateType} business=${row.businessId} accepted=${accepted} attempts=${row.attempts} error=${row.lastError ?? '-'}`;
}

const DEFAULT_LIMIT = 1000;

/** A whole number of rows, at least 1. */
function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const limit = parsePositiveNumber('--limit', raw);
  if (!Number.isInteger(limit)) throw new GenesisConfigError('--limit', `--limit must be a whole number of events (got "${raw}")`);
  return limit;
}

/** Prints the rows, then how many there are: all of them, or (cut at --limit) "showing N of M". */
function list(outbox: Outbox, dir: string, values: { all?: boolean; waiting?: boolean; json?: boolean; limit?: string }): number {
  const state = values.all ? 'all' : values.waiting ? 'waiting' : 'dead';
  const limit = parseLimit(values.limit);
  const rows = outbox.list(state, limit);
  for (const row of rows) console.log(values.json ? JSON.stringify(row) : line(row));
  const total = rows.length < limit ? rows.length : outbox.count(state);
  const summary =
    total > rows.length
      ? `showing ${rows.length} of ${total} event(s) in ${dir}, the oldest first (--limit <n> for more)`
      : `${rows.length} event(s) in ${dir}`;
  // With --json, stdout stays one object a line: the summary goes to stderr, and only when rows are left out.
  if (!values.json) console.log(summary);
  else if (total > rows.length) console.error(summary);
  return 0;
}

/**
 * The ids asked for that are not dead letters: unknown (a typo, or delivered since), or still waiting for a retry.
 * Checked before anything is changed, so that a typo replays nothing rather than part of the list.
 */
function notDeadLetters(outbox: Outbox, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const state = outbox.stateOf(id);
    if (state === 'dead') return [];
    return [state === undefined ? `${id} (not in the outbox)` : `${id} (${state}, not a dead letter)`];
  });
}

export const outboxCommand: Command = {
  help: `list the dashboard outbox's dead letters, or replay them
  list              dead letters (--waiting: events waiting for a retry; --all: both), the oldest first
  --limit <n>       list: at most n events (default ${DEFAULT_LIMIT}); the last line says "showing n of m" when more exist
  replay            dead letters back in line (--id <webhook-id>, repeatable; default all); with
                    GENESIS_DASHBOARD_URL set, delivers the outbox now (--timeout <s>, default 30)
  --dir <path>      the outbox folder (GENESIS_DASHBOARD_OUTBOX, default the OS state dir)
  --json            list: one JSON object a line`,
  synopsis: '<list|replay> [options]',

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
        limit: { type: 'string' },
        id: { type: 'string', multiple: true },
        timeout: { type: 'string' },
      },
    });
    const action = positionals[0];
    if (action !== 'list' && action !== 'replay') throw new GenesisConfigError('outbox', 'outbox needs an action: list or replay');
    parseLimit(values.limit); // a bad flag fails before the folder is touched
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
      if (action === 'list') return list(outbox, dir, values);
      const refused = notDeadLetters(outbox, values.id ?? []);
      if (refused.length > 0) {
        console.error(`genesis-telemetry outbox replay: nothing replayed; not dead letters in ${dir}: ${refused.join(', ')}`);
        return 2;
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
