/** The SDK views the catalog implies: histogram buckets and per-instrument series limits. */
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { InstrumentSpec } from '../catalog/types.ts';
import { seriesLimit } from './series-limits.ts';

/**
 * One view per SDK instrument of the catalog. `maxIds` overrides the id cap
 * of an instrument (the user_id cap is configurable). Per-business gauges are
 * served by a producer and need none.
 */
export function viewsFromCatalog(
  specs: readonly InstrumentSpec[],
  meterName: string,
  maxIds: (spec: InstrumentSpec) => number | undefined = (spec) => spec.maxSeries,
): ViewOptions[] {
  return specs
    .filter((spec) => spec.perBusiness === undefined)
    .map((spec) => ({
      instrumentName: spec.name,
      meterName,
      aggregationCardinalityLimit: seriesLimit(spec, maxIds(spec)),
      ...(spec.buckets === undefined
        ? {}
        : { aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...spec.buckets] } } }),
    }));
}
