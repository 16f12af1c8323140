/**
 * Makes the SDK's silent cardinality overflow visible. When an instrument
 * reaches its limit the SDK merges new series into one carrying
 * `otel.metric.overflow=true`; this looks for such points in each collection
 * and reports the instrument (counted and logged once by DropAccounting-style
 * reporting). Through the adapter's own API the limits derived from the
 * catalog make it unreachable; the application's instruments on the same
 * pipeline can still reach it.
 */
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

export const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

/** The names of the instruments that have an overflow series in this collection. */
export function overflowingInstruments(resourceMetrics: ResourceMetrics): string[] {
  const names: string[] = [];
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const points = metric.dataPoints as { attributes: Record<string, unknown> }[];
      if (points.some((point) => point.attributes[OVERFLOW_ATTRIBUTE] === true)) names.push(metric.descriptor.name);
    }
  }
  return names;
}
