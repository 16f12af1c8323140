/** The README's metric and label tables, generated from the catalog so the docs cannot drift. */
// The series cap's default lives with the other business-store bounds; the docs must print the value the code uses.
import { DEFAULT_BUSINESS_SERIES_MAX } from '../instruments/business-series-options.ts';
import { prometheusName } from './naming.ts';
import { type InstrumentSpec, isEnumLabel, type LabelSpec, OVERFLOW_LABEL_VALUE } from './types.ts';

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

const count = (n: number) => n.toLocaleString('en');

/**
 * The values an id label can take. Ids are unbounded by nature, but each one
 * the catalog declares is capped by configuration, and a reader sizing
 * Prometheus needs the cap and the setting, not "unbounded". The settings are
 * the ones resolveSeriesBounds() and idCap() read.
 */
function idValues(spec: InstrumentSpec, label: LabelSpec): string {
  if (spec.perBusiness) {
    return `an identifier, capped: ${count(DEFAULT_BUSINESS_SERIES_MAX)} businesses with series by default (\`GENESIS_BUSINESS_SERIES_MAX\` / \`maxBusinessSeries\`), the least recently updated evicted first`;
  }
  if (spec.maxSeries !== undefined && label.key === 'user_id') {
    return `an identifier, capped: ${count(spec.maxSeries)} distinct values by default (\`GENESIS_USER_ID_MAX\` / \`maxUserIds\`), then \`${OVERFLOW_LABEL_VALUE}\``;
  }
  if (spec.maxSeries !== undefined)
    return `an identifier, capped: ${count(spec.maxSeries)} distinct values, then \`${OVERFLOW_LABEL_VALUE}\``;
  return 'an identifier (unbounded)';
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
      const values = isEnumLabel(label) ? label.values.map((v) => `\`${v}\``).join(', ') : idValues(spec, label);
      const row = rows.get(`${label.key}\u0000${values}`) ?? { key: label.key, values, users: [] };
      row.users.push(`\`${prometheusName(spec)}\``);
      rows.set(`${label.key}\u0000${values}`, row);
    }
  }
  const lines = [...rows.values()].map(({ key, values, users }) => `| \`${key}\` | ${values} | ${users.join(', ')} |`);
  return ['| label | values | on |', '|---|---|---|', ...lines].join('\n');
}
