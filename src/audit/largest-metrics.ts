/**
 * The cardinality summary both human outputs end with: the metrics with the
 * most series, and each one's labels by distinct values. The same cut in the
 * table and the Markdown report, so that they tell a reviewer the same thing.
 */
import type { AuditReport, MetricCardinality } from './run-audit.ts';

/** How many of the largest metrics a report shows. */
const SHOWN = 10;

/** The largest metrics, most series first (the report keeps them in that order). */
export function largestMetrics(report: AuditReport): readonly MetricCardinality[] {
  return report.cardinality.slice(0, SHOWN);
}

/** `business_type 11, status 3`: each label and its distinct values, most first; `(none)` without labels. */
export function valuesPerLabel(metric: MetricCardinality): string {
  return metric.labels.map((l) => `${l.name} ${l.values}`).join(', ') || '(none)';
}
