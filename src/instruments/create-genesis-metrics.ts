/**
 * The entry point of the API-only side: the catalog's instruments on a Meter
 * of the caller's choice. Imports `@opentelemetry/api` and nothing of the SDK.
 */
import { type Meter, type MeterProvider, metrics } from '@opentelemetry/api';
import { parseBoolean, readEnv, rejectUnknownKeys } from '../config/parse.ts';
import { consoleLogger, type Logger } from '../logging/logger.ts';
import { VERSION } from '../version.ts';
import { DISABLED_METRICS } from './disabled-metrics.ts';
import { type GenesisMetrics, RecordingGenesisMetrics } from './genesis-metrics.ts';

/** The instrumentation scope every catalog instrument is created under. */
export const METER_NAME = 'genesis-telemetry';

export interface GenesisMetricsOptions {
  /** The Meter to create the instruments on. @default a meter from `meterProvider` */
  meter?: Meter;
  /** Where to get a Meter when none is given. @default the global MeterProvider of `@opentelemetry/api` */
  meterProvider?: MeterProvider;
  /** Record at all. @default GENESIS_METRICS_ENABLED, else true */
  enabled?: boolean;
  /** Where warnings about dropped input go. @default one line to stderr */
  logger?: Logger;
  /** The environment to read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

const KNOWN_OPTIONS = ['meter', 'meterProvider', 'enabled', 'logger', 'env'] as const;

/** Whether metrics are on, from the option or GENESIS_METRICS_ENABLED (default on). */
export function resolveEnabled(enabled: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (enabled !== undefined) return enabled;
  const raw = readEnv(env, 'GENESIS_METRICS_ENABLED');
  return raw === undefined ? true : parseBoolean('GENESIS_METRICS_ENABLED', raw);
}

/**
 * Creates the Genesis Meta-Agent's instruments. Throws a GenesisConfigError
 * for an unknown option or a malformed GENESIS_METRICS_ENABLED, never later.
 */
export function createGenesisMetrics(options: GenesisMetricsOptions = {}): GenesisMetrics {
  rejectUnknownKeys('createGenesisMetrics', options, KNOWN_OPTIONS);
  const env = options.env ?? process.env;
  if (!resolveEnabled(options.enabled, env)) return DISABLED_METRICS;
  const meter = options.meter ?? (options.meterProvider ?? metrics).getMeter(METER_NAME, VERSION);
  return new RecordingGenesisMetrics(meter, options.logger ?? consoleLogger());
}
