/**
 * Consistency: values that contradict their type. Histogram buckets must be
 * cumulative with `+Inf` equal to `_count` (or `histogram_quantile()` answers
 * nonsense); counters never NaN nor negative; no series twice; catalog gauges
 * within their declared range. At most one finding per rule and family, naming
 * the first offending series.
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

function histogramFindings(family: ExpositionFamily): Finding[] {
  if (family.type !== 'histogram') return [];
  let order: Finding | undefined;
  let inf: Finding | undefined;
  for (const samples of seriesOf(family).values()) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`).toSorted((a, b) => bound(a) - bound(b));
    if (buckets.length === 0) continue;
    const drop = buckets.findIndex((b, i) => i > 0 && b.value < (buckets[i - 1]?.value ?? 0));
    if (order === undefined && drop !== -1) {
      order = finding('bucket-order', family.name, `${describe(buckets[drop] as ExpositionSample)} is below the bucket before it`);
    }
    const last = buckets.at(-1);
    const count = samples.find((s) => s.name === `${family.name}_count`);
    if (inf === undefined && (last === undefined || bound(last) !== Number.POSITIVE_INFINITY)) {
      inf = finding('inf-bucket', family.name, `${describe(buckets[0] as ExpositionSample)}: the series has no +Inf bucket`);
    } else if (inf === undefined && count !== undefined && last !== undefined && last.value !== count.value) {
      inf = finding('inf-bucket', family.name, `${describe(last)} is ${last.value} but ${describe(count)} is ${count.value}`);
    }
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

export function consistencyFindings(families: readonly ExpositionFamily[], context: AuditContext): Finding[] {
  return families.flatMap((family) => [...histogramFindings(family), ...valueFindings(family, context)]);
}
