/**
 * Facts about one parsed family that several rules need: its series (label
 * sets without the bucket and quantile labels), its label names and values.
 */
import type { ExpositionFamily, ExpositionSample } from '../exposition/parse-exposition.ts';

/** Labels that split one series into buckets or quantiles rather than into series. */
export const STRUCTURAL_LABELS: ReadonlySet<string> = new Set(['le', 'quantile']);

/** Labels the OpenTelemetry exporter and SDK add on their own (scope labels, the overflow series). */
export const EXPORTER_LABELS: ReadonlySet<string> = new Set(['otel_scope_name', 'otel_scope_version', 'otel_metric_overflow']);

/**
 * Target labels a scraper attaches (a federating Prometheus, a Collector or a
 * Pushgateway scraped with honor_labels): bounded by the scrape
 * configuration, and not the instrumented code's to declare.
 */
export const TARGET_LABELS: ReadonlySet<string> = new Set(['job', 'instance']);

function seriesLabels(labels: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(labels)
    .filter(([name]) => !STRUCTURAL_LABELS.has(name))
    .toSorted(([a], [b]) => a.localeCompare(b));
}

/** A key equal for the samples of one series (a histogram's buckets, sum and count share it). */
export function seriesKey(sample: ExpositionSample): string {
  return JSON.stringify(seriesLabels(sample.labels));
}

/** The family's series: one per distinct label set, buckets and quantiles counted once. */
export function seriesOf(family: ExpositionFamily): Map<string, ExpositionSample[]> {
  const series = new Map<string, ExpositionSample[]>();
  for (const sample of family.samples) {
    const key = seriesKey(sample);
    const list = series.get(key) ?? [];
    list.push(sample);
    series.set(key, list);
  }
  return series;
}

/** Every label name on the family's samples, except `le` and `quantile`, sorted. */
export function labelNamesOf(family: ExpositionFamily): string[] {
  const names = new Set<string>();
  for (const sample of family.samples) for (const name of Object.keys(sample.labels)) names.add(name);
  return [...names].filter((name) => !STRUCTURAL_LABELS.has(name)).toSorted();
}

/** Each label's distinct values across the family. */
export function labelValuesOf(family: ExpositionFamily): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const sample of family.samples) {
    for (const [name, value] of Object.entries(sample.labels)) {
      if (STRUCTURAL_LABELS.has(name)) continue;
      const set = values.get(name) ?? new Set<string>();
      set.add(value);
      values.set(name, set);
    }
  }
  return values;
}

/** True for types whose samples carry cumulative counts (counters, histogram buckets and counts). */
export function isCountingSample(family: ExpositionFamily, sample: ExpositionSample): boolean {
  if (family.type === 'counter') return !sample.name.endsWith('_created');
  if (family.type === 'histogram' || family.type === 'summary') {
    return sample.name === `${family.name}_count` || sample.name === `${family.name}_bucket`;
  }
  return false;
}
