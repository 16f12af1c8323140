/**
 * Counts dropped (or mapped) measurements, and measurements sent to an overflow
 * series, in the adapter's own metrics, and
 * logs each instrument-and-reason pair once, so a caller stuck in a loop of
 * bad input fills neither the log nor the heap.
 */
import type { Counter, Meter } from '@opentelemetry/api';
import { DROPPED_MEASUREMENTS, SERIES_OVERFLOWS } from '../catalog/adapter-metrics.ts';
import { OTHER_LABEL_VALUE } from '../catalog/types.ts';
import type { DropReason } from '../catalog/vocabulary.ts';

const KNOWN_INSTRUMENTS: ReadonlySet<string> = new Set(SERIES_OVERFLOWS.labels[0].values);

import type { Logger } from '../logging/logger.ts';

const EXPLANATION: Readonly<Record<DropReason, string>> = {
  not_a_number: 'the value is not a number; the measurement was dropped',
  not_finite: 'the value is NaN or infinite; the measurement was dropped',
  negative: 'the value is negative, which this instrument cannot take; the measurement was dropped',
  out_of_range: 'the value is outside the range the catalog declares; the measurement was dropped',
  missing_label: 'a label the catalog declares is missing or empty; the measurement was dropped',
  invalid_label_value: 'a label value is not a string or is too long; the measurement was dropped',
  unknown_label_value: 'a label value is outside the documented set; it was recorded as "other"',
};

export class DropAccounting {
  readonly #counter: Counter;
  readonly #overflows: Counter;
  readonly #logger: Logger;
  readonly #logged = new Set<string>();

  constructor(meter: Meter, logger: Logger) {
    this.#counter = meter.createCounter(DROPPED_MEASUREMENTS.name, {
      description: DROPPED_MEASUREMENTS.description,
      unit: DROPPED_MEASUREMENTS.unit,
    });
    this.#overflows = meter.createCounter(SERIES_OVERFLOWS.name, {
      description: SERIES_OVERFLOWS.description,
      unit: SERIES_OVERFLOWS.unit,
    });
    this.#logger = logger;
  }

  /**
   * A measurement went to an overflow series because `instrument` holds `limit`
   * series already; `where` names that series, e.g. `user_id="__overflow__"`.
   */
  overflowed(instrument: string, limit: number, where: string): void {
    this.#overflows.add(1, { instrument: KNOWN_INSTRUMENTS.has(instrument) ? instrument : OTHER_LABEL_VALUE });
    const key = `${instrument}\u0000overflow`;
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    this.#logger.warn(
      `${instrument}: reached its limit of ${limit} series; new label values are recorded under ${where} and counted in ${SERIES_OVERFLOWS.name}_total.`,
    );
  }

  count(instrument: string, reason: DropReason, detail: string): void {
    this.#counter.add(1, { instrument, reason });
    const key = `${instrument}\u0000${reason}`;
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    this.#logger.warn(
      `${instrument}: ${EXPLANATION[reason]} (${detail}). Further cases are counted in ${DROPPED_MEASUREMENTS.name}_total, not logged.`,
    );
  }
}
