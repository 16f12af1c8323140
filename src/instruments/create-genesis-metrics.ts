/**
 * The entry point of the API-only side: the catalog's instruments on a Meter
 * of the caller's choice. Imports `@opentelemetry/api` and nothing of the SDK.
 */
import { type Meter, type MeterProvider, metrics } from '@opentelemetry/api';
import { parseBoolean, readEnv, rejectUnknownKeys } from '../config/parse.ts';
import { consoleLogger, type Logger } from '../logging/logger.ts';
import { VERSION } from '../version.ts';
import { resolveSeriesBounds, type SeriesBoundsOptions } from './business-series-options.ts';
import { BusinessSeriesStore } from './business-series-store.ts';
import { DISABLED_METRICS } from './disabled-metrics.ts';
import type { GenesisMetrics } from './genesis-metrics.ts';
import { RecordingGenesisMetrics } from './recording-genesis-metrics.ts';

/** The instrumentation scope every catalog instrument is created under. */
export const METER_NAME = 'genesis-telemetry';

export interface GenesisMetricsOptions extends SeriesBoundsOptions {
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
  /** The store behind the per-business gauges, when the caller made it (the pipeline does). @default a new one from the bounds */
  businessSeries?: BusinessSeriesStore;
  /** The clock of the business store, in ms (tests). @default performance.now */
  now?: () => number;
}

const KNOWN_OPTIONS = [
  'meter',
  'meterProvider',
  'enabled',
  'logger',
  'env',
  'businessSeries',
  'now',
  'businessSeriesTtlSeconds',
  'maxBusinessSeries',
  'maxTrackedBusinesses',
  'perBusinessSeries',
  'maxUserIds',
] as const;

/** Whether metrics are on, from the option or GENESIS_METRICS_ENABLED (default on). */
export function resolveEnabled(enabled: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (enabled !== undefined) return enabled;
  const raw = readEnv(env, 'GENESIS_METRICS_ENABLED');
  return raw === undefined ? true : parseBoolean('GENESIS_METRICS_ENABLED', raw);
}

/** The bounded store behind the per-business gauges, for an application that wires its own readers. */
export function createBusinessSeries(
  options: SeriesBoundsOptions & { env?: NodeJS.ProcessEnv; now?: () => number } = {},
): BusinessSeriesStore {
  const { ttlSeconds, maxBusinesses, maxTracked } = resolveSeriesBounds(options, options.env ?? process.env);
  return new BusinessSeriesStore({ ttlSeconds, maxBusinesses, maxTracked, ...(options.now ? { now: options.now } : {}) });
}

/**
 * Creates the Genesis Meta-Agent's instruments. Throws a GenesisConfigError
 * for an unknown option or a malformed variable (GENESIS_METRICS_ENABLED,
 * GENESIS_BUSINESS_SERIES_*, GENESIS_USER_ID_MAX), never later.
 *
 * The per-business gauges live in a bounded store: to export them with your
 * own readers, make it first with `createBusinessSeries()`, register
 * `createBusinessMetricProducer(store)` from `genesis-telemetry/sdk` with the
 * readers, and pass the store here as `businessSeries`.
 */
export function createGenesisMetrics(options: GenesisMetricsOptions = {}): GenesisMetrics {
  rejectUnknownKeys('createGenesisMetrics', options, KNOWN_OPTIONS);
  const env = options.env ?? process.env;
  if (!resolveEnabled(options.enabled, env)) return DISABLED_METRICS;
  const bounds = resolveSeriesBounds(options, env);
  const store = options.businessSeries ?? createBusinessSeries({ ...options, env });
  const meter = options.meter ?? (options.meterProvider ?? metrics).getMeter(METER_NAME, VERSION);
  return new RecordingGenesisMetrics(meter, options.logger ?? consoleLogger(), store, bounds.maxUserIds);
}
