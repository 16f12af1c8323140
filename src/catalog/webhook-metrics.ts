/**
 * The dashboard webhook's own metrics: how the delivery of lifecycle events
 * to the dashboard is doing. Low-cardinality by design: never a business id.
 * The alerting rules name `genesis_meta_agent_dashboard_webhook_failures_total`.
 *
 * Served only where a notifier runs (a dashboard URL is configured).
 */
import type { InstrumentSpec } from './types.ts';

/** Why one delivery attempt failed. */
export const WEBHOOK_FAILURE_REASONS = [
  'timeout',
  'network',
  'http_5xx',
  'http_429',
  'http_408',
  'http_4xx',
  'http_410',
  'redirect',
  'circuit_open',
] as const;
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** What finally became of one event (dropped: undeliverable with the outbox turned off). */
export const WEBHOOK_OUTCOMES = ['delivered', 'rejected', 'outboxed', 'dead_lettered', 'dropped'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export const WEBHOOK_CIRCUIT_STATES = ['closed', 'half_open', 'open'] as const;
export type WebhookCircuitState = (typeof WEBHOOK_CIRCUIT_STATES)[number];

export const WEBHOOK_METRICS = [
  {
    name: 'genesis_meta_agent_dashboard_webhook_failures',
    kind: 'counter',
    unit: '{attempt}',
    description: 'Dashboard webhook delivery attempts that failed, by reason.',
    labels: [{ key: 'reason', description: 'Why the attempt failed.', values: WEBHOOK_FAILURE_REASONS }],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_deliveries',
    kind: 'counter',
    unit: '{event}',
    description:
      'Dashboard webhook events by final outcome (outboxed: kept on disk for a later retry; dropped: lost: no outbox, or one that could not be written in time; rejected: refused by the dashboard or as input).',
    labels: [{ key: 'outcome', description: 'What became of the event.', values: WEBHOOK_OUTCOMES }],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_attempts',
    kind: 'counter',
    unit: '{attempt}',
    description: 'Dashboard webhook HTTP attempts, first tries and retries alike.',
    labels: [],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_delivery_duration_seconds',
    kind: 'histogram',
    unit: 's',
    description: 'Time from accepting a dashboard event to its successful delivery, retries included, in seconds.',
    labels: [],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_queue_depth',
    kind: 'gauge',
    unit: '{event}',
    description: 'Dashboard events accepted in memory and not yet delivered.',
    labels: [],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_outbox_depth',
    kind: 'gauge',
    unit: '{event}',
    description: 'Dashboard events waiting in the on-disk outbox.',
    labels: [],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_outbox_oldest_age_seconds',
    kind: 'gauge',
    unit: 's',
    description: 'Age of the oldest event in the on-disk outbox, in seconds (0 when empty).',
    labels: [],
  },
  {
    name: 'genesis_meta_agent_dashboard_webhook_circuit_state',
    kind: 'gauge',
    unit: '{state}',
    description: 'State of the dashboard circuit breaker: 1 on the current state, 0 on the others.',
    labels: [{ key: 'state', description: 'The breaker state.', values: WEBHOOK_CIRCUIT_STATES }],
  },
  {
    // A 410 stops every attempt, so no failure counter moves afterwards: without this gauge the state is visible only in the log.
    name: 'genesis_meta_agent_dashboard_webhook_endpoint_disabled',
    kind: 'gauge',
    unit: '{endpoint}',
    description:
      'Whether the dashboard endpoint is disabled: 1 after it answered 410 Gone (nothing is attempted until the notifier is reconfigured and restarted), else 0.',
    labels: [],
  },
] as const satisfies readonly InstrumentSpec[];

export type WebhookMetricName = (typeof WEBHOOK_METRICS)[number]['name'];
