/**
 * The series the adapter keeps itself, shared with the metric producer that
 * reports them and with the endpoint that renders them. The OpenTelemetry API
 * has no observable histogram, and observable counters cost an attributes
 * hash per series per collection, so a producer is the fastest way out; but
 * only an SDK takes producers. So the cells are reported by a producer only
 * when one collects them (`collected` is set when one is created for the store
 * that owns this registry); otherwise counters and gauges go out as
 * observable instruments and histograms through the Meter's own histogram.
 */
import type { InstrumentSpec } from '../catalog/types.ts';
import type { SeriesCell } from './series-cells.ts';

export interface CellFamily {
  readonly spec: InstrumentSpec;
  /** The catalog's bucket boundaries (histograms), else empty. */
  readonly boundaries: readonly number[];
  /** Resolved label values -> cell. */
  readonly series: ReadonlyMap<string, SeriesCell>;
  /** When the instrument was made (ms since the epoch): the start of every cumulative point. */
  readonly startTimeMs: number;
}

export class CellRegistry {
  /** Set by the producer that reports these families; read when the instruments are made. */
  collected = false;
  readonly #families = new Map<string, CellFamily>();

  /** Registers an instrument's series; a later registration under the same name replaces it. */
  register(family: CellFamily): void {
    this.#families.set(family.spec.name, family);
  }

  families(): IterableIterator<CellFamily> {
    return this.#families.values();
  }
}
