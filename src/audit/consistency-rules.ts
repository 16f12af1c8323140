/**
 * Consistency: values that contradict their type, and an exposition with no
 * sample at all (nothing to audit). Every histogram series has cumulative
 * buckets up to `+Inf`, and a `_count` equal to it (or `histogram_quantile()`
 * answers nonsense); counters never NaN nor negative; no series twice; catalog
 * gauges within their declared range. At most one finding per rule and
 * family, naming the first offending series.
 */

import type { ExpositionFamily, ExpositionSample } from '../exposition/parse-exposition.ts';
import { parseNumber } from '../exposition/parse-exposition.ts';
import { type AuditContext, specOf } from './audit-context.ts';
import { isCountingSample, seriesOf } from './family-facts.ts';
import type { Finding } from './finding.ts';
import { finding } from './rules.ts';

function describe(sample: ExpositionSample): string {
  const labels = Object.entries(sample.labels).map(([k, v]) => `${k}="${v}"`);
  return labels.length > 0 ? `${sample.name}{${labels.join(',')}}` : sample.name;
}

function bound(sample: ExpositionSample): number {
  try {
    return parseNumber(sample.labels.le ?? 'NaN');
  } catch {
    return Number.NaN;
  }
}

/** The inf-bucket finding of one histogram series, if it has no buckets, no `+Inf` bucket, no `_count`, or a `_count` unequal to `+Inf`. */
function infBucketFinding(
  family: ExpositionFamily,
  samples: readonly ExpositionSample[],
  buckets: readonly ExpositionSample[],
): Finding | undefined {
  const count = samples.find((s) => s.name === `${family.name}_count`);
  const last = buckets.at(-1);
  if (last === undefined) {
    // `_sum` and `_count` alone: histogram_quantile() has nothing to read for this series.
    const other = count ?? samples.find((s) => s.name === `${family.name}_sum`);
    return other === undefined
      ? undefined
      : finding(
          'inf-bucket',
          family.name,
          `${describe(other)}: the series has no buckets, so no +Inf bucket`,
          'emit the buckets of every series, up to a `+Inf` bucket equal to `_count`, or declare a summary if it has none',
        );
  }
  if (bound(last) !== Number.POSITIVE_INFINITY) {
    return finding('inf-bucket', family.name, `${describe(buckets[0] as ExpositionSample)}: the series has no +Inf bucket`);
  }
  if (count === undefined) {
    return finding(
      'inf-bucket',
      family.name,
      `${describe(last)}: the series has no _count to match its +Inf bucket`,
      'emit `_count` (equal to the `+Inf` bucket) and `_sum` with every histogram series',
    );
  }
  if (last.value !== count.value)
    return finding('inf-bucket', family.name, `${describe(last)} is ${last.value} but ${describe(count)} is ${count.value}`);
  return undefined;
}

function histogramFindings(family: ExpositionFamily): Finding[] {
  if (family.type !== 'histogram') return [];
  let order: Finding | undefined;
  let inf: Finding | undefined;
  for (const samples of seriesOf(family).values()) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`).toSorted((a, b) => bound(a) - bound(b));
    const drop = buckets.findIndex((b, i) => i > 0 && b.value < (buckets[i - 1]?.value ?? 0));
    if (order === undefined && drop !== -1) {
      order = finding('bucket-order', family.name, `${describe(buckets[drop] as ExpositionSample)} is below the bucket before it`);
    }
    inf ??= infBucketFinding(family, samples, buckets);
  }
  return [order, inf].filter((f) => f !== undefined);
}

function valueFindings(family: ExpositionFamily, context: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const counting = family.samples.filter((s) => isCountingSample(family, s));
  const nan = counting.find((s) => Number.isNaN(s.value));
  if (nan) findings.push(finding('nan-counter', family.name, `${describe(nan)} is NaN`));
  const negative = counting.find((s) => s.value < 0);
  if (negative) findings.push(finding('negative-counter', family.name, `${describe(negative)} is ${negative.value}`));
  const seen = new Set<string>();
  const twice = family.samples.find((s) => {
    const key = `${s.name}${JSON.stringify(Object.entries(s.labels).toSorted(([a], [b]) => a.localeCompare(b)))}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
  if (twice) findings.push(finding('duplicate-series', family.name, `${describe(twice)} appears more than once`));
  const range = family.type === 'gauge' ? specOf(family, context.catalog)?.range : undefined;
  const outside = range && family.samples.find((s) => !(s.value >= range[0] && s.value <= range[1]));
  if (range && outside)
    findings.push(finding('out-of-range', family.name, `${describe(outside)} is ${outside.value}, outside ${range[0]}..${range[1]}`));
  return findings;
}

/** What an empty exposition's finding is about: no metric family, the exposition as a whole. */
export const WHOLE_EXPOSITION = '(exposition)';

/** An endpoint that answers 200 with nothing must not pass the gate: every other rule is silent on it. */
function emptyFindings(families: readonly ExpositionFamily[]): Finding[] {
  if (families.some((family) => family.samples.length > 0)) return [];
  const message =
    families.length === 0
      ? 'the exposition is empty: no metric, no sample'
      : `the exposition has no sample: ${families.length} metric${families.length === 1 ? '' : 's'} with HELP or TYPE lines only`;
  return [finding('empty-exposition', WHOLE_EXPOSITION, message)];
}

export function consistencyFindings(families: readonly ExpositionFamily[], context: AuditContext): Finding[] {
  return [...emptyFindings(families), ...families.flatMap((family) => [...histogramFindings(family), ...valueFindings(family, context)])];
}
