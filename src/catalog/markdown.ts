/** The README's metric and label tables, generated from the catalog so the docs cannot drift. */
import { prometheusName } from './naming.ts';
import { type InstrumentSpec, isEnumLabel } from './types.ts';

function describeShape(spec: InstrumentSpec): string {
  const parts = [`\`${spec.unit}\``];
  if (spec.buckets) parts.push(`buckets ${spec.buckets.join(', ')}`);
  if (spec.range) parts.push(`range ${spec.range[0]}..${spec.range[1] === Number.MAX_SAFE_INTEGER ? '∞' : spec.range[1]}`);
  return parts.join('; ');
}

/** A Markdown table of the given instruments as Prometheus scrapes them. */
export function metricTable(specs: readonly InstrumentSpec[]): string {
  const rows = specs.map((spec) => {
    const labels = spec.labels.length === 0 ? '(none)' : spec.labels.map((label) => `\`${label.key}\``).join(', ');
    return `| \`${prometheusName(spec)}\` | ${spec.kind} | ${labels} | ${describeShape(spec)} | ${spec.description} |`;
  });
  return ['| metric | type | labels | unit | help |', '|---|---|---|---|---|', ...rows].join('\n');
}

/**
 * A Markdown table of the label keys the instruments use, with their allowed
 * values. A key whose values differ between instruments (`status`) gets a row
 * per distinct set, naming the instruments.
 */
export function labelTable(specs: readonly InstrumentSpec[]): string {
  const rows = new Map<string, { key: string; values: string; users: string[] }>();
  for (const spec of specs) {
    for (const label of spec.labels) {
      const values = isEnumLabel(label) ? label.values.map((v) => `\`${v}\``).join(', ') : 'an identifier (unbounded)';
      const row = rows.get(`${label.key}\u0000${values}`) ?? { key: label.key, values, users: [] };
      row.users.push(`\`${prometheusName(spec)}\``);
      rows.set(`${label.key}\u0000${values}`, row);
    }
  }
  const lines = [...rows.values()].map(({ key, values, users }) => `| \`${key}\` | ${values} | ${users.join(', ')} |`);
  return ['| label | values | on |', '|---|---|---|', ...lines].join('\n');
}
