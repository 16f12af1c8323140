/**
 * Checks that a catalog can be served safely: valid, unique Prometheus names,
 * label keys that can never collide or clash with names Prometheus or the
 * exporter reserve, ascending buckets. Returns problems instead of throwing so
 * a test can list them all at once.
 */
import { isValidLabelName, isValidMetricName, otlpPrometheusName, prometheusName, sanitizeName } from './naming.ts';
import { type InstrumentSpec, isEnumLabel, OTHER_LABEL_VALUE } from './types.ts';

const RESERVED_LABELS = new Set(['le', 'quantile', 'job', 'instance', 'otel_scope_name', 'otel_scope_version']);
// `_count` is left out on purpose: `genesis_meta_agent_task_count` is a name
// users already query. Its samples are `..._task_count_count`, which is legal.
const RESERVED_SUFFIXES = ['_bucket', '_sum', '_total', '_created', '_info'];

export function validateCatalog(specs: readonly InstrumentSpec[]): string[] {
  const problems: string[] = [];
  const families = new Set<string>();
  for (const spec of specs) problems.push(...validateSpec(spec, families));
  return problems;
}

function validateSpec(spec: InstrumentSpec, families: Set<string>): string[] {
  const problems: string[] = [];
  const say = (message: string) => problems.push(`${spec.name}: ${message}`);
  if (!isValidMetricName(spec.name) || spec.name !== sanitizeName(spec.name) || /[A-Z]/.test(spec.name)) {
    say('the name must be snake_case letters, digits and underscores');
  }
  const family = prometheusName(spec);
  if (families.has(family)) say(`two instruments are both served as ${family}`);
  families.add(family);
  if (spec.kind === 'counter' && spec.name.endsWith('_total')) say('a counter name must not end in _total: the exporter appends it');
  if (spec.kind !== 'counter' && RESERVED_SUFFIXES.some((suffix) => spec.name.endsWith(suffix))) {
    say('the name ends in a suffix Prometheus reserves');
  }
  if (otlpPrometheusName(spec) !== family) {
    say(`unit "${spec.unit}" renames it to ${otlpPrometheusName(spec)} through OTLP; use an annotation unit such as {thing}`);
  }
  if (spec.description.trim().length < 10) say('the description (HELP) must say what it measures');
  problems.push(...validateLabels(spec));
  if (spec.kind === 'histogram') {
    const buckets = spec.buckets ?? [];
    if (buckets.length === 0) say('a histogram needs buckets');
    if (buckets.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= (buckets[i - 1] ?? 0)))) {
      say('buckets must be finite and strictly ascending');
    }
  } else if (spec.buckets !== undefined) {
    say('only histograms take buckets');
  }
  return problems;
}

function validateLabels(spec: InstrumentSpec): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const label of spec.labels) {
    const say = (message: string) => problems.push(`${spec.name}: label ${label.key}: ${message}`);
    if (!isValidLabelName(label.key) || /[A-Z]/.test(label.key)) say('must be a snake_case label name');
    if (RESERVED_LABELS.has(label.key)) say('is reserved by Prometheus or the exporter');
    // Keys are compared after sanitising, the way the exporter will write them.
    if (seen.has(sanitizeName(label.key))) say('appears twice');
    seen.add(sanitizeName(label.key));
    if (isEnumLabel(label)) {
      if (label.values.length === 0) say('an enum label needs values');
      if (new Set(label.values).size !== label.values.length) say('has duplicate values');
      if (label.values.includes(OTHER_LABEL_VALUE)) say(`"${OTHER_LABEL_VALUE}" is implied and must not be listed`);
    }
  }
  return problems;
}
