/**
 * Serves the per-business gauges from the bounded business store, as an SDK
 * MetricProducer. Registered with every reader (the Prometheus exporter, the
 * OTLP reader, or an application's own), so pull and push show the same live
 * businesses: a business taken down or expired is simply absent from the next
 * collection, which the SDK's own instruments cannot do (they never forget).
 */
import { type Attributes, ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type GaugeMetricData,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { BUSINESS_METRICS } from '../catalog/business-metrics.ts';
import type { BusinessRecord, BusinessSeriesStore } from '../instruments/business-series-store.ts';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { VERSION } from '../version.ts';
import { cellMetrics, newDeltaMemory } from './cell-metrics.ts';

type Field = 'mrrUsd' | 'confidence' | 'healthScore';

/** Which record field feeds which per-business gauge. */
export const BUSINESS_GAUGES: readonly (readonly [name: string, field: Field])[] = [
  ['genesis_meta_agent_revenue_projected_mrr', 'mrrUsd'],
  ['genesis_meta_agent_revenue_confidence', 'confidence'],
  ['genesis_meta_agent_business_health_score', 'healthScore'],
];

function gauge(name: string, points: DataPoint<number>[]): GaugeMetricData {
  const spec = BUSINESS_METRICS.find((s) => s.name === name);
  return {
    descriptor: { name, description: spec?.description ?? '', unit: spec?.unit ?? '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points,
  };
}

export interface BusinessMetricProducerOptions {
  /** Serve per-business series at all; off leaves only the catalog series. @default on unless the store keeps none (GENESIS_BUSINESS_SERIES_ENABLED=false) */
  enabled?: boolean;
  /** Serve the catalog series the adapter keeps (off where the endpoint renders them itself). @default true */
  catalogCells?: boolean;
  /** The temporality the reader wants for counters and histograms. @default 'cumulative' */
  temporality?: 'cumulative' | 'delta';
}

/**
 * Also serves the catalog series the adapter keeps itself (the store's cell
 * registry): making the producer tells the recording API made on the same
 * store afterwards that a producer collects them, so it reports them here
 * instead of through instruments on the Meter. Make one producer per reader.
 */
export function createBusinessMetricProducer(store: BusinessSeriesStore, options: BusinessMetricProducerOptions = {}): MetricProducer {
  const enabled = options.enabled ?? true;
  const catalogCells = options.catalogCells ?? true;
  const delta = options.temporality === 'delta' ? newDeltaMemory() : undefined;
  if (catalogCells) store.cells.collected = true;
  return {
    async collect() {
      const nowMs = Date.now();
      const metrics: MetricData[] = catalogCells ? cellMetrics(store.cells, nowMs, delta) : [];
      if (enabled) {
        store.sweep();
        const time = millisToHrTime(nowMs);
        const points: DataPoint<number>[][] = BUSINESS_GAUGES.map(() => []);
        for (const record of store.records()) addPoints(record, points, time);
        for (const [i, [name]] of BUSINESS_GAUGES.entries()) if ((points[i]?.length ?? 0) > 0) metrics.push(gauge(name, points[i] ?? []));
      }
      return {
        // The reader keeps its own resource; only the scope metrics are merged.
        resourceMetrics: {
          resource: emptyResource(),
          scopeMetrics: metrics.length === 0 ? [] : [{ scope: { name: METER_NAME, version: VERSION }, metrics }],
        },
        errors: [],
      };
    },
  };
}

function addPoints(record: BusinessRecord, points: DataPoint<number>[][], time: [number, number]): void {
  const attributes: Attributes = { business_id: record.id };
  BUSINESS_GAUGES.forEach(([, field], i) => {
    const value = record[field];
    if (value !== undefined) points[i]?.push({ startTime: time, endTime: time, attributes, value });
  });
}
