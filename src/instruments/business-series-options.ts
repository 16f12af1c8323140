/**
 * The bounds of the per-business series and of the user_id label, from
 * options first, then the environment, then defaults.
 */
import { DEFAULT_MAX_USER_IDS } from '../catalog/business-metrics.ts';
import { GenesisConfigError } from '../config/config-error.ts';
import { parseBoolean, readEnv } from '../config/parse.ts';

/** Six hours: a live business is updated far more often; one gone that long is gone. */
export const DEFAULT_BUSINESS_SERIES_TTL_SECONDS = 21_600;
/** 5,000 businesses: 15,000 per-business series at most. */
export const DEFAULT_BUSINESS_SERIES_MAX = 5000;
/** 100,000 live businesses in the portfolio aggregates: about 24 MiB at most, ids and Map included (bench/results/cardinality.md, 1M row). */
export const DEFAULT_BUSINESS_TRACKED_MAX = 100_000;

export interface SeriesBoundsOptions {
  /** Seconds without an update before a business's series expire; 0 never. @default GENESIS_BUSINESS_SERIES_TTL_SECONDS, else 21600 */
  businessSeriesTtlSeconds?: number;
  /** Businesses with per-business series at most (least recently updated evicted first). @default GENESIS_BUSINESS_SERIES_MAX, else 5000 */
  maxBusinessSeries?: number;
  /** Live businesses the portfolio aggregates count at most (least recently updated forgotten first); at least maxBusinessSeries. @default GENESIS_BUSINESS_TRACKED_MAX, else 100000 */
  maxTrackedBusinesses?: number;
  /** Serve one series per live business; the portfolio aggregates are kept either way. @default GENESIS_BUSINESS_SERIES_ENABLED, else true */
  perBusinessSeries?: boolean;
  /** Distinct user_id values the quota counter keeps before `__overflow__`. @default GENESIS_USER_ID_MAX, else 1000 */
  maxUserIds?: number;
}

export interface SeriesBounds {
  readonly ttlSeconds: number;
  /** 0 when per-business series are off. */
  readonly maxBusinesses: number;
  readonly maxTracked: number;
  readonly maxUserIds: number;
}

function wholeNumber(
  option: string,
  variable: string,
  given: number | undefined,
  env: NodeJS.ProcessEnv,
  fallback: number,
  min: number,
): number {
  const raw = given ?? readEnv(env, variable);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    const source = given === undefined ? variable : option;
    throw new GenesisConfigError(source, `${source} must be a whole number >= ${min} (got "${raw}")`);
  }
  return value;
}

export function resolveSeriesBounds(options: SeriesBoundsOptions, env: NodeJS.ProcessEnv): SeriesBounds {
  const enabledRaw = readEnv(env, 'GENESIS_BUSINESS_SERIES_ENABLED');
  const perBusinessSeries =
    options.perBusinessSeries ?? (enabledRaw === undefined ? true : parseBoolean('GENESIS_BUSINESS_SERIES_ENABLED', enabledRaw));
  const maxBusinesses = wholeNumber(
    'maxBusinessSeries',
    'GENESIS_BUSINESS_SERIES_MAX',
    options.maxBusinessSeries,
    env,
    DEFAULT_BUSINESS_SERIES_MAX,
    1,
  );
  const maxTracked = wholeNumber(
    'maxTrackedBusinesses',
    'GENESIS_BUSINESS_TRACKED_MAX',
    options.maxTrackedBusinesses,
    env,
    Math.max(DEFAULT_BUSINESS_TRACKED_MAX, maxBusinesses),
    1,
  );
  if (maxTracked < maxBusinesses) {
    const source = options.maxTrackedBusinesses === undefined ? 'GENESIS_BUSINESS_TRACKED_MAX' : 'maxTrackedBusinesses';
    throw new GenesisConfigError(
      source,
      `${source} (${maxTracked}) must be at least the series cap GENESIS_BUSINESS_SERIES_MAX / maxBusinessSeries (${maxBusinesses}): every business with a series is also counted in the aggregates`,
    );
  }
  return {
    maxBusinesses: perBusinessSeries ? maxBusinesses : 0,
    maxTracked,
    ttlSeconds: wholeNumber(
      'businessSeriesTtlSeconds',
      'GENESIS_BUSINESS_SERIES_TTL_SECONDS',
      options.businessSeriesTtlSeconds,
      env,
      DEFAULT_BUSINESS_SERIES_TTL_SECONDS,
      0,
    ),
    maxUserIds: wholeNumber('maxUserIds', 'GENESIS_USER_ID_MAX', options.maxUserIds, env, DEFAULT_MAX_USER_IDS, 1),
  };
}

/**
 * The id cap of an instrument: the configured user cap for one with a
 * `user_id` label, else the catalog's `maxSeries`. One place, so the guard and
 * the SDK views always agree.
 */
export function idCap(spec: { labels: readonly { key: string }[]; maxSeries?: number }, maxUserIds: number): number | undefined {
  return spec.labels.some((label) => label.key === 'user_id') ? maxUserIds : spec.maxSeries;
}
