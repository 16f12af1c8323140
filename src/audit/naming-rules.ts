/**
 * Naming: the Prometheus naming conventions, per family. A superset of what
 * `promtool check metrics` lints (a test holds the audit to that), plus HELP
 * placeholders, unit suffixes, namespaces and reserved or repeated labels.
 *
 * The reserved suffixes are judged on the family, not on the words of a name:
 * the catalog's `genesis_meta_agent_task_count` is a histogram, whose samples
 * are `..._task_count_count`, `..._task_count_sum` and `..._task_count_bucket`.
 * That is legal (the samples of a histogram end in `_count`), and users already
 * query the name, so only a non-histogram, non-summary `_count` is flagged.
 */
import { unitSuffix } from '../catalog/naming.ts';
import type { ExpositionFamily } from '../exposition/parse-exposition.ts';
import { type AuditContext, specOf } from './audit-context.ts';
import { labelNamesOf } from './family-facts.ts';
import type { Finding } from './finding.ts';
import { finding } from './rules.ts';
import { nonBaseUnit, UNIT_ABBREVIATIONS } from './units.ts';

// `description missing` is what the OpenTelemetry JS exporter writes for an instrument created without one.
const PLACEHOLDER_HELP = /^(todo|tbd|fixme|xxx|help|description|desc|description missing|metric|none|null|n\/?a|-+|\.+|\?+)$/i;

/** Promtool and the naming guide exempt untyped metrics from the type-specific rules: their type is unknown. */
function typed(family: ExpositionFamily): boolean {
  return family.type !== 'untyped' && family.type !== 'unknown';
}

/** Every word of the name, lower-cased. */
function wordsOf(name: string): string[] {
  return name.toLowerCase().split('_').filter(Boolean);
}

/**
 * The words after the first (the namespace). Promtool matches abbreviations
 * and type words only after an underscore, so a namespace such as `ms` or
 * `gauge` is never one; units it matches in every word (`kilobytes_free`).
 */
function wordsAfterNamespace(name: string): string[] {
  return wordsOf(name).slice(1);
}

/** `_bucket` belongs to histograms, `_count` and `_sum` to histograms and summaries. */
function misusedSuffix(family: ExpositionFamily): string | undefined {
  if (!typed(family)) return undefined;
  const histogram = family.type === 'histogram' || family.type === 'gaugehistogram';
  if (!histogram && family.name.endsWith('_bucket')) return '_bucket';
  if (histogram || family.type === 'summary') return undefined;
  return ['_count', '_sum'].find((suffix) => family.name.endsWith(suffix));
}

function suffixFindings(family: ExpositionFamily): Finding[] {
  const { name, type } = family;
  const findings: Finding[] = [];
  if (type === 'counter') {
    const sampleNames = family.samples.map((s) => s.name).filter((n) => !n.endsWith('_created'));
    if ((sampleNames.length > 0 ? sampleNames : [name]).some((n) => !n.endsWith('_total'))) {
      findings.push(finding('counter-total', name, 'a counter whose samples do not end in _total'));
    }
  } else if (typed(family) && name.endsWith('_total')) {
    findings.push(finding('total-suffix', name, `a ${type} whose name ends in _total`));
  }
  const reserved = misusedSuffix(family);
  if (reserved !== undefined) findings.push(finding('reserved-suffix', name, `a ${type} whose name ends in ${reserved}`));
  return findings;
}

function wordFindings(family: ExpositionFamily, context: AuditContext): Finding[] {
  const { name } = family;
  const findings: Finding[] = [];
  const nameWords = wordsAfterNamespace(name);
  // Any word, not only the first unit word as promtool: `app_seconds_kilobytes` still records kilobytes.
  const nonBase = wordsOf(name)
    .map(nonBaseUnit)
    .find((u) => u !== undefined);
  if (nonBase) findings.push(finding('base-unit', name, `the name holds ${nonBase.unit}; the base unit is ${nonBase.base}`));
  const abbreviations = nameWords.filter((w) => UNIT_ABBREVIATIONS.has(w));
  if (abbreviations.length > 0)
    findings.push(finding('abbreviated-unit', name, `the name abbreviates a unit: _${abbreviations.join(', _')}`));
  // Only the family's own type: `..._native_histogram_bucket_limit_total` is a counter about histograms.
  if (typed(family) && nameWords.includes(family.type))
    findings.push(finding('type-in-name', name, `the name repeats its type, ${family.type}`));
  if (name.split('_').filter((w) => w !== '' && w !== 'total').length < 2) {
    findings.push(finding('namespace', name, 'the name is a single word: no namespace prefix'));
  }
  const unit = family.unit ?? specOf(family, context.catalog)?.unit;
  const suffix = unit === undefined ? '' : unitSuffix(unit);
  if (suffix !== '' && !name.replace(/_total$/, '').endsWith(`_${suffix}`)) {
    findings.push(finding('unit-suffix', name, `the unit is "${unit}" but the name does not end in _${suffix}`));
  }
  return findings;
}

