/**
 * The options of OTLP push, resolved once against the environment. Push is
 * off unless an endpoint is given (option or variable). Where the exporters
 * do not read a variable themselves (the protocol, the export interval and
 * timeout), it is read here with the specification's meaning and defaults;
 * the rest is read here too, from the environment startTelemetry was given,
 * so that a bad value fails at start instead of being skipped with a warning.
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { readEnv, rejectUnknownKeys } from '../config/parse.ts';
import { consoleLogger, type Logger } from '../logging/logger.ts';
import { checkUrl, otlpUrlFromEnv, parseChoice, parseKeyValueList, parseMillis, readOtlpEnv } from './otlp-env.ts';
import { type OtlpTlsOptions, type OtlpTlsPem, resolveOtlpTls } from './otlp-tls.ts';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export const TEMPORALITIES = ['cumulative', 'delta', 'lowmemory'] as const;
export type Temporality = (typeof TEMPORALITIES)[number];

export interface OtlpPushOptions {
  /** The full metrics URL, e.g. http://collector:4318/v1/metrics. @default OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/metrics", else push is off */
  endpoint?: string;
  /** @default OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else "http/protobuf" (grpc is not supported) */
  protocol?: OtlpProtocol;
  /** Sent with every export. @default OTEL_EXPORTER_OTLP_[METRICS_]HEADERS */
  headers?: Record<string, string>;
  /** One export, retries included, in ms. @default OTEL_EXPORTER_OTLP_[METRICS_]TIMEOUT, else 10000 */
  timeoutMillis?: number;
  /** @default OTEL_EXPORTER_OTLP_[METRICS_]COMPRESSION, else "none" */
  compression?: 'gzip' | 'none';
  /** @default OTEL_METRIC_EXPORT_INTERVAL, else 60000 */
  exportIntervalMillis?: number;
  /**
   * The most one collect-and-export may take, and the bound on the last flush at shutdown (at most 25 s).
   * Longer than the interval, it is clamped to the interval with a warning. @default OTEL_METRIC_EXPORT_TIMEOUT, else 30000
   */
  exportTimeoutMillis?: number;
  /** @default OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, else "cumulative" (delta loses data when an export fails) */
  temporality?: Temporality;
  /** Certificates for HTTPS and mutual TLS, as PEM text; each field wins over its variable. @default the files the OTEL_EXPORTER_OTLP_[METRICS_]CERTIFICATE, _CLIENT_CERTIFICATE, _CLIENT_KEY variables name */
  tls?: OtlpTlsOptions;
}

export interface OtlpPushConfig {
  readonly url: string;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  /** The exporter's own timeout: never longer than the reader's, so that it reports its failure first. */
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly temporality: Temporality;
  readonly tls: OtlpTlsPem;
}

export const DEFAULT_OTLP_TIMEOUT_MS = 10_000;
export const DEFAULT_EXPORT_INTERVAL_MS = 60_000;
export const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

const KNOWN = [
  'endpoint',
  'protocol',
  'headers',
  'timeoutMillis',
  'compression',
  'exportIntervalMillis',
  'exportTimeoutMillis',
  'temporality',
  'tls',
] as const;

function pick<T>(option: T | undefined, optionName: string, fromEnv: { raw: string; source: string } | undefined) {
  if (option !== undefined) return { raw: option, source: optionName };
  return fromEnv;
}

function protocolOf(raw: unknown, source: string): OtlpProtocol {
  if (String(raw).trim().toLowerCase() === 'grpc') {
    throw new GenesisConfigError(
      source,
      `${source}: grpc is not supported; use http/protobuf (the default) or http/json, and the collector's HTTP port 4318`,
    );
  }
  return parseChoice(source, raw, OTLP_PROTOCOLS);
}

