/**
 * Aggregates over the live businesses, with no business_id: they stay small
 * whatever the churn, and keep the dashboards working when per-business
 * series are switched off or have expired. Computed at collection time from
 * the same bounded business store as the per-business gauges, so the two
 * always agree.
 */

import { BUSINESS_TYPE_LABEL } from './business-metrics.ts';
import type { InstrumentSpec } from './types.ts';

/** Health score bands: critical < 0.25 <= poor < 0.5 <= fair < 0.75 <= good; unknown: no score yet. */
export const HEALTH_BANDS = ['critical', 'poor', 'fair', 'good', 'unknown'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

export const PORTFOLIO_METRICS = [
  {
    name: 'genesis_meta_agent_live_businesses',
    kind: 'gauge',
    unit: '{business}',
    description: 'Live businesses (updated within the series TTL, not taken down), by type and health band.',
    labels: [BUSINESS_TYPE_LABEL, { key: 'health', description: 'The band of the latest health score.', values: HEALTH_BANDS }],
  },
  {
    name: 'genesis_meta_agent_portfolio_projected_mrr',
    kind: 'gauge',
    unit: '{USD}',
    description: 'Sum of the projected monthly recurring revenue of the live businesses, in US dollars, by type.',
    labels: [BUSINESS_TYPE_LABEL],
  },
] as const satisfies readonly InstrumentSpec[];
