/**
 * Prometheus naming of catalog instruments, as pure functions.
 *
 * Two translations matter: the OpenTelemetry Prometheus exporter's (what
 * `/metrics` shows) and Prometheus' own OTLP translation with unit suffixes
 * (what a collector or an OTLP-receiving store shows). The catalog chooses
 * names and units so that both give the same name; a test holds it to that.
 */
import type { InstrumentSpec } from './types.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/** Replaces every character Prometheus does not allow in a name with `_`, as the exporter does. */
export function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_');
}

/** The metric family name the OpenTelemetry Prometheus exporter serves for this instrument. */
export function prometheusName(spec: Pick<InstrumentSpec, 'name' | 'kind'>): string {
  const name = sanitizeName(spec.name);
  if (spec.kind === 'counter' && !name.endsWith('_total')) return `${name}_total`;
  return name;
}

/** The sample names one family produces: a histogram's `_bucket`, `_sum` and `_count`. */
export function prometheusSampleNames(spec: Pick<InstrumentSpec, 'name' | 'kind'>): string[] {
  const family = prometheusName(spec);
  if (spec.kind === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  return [family];
}

/** UCUM units that Prometheus' OTLP translation spells out as a suffix. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  '%': 'percent',
  Cel: 'celsius',
  Hz: 'hertz',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  m: 'meters',
};

/** The units after a slash are spelled in the singular: `By/s` is `bytes_per_second`. */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

export function unitSuffix(unit: string): string {
  // Annotations in braces ({business}) carry no unit and are dropped.
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '' || bare === '1') return '';
  const [main = '', per] = bare.split('/');
  const word = UNIT_WORDS[main] ?? sanitizeName(main);
  return per === undefined ? word : `${word}_per_${PER_UNIT_WORDS[per] ?? sanitizeName(per)}`;
}

/**
 * The name Prometheus' OTLP translation gives this instrument when it adds
 * suffixes (the collector's Prometheus exporters, remote write, and stores with
 * Prometheus naming): the unit word unless the name already holds it, `_ratio`
 * for a gauge of unit `1`, and `_total` on counters exactly once.
 */
export function otlpPrometheusName(spec: Pick<InstrumentSpec, 'name' | 'kind' | 'unit'>): string {
  const tokens = sanitizeName(spec.name)
    .split('_')
    .filter((token) => token !== '');
  const suffix = unitSuffix(spec.unit);
  if (suffix !== '' && !tokens.join('_').endsWith(suffix)) tokens.push(...suffix.split('_'));
  if (spec.kind === 'gauge' && spec.unit === '1' && tokens.at(-1) !== 'ratio') tokens.push('ratio');
  if (spec.kind === 'counter') {
    const withoutTotal = tokens.filter((token) => token !== 'total');
    return [...withoutTotal, 'total'].join('_');
  }
  return tokens.join('_');
}
