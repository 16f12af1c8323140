/**
 * Pushgateway for batch jobs: a short run pushes what it recorded before it
 * exits. The text is the OpenTelemetry Prometheus exporter's own serializer
 * on a collect() of a MetricReader, so the names equal those of `/metrics`.
 * PUT replaces the whole group, POST only the metrics of the same names,
 * DELETE removes the group (Pushgateway semantics). A failed push resolves
 * `{ ok: false }`, counted and logged; only bad options reject.
 */
import type { Meter } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ExportFailureReason } from '../catalog/adapter-metrics.ts';
import { GenesisConfigError } from '../config/config-error.ts';
import { rejectUnknownKeys } from '../config/parse.ts';
import { consoleLogger, type Logger } from '../logging/logger.ts';
import { ExportFailureLog } from './export-failure-log.ts';
import { exportFailureReason } from './export-failure-reason.ts';
import { checkUrl, parseMillis } from './otlp-env.ts';
import { gatewayPath, gatewayUrl } from './pushgateway-path.ts';

export interface GatewayTarget {
  /** The Pushgateway's base URL, e.g. http://pushgateway:9091; a path (a proxy's, or --web.route-prefix) is kept. */
  url: string;
  /** The `job` label of the group. */
  job: string;
  /** More labels of the grouping key, e.g. { instance: 'nightly' }. @default {} */
  grouping?: Record<string, string>;
  /** One request, in ms. @default 10000 */
  timeoutMillis?: number;
  /** Sent with the request, e.g. authorization. @default {} */
  headers?: Record<string, string>;
}

export interface TelemetryPushOptions extends GatewayTarget {
  /** put: replace the group; post: replace only the metrics of the same names. @default "put" */
  method?: 'put' | 'post';
}

export interface PushToGatewayOptions extends TelemetryPushOptions {
  /** Where the values come from: any MetricReader on the application's MeterProvider (cumulative). */
  reader: MetricReader;
  /** @default stderr */
  logger?: Logger;
  /** Count failures in genesis_telemetry_export_failures on this meter. @default not counted */
  meter?: Meter;
}

export type PushResult = { ok: true; status: number } | { ok: false; reason: ExportFailureReason; error: Error };

const TARGET_KEYS = ['url', 'job', 'grouping', 'timeoutMillis', 'headers'];
const DEFAULT_TIMEOUT_MS = 10_000;

async function send(
  method: 'put' | 'post' | 'delete',
  target: GatewayTarget,
  body: string | undefined,
  log: ExportFailureLog,
): Promise<PushResult> {
  const url = gatewayUrl(checkUrl('url', target.url), target.job, target.grouping);
  const timeout = target.timeoutMillis === undefined ? DEFAULT_TIMEOUT_MS : parseMillis('timeoutMillis', target.timeoutMillis);
  try {
    // Loaded on the first push: most processes never push, and got costs about 100 ms of start-up.
    const { default: got } = await import('got');
    const response = await got(url, {
      method: method.toUpperCase() as 'PUT' | 'POST' | 'DELETE',
      headers: { ...target.headers, ...(body === undefined ? {} : { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }) },
      ...(body === undefined ? {} : { body }),
      timeout: { request: timeout },
      // Every Pushgateway method is idempotent: a retry cannot double a value.
      retry: { limit: 2, methods: ['PUT', 'POST', 'DELETE'] },
    });
    log.succeeded();
    return { ok: true, status: response.statusCode };
  } catch (cause) {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    log.failed(error, 'single');
    return { ok: false, reason: exportFailureReason(error), error };
  }
}

function failureLog(target: GatewayTarget, logger: Logger | undefined, meter: Meter | undefined): ExportFailureLog {
  const log = new ExportFailureLog({
    exporter: 'pushgateway',
    target: target.url,
    logger: logger ?? consoleLogger(),
    logIntervalMillis: 0,
  });
  if (meter !== undefined) log.attach(meter);
  return log;
}

/** The reader's current values in the Prometheus text format, by the exporter's own serializer. */
export async function serializeReader(reader: MetricReader): Promise<string> {
  const { resourceMetrics } = await reader.collect();
  // prefix, appendTimestamp (the Pushgateway refuses timestamps), no resource labels, target_info kept, scope labels off.
  return new PrometheusSerializer('', false, undefined, false, true).serialize(resourceMetrics);
}

export async function pushToGateway(options: PushToGatewayOptions): Promise<PushResult> {
  rejectUnknownKeys('pushToGateway', options, [...TARGET_KEYS, 'method', 'reader', 'logger', 'meter']);
  const { reader, logger, meter, method = 'put', ...target } = options;
  if (method !== 'put' && method !== 'post') {
    throw new GenesisConfigError('method', `method must be "put" or "post" (got "${String(method)}")`);
  }
  gatewayPath(target.job, target.grouping);
  return send(method, target, await serializeReader(reader), failureLog(target, logger, meter));
}

export async function deleteFromGateway(options: GatewayTarget & { logger?: Logger; meter?: Meter }): Promise<PushResult> {
  rejectUnknownKeys('deleteFromGateway', options, [...TARGET_KEYS, 'logger', 'meter']);
  const { logger, meter, ...target } = options;
  return send('delete', target, undefined, failureLog(target, logger, meter));
}

/** `telemetry.pushToGateway()`: the pipeline's own pull reader is the source. */
export function pushTelemetry(reader: MetricReader, meter: Meter, logger: Logger, options: TelemetryPushOptions): Promise<PushResult> {
  return pushToGateway({ ...options, reader, logger, meter });
}
