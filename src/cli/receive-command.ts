/** `genesis-telemetry receive`: a verifying dashboard on 127.0.0.1 that prints the events it gets. */
import { parseArgs } from 'node:util';
import { parsePort, parsePositiveNumber, readEnv } from '../config/parse.ts';
import { parseAnswerStatus, startVerifyingReceiver } from '../webhook/verifying-receiver.ts';
import type { Command } from './command.ts';

export const receiveCommand: Command = {
  help: `run a small dashboard on 127.0.0.1 that verifies and prints webhook events
  --port <n>        port, 0 for any (default 8002)
  --secret <s>      signing secret, repeatable for a rotation (GENESIS_DASHBOARD_WEBHOOK_SECRET; none: unsigned accepted)
  --tolerance <s>   accepted age of webhook-timestamp in seconds (default 300)
  --status <code>   answer this to every valid event, 200 to 599 (default 204; try 503 to watch retries)`,

  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        port: { type: 'string' },
        secret: { type: 'string', multiple: true },
        tolerance: { type: 'string' },
        status: { type: 'string' },
      },
    });
    const secrets = values.secret ?? readEnv(process.env, 'GENESIS_DASHBOARD_WEBHOOK_SECRET')?.split(/[\s,]+/) ?? [];
    const status = values.status === undefined ? 204 : parseAnswerStatus('--status', values.status);
    const receiver = await startVerifyingReceiver({
      port: values.port === undefined ? 8002 : parsePort('--port', values.port),
      secrets,
      ...(values.tolerance === undefined ? {} : { toleranceSeconds: parsePositiveNumber('--tolerance', values.tolerance) }),
      status,
      onEvent: (event) => {
        const payload = event.payload as { update_type?: unknown; data?: unknown };
        const what = event.duplicate ? 'duplicate' : 'event';
        console.log(
          `${what} ${String(payload.update_type)} business=${event.businessId} id=${event.webhookId} data=${JSON.stringify(payload.data)}`,
        );
      },
      onRefused: (reason) => console.log(`refused: ${reason}`),
    });
    if (secrets.length === 0) console.log('no secret: unsigned events are accepted (set --secret or GENESIS_DASHBOARD_WEBHOOK_SECRET)');
    console.log(`receiving on ${receiver.url} (set GENESIS_DASHBOARD_URL=${receiver.url})`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await receiver.close();
    return 0;
  },
};
