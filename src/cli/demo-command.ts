/** `genesis-telemetry demo`: the simulated agent, until the deadline or Ctrl-C. */
import { type DemoFlags, resolveDemoSettings } from '../demo/demo-options.ts';
import { formatTally, runDemo } from '../demo/run-demo.ts';

export async function demoCommand(flags: DemoFlags): Promise<number> {
  const settings = resolveDemoSettings(flags, process.env);
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
}
