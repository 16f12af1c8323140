/**
 * The default output: a summary line, then one row per finding with its fix
 * underneath, in columns a terminal shows without wrapping the short fields.
 */
import type { Finding } from './finding.ts';
import type { AuditReport } from './run-audit.ts';

function counts(report: AuditReport): string {
  const { error, warning, info } = report.grade.counts;
  return `${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info`;
}

export function summaryLine(report: AuditReport): string {
  return (
    `grade ${report.grade.letter} (${report.grade.score}/100): ${counts(report)}; ` +
    `${report.families} metrics, ${report.series} series (catalog: ${report.catalog})`
  );
}

export function renderTable(report: AuditReport): string {
  const header: Finding = { area: 'inventory', rule: 'RULE', severity: 'info', metric: 'METRIC', message: 'FINDING', fix: '' };
  const rows = [header, ...report.findings];
  const width = (pick: (f: Finding) => string) => Math.max(...rows.map((f) => pick(f).length));
  const w = {
    severity: Math.max(
      8,
      width((f) => f.severity),
    ),
    area: width((f) => f.area),
    rule: width((f) => f.rule),
    metric: width((f) => f.metric),
  };
  const line = (f: Finding, severity: string, area: string) =>
    `${severity.padEnd(w.severity)}  ${area.padEnd(w.area)}  ${f.rule.padEnd(w.rule)}  ${f.metric.padEnd(w.metric)}  ${f.message}`;
  const out = [`audit of ${report.source}`, summaryLine(report), ''];
  if (report.findings.length === 0) return `${[...out, 'no findings'].join('\n')}\n`;
  out.push(line(header, 'SEVERITY', 'AREA'));
  const indent = ' '.repeat(w.severity + w.area + w.rule + 6);
  for (const f of report.findings) out.push(line(f, f.severity, f.area), `${indent}fix: ${f.fix}`);
  return `${out.join('\n')}\n`;
}
