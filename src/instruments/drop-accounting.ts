/**
 * Counts dropped (or mapped) measurements in the adapter's own metric and
 * logs each instrument-and-reason pair once, so a caller stuck in a loop of
 * bad input fills neither the log nor the heap.
 */
import type { Counter, Meter } from '@opentelemetry/api';
import { DROPPED_MEASUREMENTS } from '../catalog/adapter-metrics.ts';
import type { DropReason } from '../catalog/vocabulary.ts';
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
  readonly #logger: Logger;
  readonly #logged = new Set<string>();

  constructor(meter: Meter, logger: Logger) {
    this.#counter = meter.createCounter(DROPPED_MEASUREMENTS.name, {
      description: DROPPED_MEASUREMENTS.description,
      unit: DROPPED_MEASUREMENTS.unit,
    });
    this.#logger = logger;
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
