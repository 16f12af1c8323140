/**
 * The options of `startTelemetry()`, resolved once against the environment
 * into one validated, frozen configuration. Every error names the option or
 * the variable, and says what would be right.
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { parsePort, readEnv, rejectUnknownKeys } from '../config/parse.ts';
import { resolveSeriesBounds, type SeriesBounds, type SeriesBoundsOptions } from '../instruments/business-series-options.ts';
import { resolveEnabled } from '../instruments/create-genesis-metrics.ts';
import { consoleLogger, type Logger } from '../logging/logger.ts';
import { type OtlpPushConfig, type OtlpPushOptions, resolveOtlpPush } from '../push/otlp-options.ts';

/** Who may read `/metrics`: a bearer token, or HTTP basic credentials. */
export type EndpointAuth = { bearerToken: string } | { username: string; password: string };

export interface TelemetryOptions extends SeriesBoundsOptions {
  /** `service.name`. @default OTEL_SERVICE_NAME, else "genesis-meta-agent" */
  serviceName?: string;
  /** `service.instance.id`. @default from OTEL_RESOURCE_ATTRIBUTES, else a random UUID */
  serviceInstanceId?: string;
  /** More resource attributes; they win over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string>;
  /** The address the endpoint binds. @default OTEL_EXPORTER_PROMETHEUS_HOST, else "127.0.0.1" */
  host?: string;
  /** The endpoint's port; 0 picks a free one. @default OTEL_EXPORTER_PROMETHEUS_PORT, else 8001 */
  port?: number;
  /** Protect `/metrics`. @default GENESIS_METRICS_BEARER_TOKEN or GENESIS_METRICS_BASIC_AUTH ("user:password"), else open */
  auth?: EndpointAuth;
  /** Put `otel_scope_name`/`otel_scope_version` labels on every series (+57% bytes). @default false */
  scopeLabels?: boolean;
  /** Record and serve at all. @default GENESIS_METRICS_ENABLED, else true */
  enabled?: boolean;
  /** The clock of the business store, in ms (tests). @default performance.now */
  now?: () => number;
  /** @default one line to stderr per warning */
  logger?: Logger;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** OTLP push, side by side with the endpoint; false turns it off whatever the environment says. @default on when OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT is set, else off */
  otlp?: OtlpPushOptions | false;
}

export interface TelemetryConfig {
  readonly serviceName: string | undefined;
  readonly serviceInstanceId: string | undefined;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly host: string;
  readonly port: number;
  readonly auth: EndpointAuth | undefined;
  readonly scopeLabels: boolean;
  readonly enabled: boolean;
  readonly seriesBounds: SeriesBounds;
  readonly now: (() => number) | undefined;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly otlp: OtlpPushConfig | undefined;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8001;

const KNOWN_OPTIONS = [
  'serviceName',
  'serviceInstanceId',
  'resourceAttributes',
  'host',
  'port',
  'auth',
  'scopeLabels',
  'enabled',
  'perBusinessSeries',
  'businessSeriesTtlSeconds',
  'maxBusinessSeries',
  'maxTrackedBusinesses',
  'maxUserIds',
  'now',
  'logger',
  'env',
  'otlp',
] as const;

function resolveAuth(option: EndpointAuth | undefined, env: NodeJS.ProcessEnv): EndpointAuth | undefined {
  if (option !== undefined) {
    if ('bearerToken' in option) {
      if (typeof option.bearerToken !== 'string' || option.bearerToken === '') {
        throw new GenesisConfigError('auth.bearerToken', 'auth.bearerToken must be a non-empty string');
      }
      return { bearerToken: option.bearerToken };
    }
    if (
      typeof option.username !== 'string' ||
      option.username === '' ||
      option.username.includes(':') ||
      typeof option.password !== 'string'
    ) {
      throw new GenesisConfigError('auth', 'auth must be { bearerToken } or { username, password } with a non-empty username without ":"');
    }
    return { username: option.username, password: option.password };
  }
  const token = readEnv(env, 'GENESIS_METRICS_BEARER_TOKEN');
  const basic = readEnv(env, 'GENESIS_METRICS_BASIC_AUTH');
  if (token !== undefined && basic !== undefined) {
    throw new GenesisConfigError(
      'GENESIS_METRICS_BEARER_TOKEN',
      'set GENESIS_METRICS_BEARER_TOKEN or GENESIS_METRICS_BASIC_AUTH, not both',
    );
  }
  if (token !== undefined) return { bearerToken: token };
  if (basic === undefined) return undefined;
  const colon = basic.indexOf(':');
  if (colon <= 0) throw new GenesisConfigError('GENESIS_METRICS_BASIC_AUTH', 'GENESIS_METRICS_BASIC_AUTH must be "username:password"');
  return { username: basic.slice(0, colon), password: basic.slice(colon + 1) };
}

export function resolveTelemetryOptions(options: TelemetryOptions): TelemetryConfig {
  rejectUnknownKeys('startTelemetry', options, KNOWN_OPTIONS);
  const env = options.env ?? process.env;
  const rawPort = options.port ?? readEnv(env, 'OTEL_EXPORTER_PROMETHEUS_PORT');
  const host = options.host ?? readEnv(env, 'OTEL_EXPORTER_PROMETHEUS_HOST') ?? DEFAULT_HOST;
  if (typeof host !== 'string' || host.trim() === '') {
    throw new GenesisConfigError('host', 'host must be a non-empty address such as 127.0.0.1 or 0.0.0.0');
  }
  const logger = options.logger ?? consoleLogger();
  return Object.freeze({
    serviceName: options.serviceName,
    serviceInstanceId: options.serviceInstanceId,
    resourceAttributes: Object.freeze({ ...options.resourceAttributes }),
    host,
    port: rawPort === undefined ? DEFAULT_PORT : parsePort(options.port === undefined ? 'OTEL_EXPORTER_PROMETHEUS_PORT' : 'port', rawPort),
    auth: resolveAuth(options.auth, env),
    scopeLabels: options.scopeLabels ?? false,
    enabled: resolveEnabled(options.enabled, env),
    seriesBounds: resolveSeriesBounds(options, env),
    now: options.now,
    logger,
    env,
    otlp: resolveOtlpPush(options.otlp, env, logger),
  });
}
