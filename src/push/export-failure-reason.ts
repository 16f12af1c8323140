/**
 * Sorts an export error into the reasons of genesis_telemetry_export_failures:
 * a pure function over the errors the OTLP exporters and got produce.
 */
import type { ExportFailureReason } from '../catalog/adapter-metrics.ts';

/** Socket-level failures: nothing answered at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
]);

/**
 * The statuses by which a receiver asks to be tried later: the OTLP
 * specification's retryable codes, which otlp-exporter-base retries
 * (isExportHTTPErrorRetryable) and got retries too.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * What otlp-exporter-base reports when every attempt got a retryable status
 * until its timeout or attempts ran out: an OTLPExporterError with this
 * message and no `code`, because its transport drops the status of a
 * retryable answer. The message is all there is to recognise it by.
 */
const RETRIES_EXHAUSTED = /^Export failed with retryable status$/;

function httpStatusOf(error: { code?: unknown; response?: { statusCode?: unknown } }): number | undefined {
  // OTLPExporterError carries the status as `code`; got's HTTPError as `response.statusCode`.
  const status = typeof error.code === 'number' ? error.code : error.response?.statusCode;
  return typeof status === 'number' && status >= 100 && status <= 599 ? status : undefined;
}

function retriesExhausted(error: { code?: unknown; message?: unknown }): boolean {
  return error.code === undefined && typeof error.message === 'string' && RETRIES_EXHAUSTED.test(error.message);
}

export function exportFailureReason(error: unknown): ExportFailureReason {
  if (typeof error !== 'object' || error === null) return 'other';
  const candidate = error as { code?: unknown; name?: unknown; message?: unknown; response?: { statusCode?: unknown } };
  const status = httpStatusOf(candidate);
  if (status !== undefined) {
    // Before the classes: a 503 means "later" to every exporter, so it reads the same whoever got it.
    if (RETRYABLE_STATUSES.has(status)) return 'http_retryable';
    if (status >= 500) return 'http_5xx';
    if (status >= 400) return 'http_4xx';
    return 'other';
  }
  if (retriesExhausted(candidate)) return 'http_retryable';
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  if (candidate.name === 'TimeoutError' || candidate.code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return 'timeout';
  if (typeof candidate.code === 'string' && NETWORK_CODES.has(candidate.code)) return 'network';
  // An AggregateError (several addresses tried) is network when its parts are.
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((part) => exportFailureReason(part) === 'network')) return 'network';
  return 'other';
}

/** A short, secret-free description for the log: the code or status, and the message. */
export function describeExportError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (retriesExhausted(error as never)) {
    // The exporter's own words ("Export failed with retryable status") name neither the status nor what it means.
    return 'the receiver answered 429, 502, 503 or 504 (overloaded or unavailable) to every attempt until the exporter stopped retrying';
  }
  const code = (error as { code?: unknown }).code;
  const status = httpStatusOf(error as never);
  const prefix = status !== undefined ? `HTTP ${status}` : typeof code === 'string' ? code : '';
  const message = error.message || (error instanceof AggregateError ? error.errors.map(describeExportError).join('; ') : error.name);
  return prefix === '' || message.includes(prefix) ? message : `${prefix}: ${message}`;
}
