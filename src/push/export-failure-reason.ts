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

function httpStatusOf(error: { code?: unknown; response?: { statusCode?: unknown } }): number | undefined {
  // OTLPExporterError carries the status as `code`; got's HTTPError as `response.statusCode`.
  const status = typeof error.code === 'number' ? error.code : error.response?.statusCode;
  return typeof status === 'number' && status >= 100 && status <= 599 ? status : undefined;
}

export function exportFailureReason(error: unknown): ExportFailureReason {
  if (typeof error !== 'object' || error === null) return 'other';
  const candidate = error as { code?: unknown; name?: unknown; message?: unknown; response?: { statusCode?: unknown } };
  const status = httpStatusOf(candidate);
  if (status !== undefined) {
    if (status >= 500) return 'http_5xx';
    if (status >= 400) return 'http_4xx';
    return 'other';
  }
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
  const code = (error as { code?: unknown }).code;
  const status = httpStatusOf(error as never);
  const prefix = status !== undefined ? `HTTP ${status}` : typeof code === 'string' ? code : '';
  const message = error.message || (error instanceof AggregateError ? error.errors.map(describeExportError).join('; ') : error.name);
  return prefix === '' || message.includes(prefix) ? message : `${prefix}: ${message}`;
}
