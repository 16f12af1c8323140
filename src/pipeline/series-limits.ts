/**
 * The SDK cardinality limit of each catalog instrument, derived from the
 * catalog so that the SDK never overflows through the adapter's API: the
 * product of each enum label's values (plus `other`), times each id label's
 * cap (plus its overflow value), plus one for the SDK's own overflow series.
 */
import { type InstrumentSpec, isEnumLabel } from '../catalog/types.ts';

/** The SDK's own default, for instruments with no bound of their own. */
export const SDK_DEFAULT_LIMIT = 2000;

export function seriesLimit(spec: InstrumentSpec, maxIds: number | undefined = spec.maxSeries): number {
  let series = 1;
  for (const label of spec.labels) {
    if (isEnumLabel(label)) series *= label.values.length + 1;
    else if (maxIds !== undefined) series *= maxIds + 1;
    else return SDK_DEFAULT_LIMIT;
  }
  return series + 1;
}