/** The validated push configuration, or undefined when push is off; `logger` hears about a clamped timeout. */
export function resolveOtlpPush(
  options: OtlpPushOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  logger: Pick<Logger, 'warn'> = consoleLogger(),
): OtlpPushConfig | undefined {
  if (options === false) return undefined;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new GenesisConfigError('otlp', 'otlp must be an object such as { endpoint: "http://collector:4318/v1/metrics" }, or false');
  }
  const given = options ?? {};
  if (given.headers !== undefined && Object.values(given.headers).some((value) => typeof value !== 'string')) {
    throw new GenesisConfigError('otlp.headers', 'otlp.headers must map header names to strings');
  }
  rejectUnknownKeys('otlp', given, KNOWN);
  const endpoint =
    given.endpoint === undefined ? otlpUrlFromEnv(env) : { raw: checkUrl('otlp.endpoint', given.endpoint), source: 'otlp.endpoint' };
  if (endpoint === undefined) {
    if (options !== undefined)
      throw new GenesisConfigError('otlp.endpoint', 'otlp needs an endpoint: set otlp.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT');
    return undefined;
  }
  const protocol = pick(given.protocol, 'otlp.protocol', readOtlpEnv(env, 'PROTOCOL'));
  const timeout = pick(given.timeoutMillis, 'otlp.timeoutMillis', readOtlpEnv(env, 'TIMEOUT'));
  const compression = pick(given.compression, 'otlp.compression', readOtlpEnv(env, 'COMPRESSION'));
  const interval = pick(given.exportIntervalMillis, 'otlp.exportIntervalMillis', envValue(env, 'OTEL_METRIC_EXPORT_INTERVAL'));
  const exportTimeout = pick(given.exportTimeoutMillis, 'otlp.exportTimeoutMillis', envValue(env, 'OTEL_METRIC_EXPORT_TIMEOUT'));
  const temporality = pick(given.temporality, 'otlp.temporality', envValue(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'));
  const exportIntervalMillis = interval === undefined ? DEFAULT_EXPORT_INTERVAL_MS : parseMillis(interval.source, interval.raw);
  let exportTimeoutMillis = exportTimeout === undefined ? DEFAULT_EXPORT_TIMEOUT_MS : parseMillis(exportTimeout.source, exportTimeout.raw);
  if (exportTimeoutMillis > exportIntervalMillis) {
    // The specification says the timeout should not exceed the interval. The SDK's reader clamps a timeout
    // it was not given and throws when both were; clamping both here keeps a start with the default written
    // out (OTEL_METRIC_EXPORT_TIMEOUT=30000 and a 10 s interval) working, and says so once.
    if (exportTimeout !== undefined) {
      const from = interval === undefined ? 'the default' : interval.source;
      logger.warn(
        `${exportTimeout.source} (${exportTimeoutMillis} ms) exceeds the export interval (${exportIntervalMillis} ms, ${from}): ` +
          `each export is bounded by the interval instead`,
      );
    }
    exportTimeoutMillis = exportIntervalMillis;
  }
  const timeoutMillis = timeout === undefined ? DEFAULT_OTLP_TIMEOUT_MS : parseMillis(timeout.source, timeout.raw);
  return Object.freeze({
    url: endpoint.raw,
    protocol: protocol === undefined ? 'http/protobuf' : protocolOf(protocol.raw, protocol.source),
    headers: Object.freeze(given.headers === undefined ? headersFromEnv(env) : { ...given.headers }),
    timeoutMillis: Math.min(timeoutMillis, exportTimeoutMillis),
    compression: compression === undefined ? 'none' : parseChoice(compression.source, compression.raw, ['gzip', 'none'] as const),
    exportIntervalMillis,
    exportTimeoutMillis,
    temporality: temporality === undefined ? 'cumulative' : parseChoice(temporality.source, temporality.raw, TEMPORALITIES),
    tls: resolveOtlpTls(given.tls, env),
  });
}

/** Both header variables, merged with the signal-specific one winning per key, as the OpenTelemetry exporters do. */
function headersFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const source of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS']) {
    const raw = readEnv(env, source);
    if (raw !== undefined) Object.assign(headers, parseKeyValueList(source, raw));
  }
  return headers;
}

function envValue(env: NodeJS.ProcessEnv, source: string) {
  const raw = readEnv(env, source);
  return raw === undefined ? undefined : { raw, source };
}
