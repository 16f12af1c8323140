/**
 * Runs the simulated agent against a live pipeline: starts the endpoint,
 * steps the agent `rate` times a second, prints progress, and stops on the
 * deadline or when `stop()` is called (Ctrl-C in the CLI).
 */
import { createNoopMeter } from '@opentelemetry/api';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import type { Logger } from '../logging/logger.ts';
import { startTelemetry, type Telemetry } from '../pipeline/start-telemetry.ts';
import { VERSION } from '../version.ts';
import { createDashboardNotifier } from '../webhook/dashboard-notifier.ts';
import type { DemoSettings } from './demo-options.ts';
import { seededRandom } from './random.ts';
import { type AgentTally, SimulatedAgent } from './simulated-agent.ts';

/** Ticks per second at most; faster rates run several steps per tick. */
const MAX_TICKS_PER_SECOND = 50;
const PROGRESS_EVERY_MS = 5000;

export interface RunningDemo {
  readonly telemetry: Telemetry;
  readonly agent: SimulatedAgent;
  /** Resolves when the demo has stopped (deadline or stop()) and shut down. */
  readonly finished: Promise<AgentTally>;
  stop(): Promise<AgentTally>;
}

export function formatTally(tally: AgentTally): string {
  return (
    `${tally.created} businesses created (${tally.succeeded} ok, ${tally.failed} failed, ${tally.blocked} blocked), ` +
    `${tally.deployed} deployed, ${tally.deploymentsFailed} deployments failed, ${tally.takenDown} taken down, ` +
    `${tally.authFailures} auth failures`
  );
}

export async function runDemo(
  settings: DemoSettings,
  output: (line: string) => void,
  options: { env?: NodeJS.ProcessEnv; logger?: Logger } = {},
): Promise<RunningDemo> {
  const telemetry = await startTelemetry({
    ...(settings.port === undefined ? {} : { port: settings.port }),
    ...(settings.host === undefined ? {} : { host: settings.host }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  // With GENESIS_DASHBOARD_URL set, lifecycle events go to the dashboard; its delivery metrics show on /metrics.
  const notifier = createDashboardNotifier({
    meter: telemetry.getMeter(METER_NAME, VERSION) ?? createNoopMeter(),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const agent = new SimulatedAgent(telemetry.metrics, seededRandom(settings.seed), (event) => notifier.notify(event));
  const ticksPerSecond = Math.min(settings.rate, MAX_TICKS_PER_SECOND);
  const stepsPerTick = settings.rate / ticksPerSecond;
  let owed = 0;
  const ticker = setInterval(() => {
    owed += stepsPerTick;
    for (; owed >= 1; owed -= 1) agent.step();
  }, 1000 / ticksPerSecond);
  const attack = startAuthFailureSpike(agent, settings.authFailures);
  const progress = settings.progress ? setInterval(() => output(`progress: ${formatTally(agent.tally)}`), PROGRESS_EVERY_MS) : undefined;
  progress?.unref();

  let resolveFinished: (tally: AgentTally) => void = () => {};
  const finished = new Promise<AgentTally>((resolve) => {
    resolveFinished = resolve;
  });
  let stopping: Promise<AgentTally> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(ticker);
      clearInterval(attack);
      clearInterval(progress);
      clearTimeout(deadline);
      await notifier.shutdown();
      await telemetry.shutdown();
      resolveFinished(agent.tally);
      return agent.tally;
    })();
    return stopping;
  };
  const deadline = settings.durationSeconds === undefined ? undefined : setTimeout(stop, settings.durationSeconds * 1000);

  if (telemetry.url === undefined) {
    output('metrics are disabled (GENESIS_METRICS_ENABLED=false): the simulation runs, nothing is served');
  } else {
    const until = settings.durationSeconds === undefined ? 'until Ctrl-C' : `for ${settings.durationSeconds} s`;
    output(`serving metrics at ${telemetry.url}`);
    if (telemetry.otlp)
      output(`pushing OTLP (${telemetry.otlp.protocol}) to ${telemetry.otlp.url} every ${telemetry.otlp.exportIntervalMillis / 1000} s`);
    output(`simulating ${settings.rate} businesses/s ${until} (seed ${settings.seed})`);
    if (settings.authFailures > 0) output(`simulating an attack: ${settings.authFailures} extra auth failures/s`);
  }
  if (notifier.enabled) output(`sending lifecycle events to the dashboard (outbox ${notifier.outboxDir ?? 'off'})`);
  return { telemetry, agent, finished, stop };
}

/** Refuses `perSecond` extra requests a second, spread over ticks; undefined when there is no attack. */
function startAuthFailureSpike(agent: SimulatedAgent, perSecond: number): NodeJS.Timeout | undefined {
  if (perSecond <= 0) return undefined;
  const ticksPerSecond = Math.min(perSecond, MAX_TICKS_PER_SECOND);
  let owed = 0;
  return setInterval(() => {
    owed += perSecond / ticksPerSecond;
    for (; owed >= 1; owed -= 1) agent.authFailure();
  }, 1000 / ticksPerSecond);
}
