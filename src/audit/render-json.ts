/** `--json`: the whole report for machines, stable keys, findings in a stable order. */
import type { AuditReport } from './run-audit.ts';

export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
