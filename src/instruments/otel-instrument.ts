/** The synchronous OpenTelemetry instrument a catalog entry declares, through the API only. */
import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import type { InstrumentSpec } from '../catalog/types.ts';

/** Creates the synchronous OpenTelemetry instrument a catalog entry declares, through the API only (webhook metrics, tests). */
export function createOtelInstrument(meter: Meter, spec: InstrumentSpec): Counter | Histogram | Gauge {
  const options = { description: spec.description, unit: spec.unit };
  switch (spec.kind) {
    case 'counter':
      return meter.createCounter(spec.name, options);
    case 'gauge':
      return meter.createGauge(spec.name, options);
    case 'histogram':
      return meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: [...(spec.buckets ?? [])] } });
  }
}
