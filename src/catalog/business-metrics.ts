/**
 * The 17 business metrics of the Genesis Meta-Agent, declared once.
 *
 * Names are the OpenTelemetry instrument names: the Prometheus exporter turns
 * each counter's name into `<name>_total`; everything else is scraped as named.
 */
import type { InstrumentSpec } from './types.ts';
import {
  AUTH_FAILURE_REASONS,
  BUSINESS_TYPES,
  CREATION_STATUSES,
  DEPLOYMENT_TYPES,
  LIFECYCLE_EVENT_TYPES,
  MEMORY_OPERATIONS,
  SUCCESS_STATUSES,
  TAKEDOWN_STATUSES,
  VERCEL_DEPLOYMENT_STATUSES,
} from './vocabulary.ts';

/** Every Genesis Meta-Agent metric starts with this namespace. */
export const BUSINESS_NAMESPACE = 'genesis_meta_agent';

/** The business_type label, shared by every metric that breaks down by kind of business. */
export const BUSINESS_TYPE_LABEL = {
  key: 'business_type',
  description: 'The kind of business the agent builds.',
  values: BUSINESS_TYPES,
} as const;

const businessId = {
  key: 'business_id',
  description: 'The id of one business (one series per live business).',
  values: 'id',
} as const;

/** Distinct users the quota counter keeps before it records `__overflow__` (GENESIS_USER_ID_MAX). */
export const DEFAULT_MAX_USER_IDS = 1000;

export const BUSINESS_METRICS = [
  {
    name: 'genesis_meta_agent_businesses_created',
    kind: 'counter',
    unit: '{business}',
    description: 'Businesses the agent finished creating, by type and outcome (blocked: stopped by the safety layer).',
    labels: [BUSINESS_TYPE_LABEL, { key: 'status', description: 'The outcome of the creation.', values: CREATION_STATUSES }],
  },
  {
    name: 'genesis_meta_agent_execution_duration_seconds',
    kind: 'histogram',
    unit: 's',
    description: 'Wall-clock time to create one business, from start to final outcome, in seconds.',
    labels: [BUSINESS_TYPE_LABEL],
    buckets: [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
  },
  {
    name: 'genesis_meta_agent_task_count',
    kind: 'histogram',
    unit: '{task}',
    description: 'Tasks the agent planned and ran to create one business.',
    labels: [BUSINESS_TYPE_LABEL],
    buckets: [1, 2, 5, 10, 15, 20, 30, 50, 75, 100],
  },
  {
    name: 'genesis_meta_agent_team_size',
    kind: 'histogram',
    unit: '{agent}',
    description: 'Agents on the team that created one business.',
    labels: [BUSINESS_TYPE_LABEL],
    buckets: [1, 2, 3, 4, 5, 6, 8, 10, 15, 20],
  },
  {
    name: 'genesis_meta_agent_revenue_projected_mrr',
    kind: 'gauge',
    unit: '{USD}',
    description: 'Projected monthly recurring revenue of one business, in US dollars.',
    labels: [businessId],
    range: [0, Number.MAX_SAFE_INTEGER],
    perBusiness: true,
  },
  {
    name: 'genesis_meta_agent_revenue_confidence',
    kind: 'gauge',
    unit: '{ratio}',
    description: 'Confidence in the revenue projection of one business, from 0 to 1.',
    labels: [businessId],
    range: [0, 1],
    perBusiness: true,
  },
  {
    name: 'genesis_meta_agent_safety_violations',
    kind: 'counter',
    unit: '{violation}',
    description: 'Actions the safety layer blocked.',
    labels: [],
  },
  {
    name: 'genesis_meta_agent_memory_operations',
    kind: 'counter',
    unit: '{operation}',
    description: 'Operations on the agent memory, by operation and outcome.',
    labels: [
      { key: 'operation', description: 'What the agent did with its memory.', values: MEMORY_OPERATIONS },
      { key: 'status', description: 'Whether the operation succeeded.', values: SUCCESS_STATUSES },
    ],
  },
  {
    name: 'genesis_meta_agent_lifecycle_events',
    kind: 'counter',
    unit: '{event}',
    description: 'Business lifecycle events the agent emitted, by event type.',
    labels: [{ key: 'event_type', description: 'The lifecycle event.', values: LIFECYCLE_EVENT_TYPES }],
  },
  {
    name: 'genesis_meta_agent_business_health_score',
    kind: 'gauge',
    unit: '{ratio}',
    description: 'Health score of one live business, from 0 (failing) to 1 (healthy).',
    labels: [businessId],
    range: [0, 1],
    perBusiness: true,
  },
  {
    name: 'genesis_meta_agent_deployment_success_rate',
    kind: 'gauge',
    unit: '{ratio}',
    description: 'Share of deployments that succeeded, by business type, from 0 to 1.',
    labels: [BUSINESS_TYPE_LABEL],
    range: [0, 1],
  },
  {
    name: 'genesis_meta_agent_deployment_costs_usd',
    kind: 'counter',
    unit: '{USD}',
    description: 'Money spent on deployments, in US dollars, by deployment type.',
    labels: [{ key: 'deployment_type', description: 'The kind of deployment.', values: DEPLOYMENT_TYPES }],
  },
  {
    name: 'genesis_meta_agent_auth_failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Requests refused by authentication, by reason.',
    labels: [{ key: 'reason', description: 'Why authentication failed.', values: AUTH_FAILURE_REASONS }],
  },
  {
    name: 'genesis_meta_agent_quota_denied',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests denied because the user exceeded a quota, by user.',
    labels: [{ key: 'user_id', description: 'The user whose quota was exceeded.', values: 'id' }],
    maxSeries: DEFAULT_MAX_USER_IDS,
  },
  {
    name: 'genesis_meta_agent_vercel_deployments',
    kind: 'counter',
    unit: '{deployment}',
    description: 'Vercel deployments: every attempt, and each outcome.',
    labels: [{ key: 'status', description: 'attempt, or the outcome.', values: VERCEL_DEPLOYMENT_STATUSES }],
  },
  {
    name: 'genesis_meta_agent_stripe_payment_intents',
    kind: 'counter',
    unit: '{payment_intent}',
    description: 'Stripe payment intents created for businesses, by outcome.',
    labels: [{ key: 'status', description: 'The outcome of the payment intent.', values: SUCCESS_STATUSES }],
  },
  {
    name: 'genesis_meta_agent_takedowns',
    kind: 'counter',
    unit: '{takedown}',
    description: 'Businesses taken down, by outcome (partial: some resources remained; not_found: already gone).',
    labels: [{ key: 'status', description: 'The outcome of the takedown.', values: TAKEDOWN_STATUSES }],
  },
] as const satisfies readonly InstrumentSpec[];

export type BusinessMetricName = (typeof BUSINESS_METRICS)[number]['name'];
