/**
 * The histogram series the adapter keeps itself, shared with the metric
 * producer that reports them. The OpenTelemetry API has no observable
 * histogram, so a histogram is kept here only when a producer collects it
 * (`collected` is set when one is created for the store that owns this
 * registry); otherwise the adapter records into the Meter's own histogram.
 */
import type { InstrumentSpec } from '../catalog/types.ts';
import type { HistogramCell } from './series-cells.ts';

export interface HistogramFamily {
  readonly spec: InstrumentSpec;
  readonly boundaries: readonly number[];
  /** Resolved label values -> cell. */
  readonly series: ReadonlyMap<string, HistogramCell>;
  /** When the instrument was made (ms since the epoch): the start of every cumulative point. */
  readonly startTimeMs: number;
}

export class HistogramRegistry {
  /** Set by the producer that reports these families; read when the instruments are made. */
  collected = false;
  readonly #families = new Map<string, HistogramFamily>();

  /** Registers an instrument's series; a later registration under the same name replaces it. */
  register(family: HistogramFamily): void {
    this.#families.set(family.spec.name, family);
  }

  families(): IterableIterator<HistogramFamily> {
    return this.#families.values();
  }
}
