/**
 * The adapter's own metrics: how genesis-telemetry itself is doing. They live
 * under their own namespace so that they never mix with the agent's.
 */
import { BUSINESS_METRICS } from './business-metrics.ts';
import type { InstrumentSpec, OTHER_LABEL_VALUE } from './types.ts';
import { DROP_REASONS } from './vocabulary.ts';
import { WEBHOOK_METRICS } from './webhook-metrics.ts';

export const ADAPTER_NAMESPACE = 'genesis_telemetry';

export const DROPPED_MEASUREMENTS = {
  name: 'genesis_telemetry_dropped_measurements',
  kind: 'counter',
  unit: '{measurement}',
  description: 'Measurements the adapter dropped, or recorded with an enum label mapped to "other", because the input was invalid.',
  labels: [
    {
      key: 'instrument',
      description: 'The catalog instrument that received the bad input.',
      values: [...BUSINESS_METRICS, ...WEBHOOK_METRICS].map((spec) => spec.name),
    },
    { key: 'reason', description: 'What was wrong with the input.', values: DROP_REASONS },
  ],
} as const satisfies InstrumentSpec;

/** Why a business's series left the exposition (evicted), or the business left the adapter's memory altogether. */
export const SERIES_REMOVAL_REASONS = ['taken_down', 'expired', 'evicted', 'forgotten'] as const;
export type SeriesRemovalReason = (typeof SERIES_REMOVAL_REASONS)[number];

export const SERIES_REMOVED = {
  name: 'genesis_telemetry_series_removed',
  kind: 'counter',
  unit: '{business}',
  description:
    'Businesses whose per-business series were removed: taken down or expired (no update within the TTL), both also leaving the portfolio aggregates; evicted (over the series cap, least recently updated first; still counted in the aggregates); forgotten (over the tracked cap: out of the aggregates too).',
  labels: [{ key: 'reason', description: 'Why the series were removed.', values: SERIES_REMOVAL_REASONS }],
} as const satisfies InstrumentSpec;

export const SERIES_OVERFLOWS = {
  name: 'genesis_telemetry_series_overflows',
  kind: 'counter',
  unit: '{measurement}',
  description:
    "Measurements recorded under an overflow series because their instrument reached its series limit: each one past an id cap of the adapter; 1 per instrument the first time the SDK's cardinality limit merges its series (the SDK does not say how many measurements it merged).",
  labels: [
    {
      key: 'instrument',
      description: 'The instrument that reached its limit; other for instruments outside the catalog.',
      values: [...BUSINESS_METRICS, ...WEBHOOK_METRICS].map((spec) => spec.name),
    },
  ],
} as const satisfies InstrumentSpec;

/** The push exporters whose failures the adapter counts. */
export const PUSH_EXPORTERS = ['otlp_http_json', 'otlp_http_protobuf', 'pushgateway'] as const;
export type PushExporterName = (typeof PUSH_EXPORTERS)[number];

/**
 * Why an export failed: no answer in time, no connection, the receiver asking
 * to be tried later (429, 502, 503, 504: the statuses the exporters retry, as
 * a collector's memory_limiter or a proxy in front of a restarting receiver
 * answers) until the retries ran out, or another HTTP status by class;
 * anything else is `other`, which every enum label takes.
 */
export const EXPORT_FAILURE_REASONS = ['timeout', 'network', 'http_retryable', 'http_4xx', 'http_5xx'] as const;
export type ExportFailureReason = (typeof EXPORT_FAILURE_REASONS)[number] | typeof OTHER_LABEL_VALUE;

export const EXPORT_FAILURES = {
  name: 'genesis_telemetry_export_failures',
  kind: 'counter',
  unit: '{export}',
  description:
    'Pushes of metrics (OTLP exports, Pushgateway requests) that failed, by exporter and reason: timeout, network (no connection), http_retryable (the receiver answered 429, 502, 503 or 504 until the retries ran out: overloaded or unavailable), http_4xx or http_5xx (any other refusal), other; the data stays cumulative.',
  labels: [
    { key: 'exporter', description: 'The push exporter that failed.', values: PUSH_EXPORTERS },
    { key: 'reason', description: 'Why it failed.', values: EXPORT_FAILURE_REASONS },
  ],
} as const satisfies InstrumentSpec;

export const ADAPTER_METRICS = [
  DROPPED_MEASUREMENTS,
  SERIES_REMOVED,
  SERIES_OVERFLOWS,
  EXPORT_FAILURES,
] as const satisfies readonly InstrumentSpec[];
