/**
 * One audit: parse the exposition, run every area's rules, grade, and measure
 * the cardinality for the report. Pure: text and options in, a report out.
 */
import { type ExpositionFamily, formatOf, parseExposition } from '../exposition/parse-exposition.ts';
import { type AuditContext, budgetOf } from './audit-context.ts';
import { cardinalityFindings } from './cardinality-rules.ts';
import { consistencyFindings } from './consistency-rules.ts';
import { labelValuesOf, seriesOf } from './family-facts.ts';
import { type Area, type Finding, sortFindings } from './finding.ts';
import { type Grade, grade, gradeByArea } from './grade.ts';
import { inventoryFindings } from './inventory-rules.ts';
import { namingFindings } from './naming-rules.ts';

export interface MetricCardinality {
  readonly metric: string;
  readonly type: string;
  readonly series: number;
  readonly budget: number;
  /** Distinct values per label, most first. */
  readonly labels: readonly { readonly name: string; readonly values: number }[];
}

export interface AuditReport {
  /** Where the exposition came from: a URL, a file, or `-` (stdin). */
  readonly source: string;
  readonly catalog: 'genesis' | 'none';
  readonly families: number;
  readonly series: number;
  readonly samples: number;
  readonly grade: Grade;
  readonly areas: Readonly<Record<Area, Grade>>;
  readonly findings: readonly Finding[];
  /** Every family, most series first. */
  readonly cardinality: readonly MetricCardinality[];
}

function measure(family: ExpositionFamily, context: AuditContext): MetricCardinality {
  const labels = [...labelValuesOf(family)].map(([name, values]) => ({ name, values: values.size }));
  return {
    metric: family.name,
    type: family.type,
    series: seriesOf(family).size,
    budget: budgetOf(family, context),
    labels: labels.toSorted((a, b) => b.values - a.values || a.name.localeCompare(b.name)),
  };
}

export function auditFamilies(source: string, families: readonly ExpositionFamily[], context: AuditContext): AuditReport {
  const findings = sortFindings([
    ...inventoryFindings(families, context),
    ...namingFindings(families, context),
    ...cardinalityFindings(families, context),
    ...consistencyFindings(families, context),
  ]);
  const cardinality = families.map((f) => measure(f, context)).toSorted((a, b) => b.series - a.series || a.metric.localeCompare(b.metric));
  return {
    source,
    catalog: context.catalog === undefined ? 'none' : 'genesis',
    families: families.length,
    series: cardinality.reduce((sum, c) => sum + c.series, 0),
    samples: families.reduce((sum, f) => sum + f.samples.length, 0),
    grade: grade(findings),
    areas: gradeByArea(findings),
    findings,
    cardinality,
  };
}

/** Audits exposition text. Throws ExpositionParseError (with the line) on input that is no exposition. */
export function auditExposition(source: string, text: string, context: AuditContext): AuditReport {
  // Repeated labels are reported as findings, not thrown: the audit must say which metric has them.
  const format = context.format ?? formatOf(text);
  const families = parseExposition(text, { duplicateLabels: 'report', format });
  return auditFamilies(source, families, { ...context, format });
}
