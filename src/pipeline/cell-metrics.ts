/**
 * The catalog series the adapter keeps itself, as the SDK's metric data, what
 * the SDK's own instruments would report: counters as monotonic sums, gauges,
 * histograms with the catalog's boundaries, count, sum, min and max.
 *
 * Cumulative by default, from the instrument's start. A reader that prefers
 * delta gets its own `DeltaMemory`: counters and histograms then report what
 * changed since that reader's last collection (min and max are left out,
 * since they cannot be taken apart), and series with no change are skipped,
 * as the SDK does for synchronous instruments.
 */
import { ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { AggregationTemporality, type DataPoint, DataPointType, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import type { CellFamily, CellRegistry } from '../instruments/cell-registry.ts';
import type { HistogramCell, SeriesCell, ValueCell } from '../instruments/series-cells.ts';

/** What one delta reader was last told, per cell. */
export interface DeltaMemory {
  lastMs: number | undefined;
  readonly seen: WeakMap<SeriesCell, { value: number; counts: Float64Array | undefined; sum: number }>;
}

export function newDeltaMemory(): DeltaMemory {
  return { lastMs: undefined, seen: new WeakMap() };
}

type HrTime = [number, number];

function valuePoints(family: CellFamily, start: HrTime, end: HrTime, delta: DeltaMemory | undefined): DataPoint<number>[] {
  const points: DataPoint<number>[] = [];
  for (const cell of family.series.values()) {
    let value = (cell as ValueCell).value;
    if (delta !== undefined && family.spec.kind === 'counter') {
      const last = delta.seen.get(cell);
      if (last !== undefined && last.value === value) continue;
      delta.seen.set(cell, { value, counts: undefined, sum: 0 });
      value -= last?.value ?? 0;
    }
    points.push({ startTime: start, endTime: end, attributes: cell.attributes, value });
  }
  return points;
}

function histogramPoints(family: CellFamily, start: HrTime, end: HrTime, delta: DeltaMemory | undefined): DataPoint<Histogram>[] {
  const points: DataPoint<Histogram>[] = [];
  const boundaries = family.boundaries as number[];
  for (const series of family.series.values()) {
    const cell = series as HistogramCell;
    // A series bound but never observed is not reported, as the SDK would not report it.
    if (cell.count === 0) continue;
    if (delta === undefined) {
      const value = {
        buckets: { boundaries, counts: Array.from(cell.counts) },
        sum: cell.sum,
        count: cell.count,
        min: cell.min,
        max: cell.max,
      };
      points.push({ startTime: start, endTime: end, attributes: cell.attributes, value });
      continue;
    }
    const last = delta.seen.get(cell);
    const lastCount = last === undefined ? 0 : last.value;
    if (lastCount === cell.count) continue;
    const counts = Array.from(cell.counts, (count, i) => count - (last?.counts?.[i] ?? 0));
    points.push({
      startTime: start,
      endTime: end,
      attributes: cell.attributes,
      value: { buckets: { boundaries, counts }, sum: cell.sum - (last?.sum ?? 0), count: cell.count - lastCount },
    });
    delta.seen.set(cell, { value: cell.count, counts: Float64Array.from(cell.counts), sum: cell.sum });
  }
  return points;
}

function familyMetric(family: CellFamily, end: HrTime, delta: DeltaMemory | undefined): MetricData {
  const { name, description, unit, kind } = family.spec;
  const descriptor = { name, description, unit, valueType: ValueType.DOUBLE };
  const startMs = delta?.lastMs !== undefined && kind !== 'gauge' ? delta.lastMs : family.startTimeMs;
  const start = millisToHrTime(startMs);
  const aggregationTemporality = delta !== undefined && kind !== 'gauge' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  if (kind === 'histogram') {
    return {
      descriptor,
      aggregationTemporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: histogramPoints(family, start, end, delta),
    };
  }
  const dataPoints = valuePoints(family, start, end, delta);
  if (kind === 'gauge') return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints };
  return { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints };
}

/** Every registered family with at least one point to report. */
export function cellMetrics(registry: CellRegistry, nowMs: number, delta?: DeltaMemory): MetricData[] {
  const end = millisToHrTime(nowMs);
  const metrics: MetricData[] = [];
  for (const family of registry.families()) {
    const metric = familyMetric(family, end, delta);
    if (metric.dataPoints.length > 0) metrics.push(metric);
  }
  if (delta !== undefined) delta.lastMs = nowMs;
  return metrics;
}
