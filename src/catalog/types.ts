/**
 * The shape of the catalog: every instrument declared once, as data.
 *
 * This module imports nothing at run time, so the catalog can be read by the
 * instruments, the pipeline's views, the docs generator and the audits alike.
 */

/**
 * How an instrument aggregates. `counter` is a monotonic sum (Prometheus adds
 * `_total`), `histogram` an explicit-bucket histogram, `gauge` a last value.
 */
export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

/** A label whose values form a documented, bounded set. */
export interface EnumLabelSpec {
  readonly key: string;
  readonly description: string;
  /** The allowed values; anything else is recorded as {@link OTHER_LABEL_VALUE}. */
  readonly values: readonly string[];
}

/** A label that carries an identifier (a business or user id): unbounded by nature. */
export interface IdLabelSpec {
  readonly key: string;
  readonly description: string;
  readonly values: 'id';
}

export type LabelSpec = EnumLabelSpec | IdLabelSpec;

export interface InstrumentSpec {
  /**
   * The OpenTelemetry instrument name. For counters it does NOT end in
   * `_total`: the Prometheus exporter appends it. Base-unit suffixes such as
   * `_seconds` are part of the name, because the exporter never appends units.
   */
  readonly name: string;
  readonly kind: InstrumentKind;
  /**
   * The UCUM unit. `s` for durations; an annotation such as `{business}` where
   * the Prometheus name must not change when a receiver appends unit suffixes.
   */
  readonly unit: string;
  /** The HELP text. */
  readonly description: string;
  readonly labels: readonly LabelSpec[];
  /** Explicit bucket upper bounds, ascending (histograms only). */
  readonly buckets?: readonly number[];
  /** The inclusive range a gauge value must fall in, e.g. [0, 1] for ratios. */
  readonly range?: readonly [min: number, max: number];
  /**
   * For an instrument with an id label: the most distinct ids it keeps; later
   * ids are recorded under {@link OVERFLOW_LABEL_VALUE}. Overridable by options.
   */
  readonly maxSeries?: number;
  /**
   * One series per live business, served from the adapter's bounded business
   * store (expiry, takedown, a cap) by a MetricProducer, not by an SDK
   * instrument: the SDK cannot forget a series.
   */
  readonly perBusiness?: true;
}

/** The value an enum label takes when the caller passes a value outside its set. */
export const OTHER_LABEL_VALUE = 'other';

/** The value an id label takes once its instrument has seen `maxSeries` distinct ids. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

export function isEnumLabel(label: LabelSpec): label is EnumLabelSpec {
  return label.values !== 'id';
}
