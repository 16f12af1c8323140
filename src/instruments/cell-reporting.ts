/**
 * How the cells of one catalog instrument reach OpenTelemetry. When a
 * producer collects the registry, it reports every cell (see cell-registry.ts)
 * and nothing is made on the Meter. Otherwise, through the API only: counters
 * and gauges as observable instruments whose callback reads the cells at
 * collection time, histograms into the Meter's own synchronous histogram with
 * the series' attributes built once.
 */
import type { Meter, Observable } from '@opentelemetry/api';
import type { InstrumentSpec } from '../catalog/types.ts';
import type { CellRegistry } from './cell-registry.ts';
import { type HistogramCell, newHistogramCell, observeHistogram, type SeriesCell, type ValueCell } from './series-cells.ts';

export interface CellReporting {
  /** Makes the cell of a new series. */
  newCell(attributes: Readonly<Record<string, string>>): SeriesCell;
  /** Applies one validated measurement to a cell. */
  update(cell: SeriesCell, value: number): void;
}

const newValueCell = (attributes: Readonly<Record<string, string>>): ValueCell => ({ attributes, value: 0 });
const add = (cell: SeriesCell, value: number) => {
  (cell as ValueCell).value += value;
};
const set = (cell: SeriesCell, value: number) => {
  (cell as ValueCell).value = value;
};

/** Reports every cell's value at each collection. */
function observeCells(observable: Observable, series: ReadonlyMap<string, SeriesCell>): void {
  try {
    observable.addCallback((result) => {
      for (const cell of series.values()) result.observe((cell as ValueCell).value, cell.attributes);
    });
  } catch {
    // A foreign Meter may hand back something unusable: recording must still not throw.
  }
}

export function reportCells(
  meter: Meter,
  spec: InstrumentSpec,
  series: ReadonlyMap<string, SeriesCell>,
  registry: CellRegistry | undefined,
): CellReporting {
  const boundaries = [...(spec.buckets ?? [])];
  const observe = (cell: SeriesCell, value: number) => observeHistogram(cell as HistogramCell, boundaries, value);
  if (registry?.collected === true) {
    registry.register({ spec, boundaries, series, startTimeMs: Date.now() });
    if (spec.kind === 'histogram') return { newCell: (attributes) => newHistogramCell(attributes, boundaries), update: observe };
    return { newCell: newValueCell, update: spec.kind === 'counter' ? add : set };
  }
  const options = { description: spec.description, unit: spec.unit };
  switch (spec.kind) {
    case 'counter':
      observeCells(meter.createObservableCounter(spec.name, options), series);
      return { newCell: newValueCell, update: add };
    case 'gauge':
      observeCells(meter.createObservableGauge(spec.name, options), series);
      return { newCell: newValueCell, update: set };
    case 'histogram': {
      // Advice carries the buckets to any SDK, also one the application runs itself.
      const histogram = meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: boundaries } });
      return {
        newCell: newValueCell,
        update: (cell, value) => {
          try {
            histogram.record(value, cell.attributes);
          } catch {
            // A foreign Meter implementation may throw; the caller's hot path must not see it.
          }
        },
      };
    }
  }
}
