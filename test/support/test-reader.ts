/**
 * A real SDK MeterProvider that the test builds itself, read back through a
 * MetricReader: the "application's own SDK" of the vendor-neutral tests.
 */
import type { Attributes } from '@opentelemetry/api';
import { type DataPoint, type Histogram, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createBusinessSeries } from '../../src/index.ts';
import { createBusinessMetricProducer } from '../../src/sdk.ts';

export class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface CollectedPoint {
  readonly attributes: Attributes;
  readonly value: number | Histogram;
}

export interface Collected {
  /** Instrument name -> its points. */
  readonly points: Map<string, CollectedPoint[]>;
  readonly units: Map<string, string>;
}

/**
 * The README's recipe for an application's own SDK: the business store made
 * first, its producer registered with the reader, the store passed to
 * createGenesisMetrics as `businessSeries`.
 */
export function ownMeterProvider(options: { now?: () => number; maxBusinessSeries?: number; businessSeriesTtlSeconds?: number } = {}) {
  const businessSeries = createBusinessSeries({ env: {}, ...options });
  const reader = new TestReader({ metricProducers: [createBusinessMetricProducer(businessSeries)] });
  return { provider: new MeterProvider({ readers: [reader] }), reader, businessSeries };
}

export async function collect(reader: MetricReader): Promise<Collected> {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
  const points = new Map<string, CollectedPoint[]>();
  const units = new Map<string, string>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      units.set(metric.descriptor.name, metric.descriptor.unit);
      const list = points.get(metric.descriptor.name) ?? [];
      for (const point of metric.dataPoints as DataPoint<number | Histogram>[])
        list.push({ attributes: point.attributes, value: point.value });
      points.set(metric.descriptor.name, list);
    }
  }
  return { points, units };
}

/** The value of the point with exactly these attributes. */
export function pointValue(collected: Collected, name: string, attributes: Attributes = {}): number | Histogram | undefined {
  const same = (a: Attributes) =>
    Object.keys(a).length === Object.keys(attributes).length && Object.entries(attributes).every(([k, v]) => a[k] === v);
  return collected.points.get(name)?.find((point) => same(point.attributes))?.value;
}
