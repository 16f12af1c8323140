/**
 * `--markdown`: a report a person attaches to a review. The overall grade,
 * a grade per area (a dash for the inventory without a catalog), each area's
 * findings with the metric, the rule and the fix, and the metrics with the
 * most series.
 */
import { AREAS, type Area } from './finding.ts';
import { largestMetrics, valuesPerLabel } from './largest-metrics.ts';
import type { AuditReport } from './run-audit.ts';

/** Markdown table cells: a pipe would end the cell, a newline the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

/** False for the inventory with `--catalog none`: its rules check the exposition against the catalog, so none ran. */
function audited(report: AuditReport, area: Area): boolean {
  return area !== 'inventory' || report.catalog !== 'none';
}

export function renderMarkdown(report: AuditReport): string {
  const { grade } = report;
  const out = [
    `# Metrics audit: ${cell(report.source)}`,
    '',
    `**Grade ${grade.letter}** (${grade.score}/100) · ${grade.counts.error} errors · ${grade.counts.warning} warnings · ` +
      `${grade.counts.info} info · ${report.families} metrics · ${report.series} series · catalog: ${report.catalog}`,
    '',
    '| area | grade | errors | warnings | info |',
    '|---|---|---|---|---|',
    ...AREAS.map((area) => {
      // Without a catalog the inventory rules do not run: a grade there would claim a check that never happened.
      if (!audited(report, area)) return `| ${area} | — | — | — | — |`;
      const g = report.areas[area];
      return `| ${area} | ${g.letter} (${g.score}) | ${g.counts.error} | ${g.counts.warning} | ${g.counts.info} |`;
    }),
  ];
  for (const area of AREAS) {
    const findings = report.findings.filter((f) => f.area === area);
    out.push('', `## ${area[0]?.toUpperCase()}${area.slice(1)}`, '');
    if (findings.length === 0) {
      out.push(audited(report, area) ? 'No findings.' : 'Not audited: no catalog (`--catalog none`).');
      continue;
    }
    out.push('| severity | rule | metric | finding | fix |', '|---|---|---|---|---|');
    for (const f of findings) {
      out.push(`| ${f.severity} | ${code(f.rule)} | ${code(f.metric)} | ${cell(f.message)} | ${cell(f.fix)} |`);
    }
  }
  const largest = largestMetrics(report);
  out.push('', `### Series per metric (the ${largest.length} largest)`, '');
  out.push('| metric | type | series | budget | values per label |', '|---|---|---|---|---|');
  for (const c of largest) {
    out.push(`| ${code(c.metric)} | ${c.type} | ${c.series} | ${c.budget} | ${cell(valuesPerLabel(c))} |`);
  }
  return `${out.join('\n')}\n`;
}
