/**
 * How the cells of one catalog instrument reach OpenTelemetry, through the
 * API only: counters and gauges as observable instruments whose callback
 * reads the cells at collection time; histograms through the producer's
 * registry when a producer collects them, else into the Meter's own
 * (synchronous) histogram with the series' attributes built once.
 */
import type { Meter, Observable } from '@opentelemetry/api';
import type { InstrumentSpec } from '../catalog/types.ts';
import type { HistogramRegistry } from './histogram-registry.ts';
import { type HistogramCell, newHistogramCell, observeHistogram, type SeriesCell, type ValueCell } from './series-cells.ts';

export interface CellReporting {
  /** Makes the cell of a new series. */
  newCell(attributes: Readonly<Record<string, string>>): SeriesCell;
  /** Applies one validated measurement to a cell. */
  update(cell: SeriesCell, value: number): void;
}

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
  histograms: HistogramRegistry | undefined,
): CellReporting {
  const options = { description: spec.description, unit: spec.unit };
  const newValueCell = (attributes: Readonly<Record<string, string>>): ValueCell => ({ attributes, value: 0 });
  switch (spec.kind) {
    case 'counter': {
      observeCells(meter.createObservableCounter(spec.name, options), series);
      return { newCell: newValueCell, update: (cell, value) => ((cell as ValueCell).value += value) };
    }
    case 'gauge': {
      observeCells(meter.createObservableGauge(spec.name, options), series);
      return { newCell: newValueCell, update: (cell, value) => ((cell as ValueCell).value = value) };
    }
    case 'histogram': {
      const boundaries = [...(spec.buckets ?? [])];
      if (histograms?.collected === true) {
        histograms.register({ spec, boundaries, series: series as ReadonlyMap<string, HistogramCell>, startTimeMs: Date.now() });
        return {
          newCell: (attributes) => newHistogramCell(attributes, boundaries),
          update: (cell, value) => observeHistogram(cell as HistogramCell, boundaries, value),
        };
      }
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
