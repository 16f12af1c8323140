/** The ids an id-capped instrument has let in so far. */
import { OVERFLOW_LABEL_VALUE } from '../catalog/types.ts';
import type { SeriesCell } from './series-cells.ts';

/** What the id cap needs of the ids seen: a Set, or the series map of a one-id-label instrument. */
export interface SeenIds {
  has(id: string): boolean;
  add(id: string): void;
  readonly size: number;
}

export function idsOf(series: Map<string, SeriesCell>): SeenIds {
  return {
    has: (id) => id !== OVERFLOW_LABEL_VALUE && series.has(id),
    // The series is entered by #cell() right after the cap lets the id in.
    add: () => {},
    get size() {
      return series.size - (series.has(OVERFLOW_LABEL_VALUE) ? 1 : 0);
    },
  };
}
