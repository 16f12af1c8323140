/**
 * The catalog histograms the adapter keeps itself, as the SDK's metric data:
 * cumulative points from the instrument's start, the catalog's boundaries,
 * count, sum, min and max, exactly what the SDK's own histogram would report.
 */
import { ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import type { HistogramFamily, HistogramRegistry } from '../instruments/histogram-registry.ts';

function histogramMetric(family: HistogramFamily, endTime: [number, number]): HistogramMetricData {
  const startTime = millisToHrTime(family.startTimeMs);
  const dataPoints: DataPoint<Histogram>[] = [];
  for (const cell of family.series.values()) {
    // A series bound but never observed is not reported, as the SDK would not report it.
    if (cell.count === 0) continue;
    dataPoints.push({
      startTime,
      endTime,
      attributes: cell.attributes,
      value: {
        buckets: { boundaries: family.boundaries as number[], counts: Array.from(cell.counts) },
        sum: cell.sum,
        count: cell.count,
        min: cell.min,
        max: cell.max,
      },
    });
  }
  const { name, description, unit } = family.spec;
  return {
    descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints,
  };
}

/** Every registered histogram with at least one observed series. */
export function histogramMetrics(registry: HistogramRegistry, nowMs: number): HistogramMetricData[] {
  const endTime = millisToHrTime(nowMs);
  const metrics: HistogramMetricData[] = [];
  for (const family of registry.families()) {
    const metric = histogramMetric(family, endTime);
    if (metric.dataPoints.length > 0) metrics.push(metric);
  }
  return metrics;
}
