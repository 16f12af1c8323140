/**
 * What an audit reports: findings, each from one rule of one area, naming the
 * metric family it is about, what is wrong and how to fix it.
 */

export const AREAS = ['inventory', 'naming', 'cardinality', 'consistency'] as const;
export type Area = (typeof AREAS)[number];

/** From the most to the least severe. `info` never fails a gate unless asked (`--fail-on info`). */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  readonly area: Area;
  /** The rule's id, e.g. `counter-total` (see RULES). */
  readonly rule: string;
  readonly severity: Severity;
  /** The metric family the finding is about (its name as exposed). */
  readonly metric: string;
  readonly message: string;
  readonly fix: string;
}

/** True when `severity` is `gate` or more severe. */
export function atOrAbove(severity: Severity, gate: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(gate);
}

/** Findings in a stable order: area, then severity, metric, rule, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [AREAS.indexOf(f.area), SEVERITIES.indexOf(f.severity)] as const;
  return findings.toSorted((a, b) => {
    const [areaA, sevA] = key(a);
    const [areaB, sevB] = key(b);
    return (
      areaA - areaB || sevA - sevB || a.metric.localeCompare(b.metric) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message)
    );
  });
}
