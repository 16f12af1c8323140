/**
 * The hot state of one series, kept in the adapter and read only at
 * collection time: recording is an addition or a bucket search on a cell the
 * series resolved once, never an attributes hash.
 */

interface CellLabels {
  /** The attributes the series is reported with: built once, in catalog label order. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A counter total or a gauge's last value. */
export interface ValueCell extends CellLabels {
  value: number;
}

/** An explicit-bucket histogram: counts per bucket (the last one is +Inf), sum, count, min, max. */
export interface HistogramCell extends CellLabels {
  readonly counts: Float64Array;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export type SeriesCell = ValueCell | HistogramCell;

export function newHistogramCell(attributes: Readonly<Record<string, string>>, boundaries: readonly number[]): HistogramCell {
  return { attributes, counts: new Float64Array(boundaries.length + 1), sum: 0, count: 0, min: Infinity, max: -Infinity };
}

/** Adds one observation. Bucket i holds values in (boundaries[i-1], boundaries[i]], as OpenTelemetry and Prometheus count them. */
export function observeHistogram(cell: HistogramCell, boundaries: readonly number[], value: number): void {
  let i = 0;
  const last = boundaries.length;
  while (i < last && value > (boundaries[i] as number)) i++;
  cell.counts[i] = (cell.counts[i] as number) + 1;
  cell.sum += value;
  cell.count++;
  if (value < cell.min) cell.min = value;
  if (value > cell.max) cell.max = value;
}
