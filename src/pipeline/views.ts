/** The SDK views the catalog implies: histogram buckets and per-instrument series limits. */
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { InstrumentSpec } from '../catalog/types.ts';

export function viewsFromCatalog(specs: readonly InstrumentSpec[], meterName: string): ViewOptions[] {
  const views: ViewOptions[] = [];
  for (const spec of specs) {
    if (spec.buckets === undefined && spec.maxSeries === undefined) continue;
    views.push({
      instrumentName: spec.name,
      meterName,
      ...(spec.buckets === undefined
        ? {}
        : { aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...spec.buckets] } } }),
      ...(spec.maxSeries === undefined ? {} : { aggregationCardinalityLimit: spec.maxSeries }),
    });
  }
  return views;
}
