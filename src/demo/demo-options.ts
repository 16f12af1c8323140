/**
 * The demo's settings, from flags first, then environment variables, then
 * defaults. Errors name the flag or variable.
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { parsePort, parsePositiveNumber, readEnv } from '../config/parse.ts';

export interface DemoSettings {
  /** Businesses created per second. */
  readonly rate: number;
  /** Seconds to run; undefined runs until Ctrl-C. */
  readonly durationSeconds: number | undefined;
  readonly port: number | undefined;
  readonly host: string | undefined;
  readonly seed: number;
  /** Print progress lines. */
  readonly progress: boolean;
  /** Extra auth failures per second, on top of the background noise (0: none): an attack, for trying the alerts. */
  readonly authFailures: number;
}

export interface DemoFlags {
  rate?: string | undefined;
  duration?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  seed?: string | undefined;
  quiet?: boolean | undefined;
  'auth-failures'?: string | undefined;
}

export const DEFAULT_RATE = 2;
/** Above this the simulation would only measure itself. */
const MAX_RATE = 10_000;

function pickSource(flag: string | undefined, flagName: string, env: NodeJS.ProcessEnv, variable: string) {
  if (flag !== undefined) return { raw: flag, source: flagName };
  const raw = readEnv(env, variable);
  return raw === undefined ? undefined : { raw, source: variable };
}

export function resolveDemoSettings(flags: DemoFlags, env: NodeJS.ProcessEnv): DemoSettings {
  const rate = pickSource(flags.rate, '--rate', env, 'GENESIS_DEMO_RATE');
  const duration = pickSource(flags.duration, '--duration', env, 'GENESIS_DEMO_DURATION');
  const seed = pickSource(flags.seed, '--seed', env, 'GENESIS_DEMO_SEED');
  const authFailures = pickSource(flags['auth-failures'], '--auth-failures', env, 'GENESIS_DEMO_AUTH_FAILURES');
  const authFailuresValue = authFailures === undefined ? 0 : parsePositiveNumber(authFailures.source, authFailures.raw);
  if (authFailuresValue > MAX_RATE)
    throw new GenesisConfigError(
      authFailures?.source ?? '--auth-failures',
      `${authFailures?.source} must be at most ${MAX_RATE} per second`,
    );
  const rateValue = rate === undefined ? DEFAULT_RATE : parsePositiveNumber(rate.source, rate.raw);
  if (rateValue > MAX_RATE)
    throw new GenesisConfigError(rate?.source ?? '--rate', `${rate?.source} must be at most ${MAX_RATE} businesses per second`);
  let seedValue = Math.floor(Math.random() * 2 ** 32);
  if (seed !== undefined) {
    seedValue = Number(seed.raw);
    if (!Number.isInteger(seedValue) || seedValue < 0)
      throw new GenesisConfigError(seed.source, `${seed.source} must be a whole number >= 0 (got "${seed.raw}")`);
  }
  return {
    rate: rateValue,
    durationSeconds: duration === undefined ? undefined : parsePositiveNumber(duration.source, duration.raw),
    port: flags.port === undefined ? undefined : parsePort('--port', flags.port),
    host: flags.host,
    seed: seedValue,
    progress: flags.quiet !== true,
    authFailures: authFailuresValue,
  };
}
