/**
 * The default output: a summary line, one row per finding with its fix
 * underneath, then the metrics with the most series and their labels' values
 * (the cardinality a reviewer reads first), in columns a terminal shows
 * without wrapping the short fields.
 */
import { largestMetrics, valuesPerLabel } from './largest-metrics.ts';
import type { AuditReport } from './run-audit.ts';

const GAP = '  ';

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

/** Each column as wide as its widest cell. */
function columnWidths(rows: readonly (readonly string[])[]): number[] {
  return (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
}

/** One row with its cells padded to the widths; the last cell is not padded, so no line ends in spaces. */
function alignRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join(GAP);
}

function findingLines(report: AuditReport): string[] {
  if (report.findings.length === 0) return ['no findings'];
  const header = ['SEVERITY', 'AREA', 'RULE', 'METRIC', 'FINDING'];
  const rows = report.findings.map((f) => [f.severity, f.area, f.rule, f.metric, f.message]);
  const widths = columnWidths([header, ...rows]);
  // The fix goes under the metric: the severity, area and rule columns stay free for the eye to scan.
  const indent = ' '.repeat(widths.slice(0, 3).reduce((sum, w) => sum + w + GAP.length, 0));
  const lines = [alignRow(header, widths)];
  for (const [i, f] of report.findings.entries()) lines.push(alignRow(rows[i] ?? [], widths), `${indent}fix: ${f.fix}`);
  return lines;
}

function cardinalityLines(report: AuditReport): string[] {
  const largest = largestMetrics(report);
  if (largest.length === 0) return [];
  const header = ['METRIC', 'TYPE', 'SERIES', 'BUDGET', 'VALUES PER LABEL'];
  const rows = largest.map((c) => [c.metric, c.type, String(c.series), String(c.budget), valuesPerLabel(c)]);
  const widths = columnWidths([header, ...rows]);
  return ['', `series per metric (the ${largest.length} largest)`, ...[header, ...rows].map((row) => alignRow(row, widths))];
}

export function renderTable(report: AuditReport): string {
  const lines = [`audit of ${report.source}`, summaryLine(report), '', ...findingLines(report), ...cardinalityLines(report)];
  return `${lines.join('\n')}\n`;
}
