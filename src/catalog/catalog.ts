/**
 * The whole catalog: the business metrics and their portfolio aggregates
 * (always served), the dashboard
 * webhook's (served where a notifier runs), then the adapter's own (served
 * once something happens to them).
 */
import { ADAPTER_METRICS } from './adapter-metrics.ts';
import { BUSINESS_METRICS } from './business-metrics.ts';
import { PORTFOLIO_METRICS } from './portfolio-metrics.ts';
import type { InstrumentSpec } from './types.ts';
import { WEBHOOK_METRICS } from './webhook-metrics.ts';

export const CATALOG: readonly InstrumentSpec[] = [...BUSINESS_METRICS, ...PORTFOLIO_METRICS, ...WEBHOOK_METRICS, ...ADAPTER_METRICS];

const byName = new Map(CATALOG.map((spec) => [spec.name, spec]));

/** The catalog entry for an instrument name, or undefined. */
export function findInstrumentSpec(name: string): InstrumentSpec | undefined {
  return byName.get(name);
}
