/**
 * The OpenTelemetry specification's OTLP exporter variables, read from a given
 * environment (not only process.env) and validated at start: a value the
 * exporters would skip with a warning is a configuration error here.
 * Each reader returns the value and the name of the variable it came from, so
 * an error can name it. The signal-specific variable (`..._METRICS_...`) wins.
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { readEnv } from '../config/parse.ts';

export interface EnvValue {
  readonly raw: string;
  readonly source: string;
}

/** `OTEL_EXPORTER_OTLP_METRICS_<NAME>`, else `OTEL_EXPORTER_OTLP_<NAME>`. */
export function readOtlpEnv(env: NodeJS.ProcessEnv, name: string): EnvValue | undefined {
  for (const source of [`OTEL_EXPORTER_OTLP_METRICS_${name}`, `OTEL_EXPORTER_OTLP_${name}`]) {
    const raw = readEnv(env, source);
    if (raw !== undefined) return { raw, source };
  }
  return undefined;
}

/**
 * The metrics URL. `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is used as given;
 * the generic `OTEL_EXPORTER_OTLP_ENDPOINT` is a base to whose path
 * `v1/metrics` is appended, as the specification says.
 */
export function otlpUrlFromEnv(env: NodeJS.ProcessEnv): EnvValue | undefined {
  const specific = readEnv(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (specific !== undefined)
    return { raw: checkUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', specific), source: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT' };
  const base = readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (base === undefined) return undefined;
  return { raw: appendSignalPath(checkUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base)), source: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
}

/**
 * `v1/metrics` after the base URL's path, with exactly one slash between, the
 * query kept where it was: appending to the text would put it after a query
 * (`http://c:4318?tenant=a/v1/metrics`), as otlp-exporter-base does.
 */
export function appendSignalPath(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/metrics`;
  return url.href;
}

export function checkUrl(source: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new GenesisConfigError(source, `${source} must be an http:// or https:// URL (got "${raw}")`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GenesisConfigError(source, `${source} must be an http:// or https:// URL (got "${raw}")`);
  }
  return url.href;
}

/**
 * `key=value` pairs separated by commas, values percent-decoded: the W3C
 * Baggage-like format the specification uses for OTEL_EXPORTER_OTLP_HEADERS.
 */
export function parseKeyValueList(source: string, raw: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    if (key === '') throw new GenesisConfigError(source, `${source} must be key=value pairs separated by commas (bad entry "${entry}")`);
    try {
      pairs[key] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch (cause) {
      throw new GenesisConfigError(source, `${source}: the value of "${key}" is not valid percent-encoding`, { cause });
    }
  }
  return pairs;
}

/** A whole number of milliseconds greater than 0. */
export function parseMillis(source: string, raw: unknown): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(value) || value <= 0 || (typeof raw === 'string' && raw.trim() === '')) {
    throw new GenesisConfigError(source, `${source} must be a whole number of milliseconds greater than 0 (got "${raw}")`);
  }
  return value;
}

/** One value out of a closed set, compared without case. */
export function parseChoice<T extends string>(source: string, raw: unknown, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === String(raw).trim().toLowerCase());
  if (found === undefined) throw new GenesisConfigError(source, `${source} must be one of ${choices.join(', ')} (got "${raw}")`);
  return found;
}
