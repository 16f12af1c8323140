/**
 * The producer's view of the adapter's cells: cumulative points from the
 * instrument's start, and, for a delta reader, only what changed since that
 * reader's last collection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AggregationTemporality, DataPointType, type Histogram } from '@opentelemetry/sdk-metrics';
import { findInstrumentSpec } from '../../src/catalog/catalog.ts';
import type { InstrumentSpec } from '../../src/catalog/types.ts';
import { CellRegistry } from '../../src/instruments/cell-registry.ts';
import { newHistogramCell, observeHistogram, type SeriesCell, type ValueCell } from '../../src/instruments/series-cells.ts';
import { cellMetrics, newDeltaMemory } from '../../src/pipeline/cell-metrics.ts';

const COUNTER = findInstrumentSpec('genesis_meta_agent_safety_violations') as InstrumentSpec;
const HISTOGRAM = findInstrumentSpec('genesis_meta_agent_team_size') as InstrumentSpec;

function registry() {
  const cells = new CellRegistry();
  const counter: ValueCell = { attributes: {}, value: 0 };
  const boundaries = [...(HISTOGRAM.buckets ?? [])];
  const histogram = newHistogramCell({ business_type: 'saas' }, boundaries);
  cells.register({ spec: COUNTER, boundaries: [], series: new Map<string, SeriesCell>([['', counter]]), startTimeMs: 1_000 });
  cells.register({ spec: HISTOGRAM, boundaries, series: new Map<string, SeriesCell>([['saas', histogram]]), startTimeMs: 1_000 });
  return { cells, counter, histogram, boundaries };
}

describe('the cells as metric data', () => {
  it('are cumulative from the start by default, a monotonic sum and a histogram with the catalog buckets', () => {
    const { cells, counter, histogram, boundaries } = registry();
    counter.value = 3;
    observeHistogram(histogram, boundaries, 4);
    observeHistogram(histogram, boundaries, 40);
    const [sum, hist] = cellMetrics(cells, 5_000);
    assert.equal(sum?.dataPointType, DataPointType.SUM);
    assert.equal(sum?.dataPointType === DataPointType.SUM && sum.isMonotonic, true);
    assert.equal(sum?.aggregationTemporality, AggregationTemporality.CUMULATIVE);
    assert.deepEqual(sum?.dataPoints[0]?.startTime, [1, 0]);
    assert.equal(sum?.dataPoints[0]?.value, 3);
    const value = hist?.dataPoints[0]?.value as Histogram;
    assert.deepEqual(value.buckets.boundaries, HISTOGRAM.buckets);
    assert.equal(value.buckets.counts.length, boundaries.length + 1);
    assert.equal(value.buckets.counts.at(-1), 1, '40 is above the last bound');
    assert.deepEqual([value.count, value.sum, value.min, value.max], [2, 44, 4, 40]);
  });

  it('leave out a histogram series never observed', () => {
    const { cells } = registry();
    assert.deepEqual(
      cellMetrics(cells, 2_000).map((metric) => metric.descriptor.name),
      [COUNTER.name],
    );
  });

  it('report to a delta reader only the change since its last collection', () => {
    const { cells, counter, histogram, boundaries } = registry();
    const delta = newDeltaMemory();
    counter.value = 2;
    observeHistogram(histogram, boundaries, 3);
    const first = cellMetrics(cells, 2_000, delta);
    assert.equal(first[0]?.aggregationTemporality, AggregationTemporality.DELTA);
    assert.equal(first[0]?.dataPoints[0]?.value, 2);
    counter.value = 5;
    observeHistogram(histogram, boundaries, 3);
    observeHistogram(histogram, boundaries, 6);
    const second = cellMetrics(cells, 3_000, delta);
    assert.equal(second[0]?.dataPoints[0]?.value, 3);
    assert.deepEqual(second[0]?.dataPoints[0]?.startTime, [2, 0], 'a delta starts where the last collection ended');
    const value = second[1]?.dataPoints[0]?.value as Histogram;
    assert.deepEqual([value.count, value.sum], [2, 9]);
    assert.equal(
      value.buckets.counts.reduce((a, b) => a + b, 0),
      2,
    );
    assert.deepEqual(cellMetrics(cells, 4_000, delta), [], 'nothing changed, nothing reported');
  });
});
