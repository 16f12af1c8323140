/** `genesis-telemetry demo`: the simulated agent, until the deadline or Ctrl-C. */
import { parseArgs } from 'node:util';
import { resolveDemoSettings } from '../demo/demo-options.ts';
import { formatTally, runDemo } from '../demo/run-demo.ts';
import type { Command } from './command.ts';

export const demoCommand: Command = {
  help: `run a simulated Genesis Meta-Agent that serves live metrics
  --rate <n>       businesses per second (GENESIS_DEMO_RATE, default 2)
  --duration <s>   stop after s seconds (GENESIS_DEMO_DURATION, default: until Ctrl-C)
  --port <n>       endpoint port, 0 for any (OTEL_EXPORTER_PROMETHEUS_PORT, default 8001)
  --host <addr>    endpoint address (OTEL_EXPORTER_PROMETHEUS_HOST, default 127.0.0.1)
  --seed <n>       repeat a run exactly (GENESIS_DEMO_SEED)
  --auth-failures <n>  add n auth failures/s, an attack for trying the alerts (GENESIS_DEMO_AUTH_FAILURES)
  --quiet          no progress lines`,

  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        rate: { type: 'string' },
        duration: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean' },
        'auth-failures': { type: 'string' },
      },
    });
    const settings = resolveDemoSettings(values, process.env);
    const demo = await runDemo(settings, (line) => console.log(line));
    const onSignal = () => {
      console.log('stopping…');
      void demo.stop();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const tally = await demo.finished;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    console.log(`done: ${formatTally(tally)}`);
    return 0;
  },
};