function helpFindings(family: ExpositionFamily): Finding[] {
  const help = family.help?.trim();
  if (help === undefined) return [finding('help-missing', family.name, 'no HELP line')];
  if (help === '' || help === family.name || PLACEHOLDER_HELP.test(help)) {
    return [finding('help-placeholder', family.name, help === '' ? 'the HELP text is empty' : `the HELP text is "${help}"`)];
  }
  return [];
}

/** The sample names the classic text format gives a family: no `_total` or `_created` of OpenMetrics. */
function classicSampleNames(family: ExpositionFamily): readonly string[] {
  const { name, type } = family;
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/**
 * In the classic format, HELP and TYPE reach only the samples of the family's
 * own names: Prometheus' text parser (promtool, the Pushgateway) reads
 * `foo_total` under `# TYPE foo counter`, or any `_created` line, as an
 * untyped metric without HELP, so it is reported under its own name, as
 * promtool does. OpenMetrics groups exactly these samples under `foo`: fine there.
 */
function detachedSampleFindings(family: ExpositionFamily, context: AuditContext): Finding[] {
  if ((context.format ?? 'classic') !== 'classic' || !typed(family)) return [];
  const own = new Set(classicSampleNames(family));
  const detached = [...new Set(family.samples.map((s) => s.name))].filter((n) => !own.has(n));
  return detached.map((sample) =>
    finding(
      'help-missing',
      sample,
      `no HELP line of its own: the HELP and TYPE of ${family.name} do not reach ${sample} in the classic text format`,
      `name the HELP and TYPE lines ${sample} (a counter's family is named with _total in the classic format), ` +
        `or serve OpenMetrics (ending in # EOF), where ${family.name} owns ${sample}`,
    ),
  );
}

function labelFindings(family: ExpositionFamily): Finding[] {
  const { name, type } = family;
  const findings: Finding[] = [];
  const labels = labelNamesOf(family);
  const raw = new Set(family.samples.flatMap((s) => Object.keys(s.labels)));
  const camel = labels.filter((l) => /[A-Z]/.test(l));
  if (/[A-Z]/.test(name) || camel.length > 0) {
    const what = [/[A-Z]/.test(name) ? 'the metric name' : '', camel.length > 0 ? `label ${camel.join(', ')}` : ''];
    findings.push(finding('snake-case', name, `capital letters in ${what.filter(Boolean).join(' and ')}`));
  }
  if (name.includes(':')) findings.push(finding('colon', name, 'the name holds ":" (reserved for recording rules)'));
  const reserved = labels.filter((l) => l.startsWith('__'));
  if (reserved.length > 0) findings.push(finding('reserved-label', name, `label ${reserved.join(', ')} starts with __`));
  const repeated = [...new Set(family.samples.flatMap((s) => s.duplicateLabelNames ?? []))];
  if (repeated.length > 0) findings.push(finding('duplicate-label', name, `label ${repeated.join(', ')} appears twice on one sample`));
  if (typed(family) && type !== 'histogram' && type !== 'gaugehistogram' && raw.has('le')) {
    findings.push(finding('le-label', name, `a ${type} with an "le" label`));
  }
  if (typed(family) && type !== 'summary' && raw.has('quantile')) {
    findings.push(finding('quantile-label', name, `a ${type} with a "quantile" label`));
  }
  return findings;
}

export function namingFindings(families: readonly ExpositionFamily[], context: AuditContext): Finding[] {
  return families.flatMap((family) => [
    ...suffixFindings(family),
    ...wordFindings(family, context),
    ...helpFindings(family),
    ...detachedSampleFindings(family, context),
    ...labelFindings(family),
  ]);
}
