/**
 * Every rule of the audit, as data: its area, severity, what it checks and the
 * usual fix. The rule functions (one file per area) only decide where a rule
 * fires; the README's rule table and the tests read this list.
 *
 * Severities: `error` for what breaks queries, alerts or the storage (a counter
 * PromQL cannot recognise, a histogram `histogram_quantile()` misreads, a
 * label that grows without bound, a catalog metric missing), `warning` for
 * conventions whose breach only misleads people, `info` for facts a reviewer
 * should see but that need no change.
 */
import type { Area, Finding, Severity } from './finding.ts';

export interface RuleSpec {
  readonly area: Area;
  readonly severity: Severity;
  readonly checks: string;
  readonly fix: string;
}

export const RULES = {
  'missing-metric': {
    area: 'inventory',
    severity: 'error',
    checks: 'a required catalog metric that the adapter serves from the start (a counter with enum labels only) is absent',
    fix: 'create the instruments through createGenesisMetrics() on this endpoint, or audit the endpoint that serves them',
  },
  'not-yet-recorded': {
    area: 'inventory',
    severity: 'info',
    checks: 'a required catalog metric that appears only after its first measurement (a histogram, a gauge, an id label) is absent',
    fix: 'nothing to fix if nothing happened yet; audit again after the agent has worked',
  },
  'wrong-type': {
    area: 'inventory',
    severity: 'error',
    checks: 'a catalog metric is exposed with another type than declared',
    fix: 'record it through the catalog instrument, not an instrument of another kind',
  },
  'wrong-labels': {
    area: 'inventory',
    severity: 'error',
    checks: 'a catalog metric is exposed with other label keys than declared',
    fix: 'record it through the typed API, which passes exactly the declared label keys',
  },
  'unexpected-label-value': {
    area: 'inventory',
    severity: 'warning',
    checks: 'an enum label carries a value outside its declared set (other than `other`)',
    fix: 'add the value to the catalog vocabulary, or record it through the typed API (which maps it to `other`)',
  },
  'undeclared-metric': {
    area: 'inventory',
    severity: 'warning',
    checks: 'a metric under a genesis namespace that the catalog does not declare',
    fix: 'declare it in src/catalog/, or give it a name outside the genesis namespaces',
  },
  'counter-total': {
    area: 'naming',
    severity: 'error',
    checks: 'a counter whose samples do not end in `_total`',
    fix: 'name the counter `<name>_total`',
  },
  'total-suffix': {
    area: 'naming',
    severity: 'error',
    checks: 'a metric that is not a counter ends in `_total`',
    fix: 'drop `_total`, or make it a counter if it only ever goes up',
  },
  'base-unit': {
    area: 'naming',
    severity: 'error',
    checks: 'the name holds a unit that is not a base unit (milliseconds, kilobytes, minutes, ...)',
    fix: 'record in the base unit (seconds, bytes, meters, ...) and name it so',
  },
  'abbreviated-unit': {
    area: 'naming',
    severity: 'warning',
    checks: 'the name holds an abbreviated unit (`_ms`, `_s`, `_kb`, `_sec`, ...)',
    fix: 'spell the base unit out: `_seconds`, `_bytes`',
  },
  'unit-suffix': {
    area: 'naming',
    severity: 'warning',
    checks: 'the unit is known (a `# UNIT` line or the catalog) but the name does not carry it',
    fix: 'end the name with the unit word (before `_total`), e.g. `_seconds`',
  },
  'snake-case': {
    area: 'naming',
    severity: 'error',
    checks: 'a metric or label name with capital letters',
    fix: 'write names in snake_case',
  },
  colon: {
    area: 'naming',
    severity: 'warning',
    checks: 'a metric name with `:`, which Prometheus reserves for recording rules',
    fix: 'use `_` instead of `:` in instrumented metrics',
  },
  'type-in-name': {
    area: 'naming',
    severity: 'warning',
    checks: 'the name repeats its own type (`_gauge` on a gauge, `_counter` on a counter, ...)',
    fix: 'drop the type word from the name; the TYPE line carries it',
  },
  namespace: {
    area: 'naming',
    severity: 'warning',
    checks: 'the name has no namespace prefix: it is a single word (besides `_total`)',
    fix: 'prefix the name with the application or library, e.g. `myapp_requests_total`',
  },
  'reserved-suffix': {
    area: 'naming',
    severity: 'error',
    checks: 'a metric that is neither a histogram nor a summary ends in `_bucket`, `_count` or `_sum`',
    fix: 'rename it: these suffixes belong to the samples of histograms and summaries',
  },
  'help-missing': {
    area: 'naming',
    severity: 'warning',
    checks:
      "no `# HELP` line; in the classic format, also a sample its family's HELP does not reach (`foo_total` under `# TYPE foo counter`, a `_created` line)",
    fix: 'describe what the metric measures, and in which unit',
  },
  'help-placeholder': {
    area: 'naming',
    severity: 'warning',
    checks:
      "the HELP text is empty, repeats the name or is a placeholder (TODO, n/a, the OpenTelemetry exporter's `description missing`, ...)",
    fix: 'describe what the metric measures, and in which unit',
  },
  'reserved-label': {
    area: 'naming',
    severity: 'error',
    checks: 'a label name starting with `__`, which Prometheus reserves for itself',
    fix: 'rename the label without the leading `__`',
  },
  'duplicate-label': {
    area: 'naming',
    severity: 'error',
    checks: 'a sample repeats a label name (Prometheus rejects the whole scrape)',
    fix: 'write each label once per sample',
  },
  'le-label': {
    area: 'naming',
    severity: 'error',
    checks: 'an `le` label on a metric that is not a histogram',
    fix: 'rename the label: `le` is the bucket bound of histograms',
  },
  'quantile-label': {
    area: 'naming',
    severity: 'error',
    checks: 'a `quantile` label on a metric that is not a summary',
    fix: 'rename the label: `quantile` belongs to summaries',
  },
  'series-budget': {
    area: 'cardinality',
    severity: 'error',
    checks: 'a metric has more series than its budget (`--budget`, the catalog bound, or 1000)',
    fix: 'drop or bucket the label with the most values, or raise the budget on purpose (--budget <metric>=<n>)',
  },
  'unbounded-label': {
    area: 'cardinality',
    severity: 'error',
    checks:
      'a label that looks unbounded (an id, user, email, session, URL or IP by its name, or id-like values) and that no catalog bounds',
    fix: 'remove the label (put ids in logs or exemplars), or declare it with a series bound in the catalog',
  },
  'bounded-id-label': {
    area: 'cardinality',
    severity: 'info',
    checks: 'an id label the catalog declares on purpose, with a series bound the SDK enforces',
    fix: 'nothing to fix; watch the series count against the bound',
  },
  'empty-exposition': {
    area: 'consistency',
    severity: 'error',
    checks: 'the exposition has no sample at all (empty, or only comments, HELP and TYPE lines): there was nothing to audit',
    fix: 'audit the metrics endpoint itself (not a health check or a proxy page), and check that the process registers and records its metrics',
  },
  'bucket-order': {
    area: 'consistency',
    severity: 'error',
    checks: 'histogram bucket counts that decrease as `le` grows',
    fix: 'buckets are cumulative: each one counts every observation up to its bound',
  },
  'inf-bucket': {
    area: 'consistency',
    severity: 'error',
    checks:
      'a histogram series without a `+Inf` bucket (or without any bucket), without `_count`, or whose `+Inf` bucket differs from `_count`',
    fix: 'emit the `+Inf` bucket with the same value as `_count`',
  },
  'nan-counter': {
    area: 'consistency',
    severity: 'error',
    checks: 'a counter (or a histogram count) whose value is NaN',
    fix: 'never add NaN to a counter: once NaN, the series stays NaN until the process restarts',
  },
  'negative-counter': {
    area: 'consistency',
    severity: 'error',
    checks: 'a counter (or a histogram count or bucket) with a negative value',
    fix: 'counters only go up; record decreases in a gauge',
  },
  'duplicate-series': {
    area: 'consistency',
    severity: 'error',
    checks: 'the same sample name and labels appear twice',
    fix: 'expose each series once (two registrations of one metric, or two collectors writing it)',
  },
  'out-of-range': {
    area: 'consistency',
    severity: 'warning',
    checks: 'a catalog gauge whose value falls outside its declared range (a ratio above 1, a negative amount)',
    fix: 'record the value through the typed API, which drops values out of range',
  },
} as const satisfies Readonly<Record<string, RuleSpec>>;

export type RuleId = keyof typeof RULES;

/** A finding of `rule` about `metric`; the fix is the rule's unless a more precise one is given. */
export function finding(rule: RuleId, metric: string, message: string, fix?: string): Finding {
  const spec: RuleSpec = RULES[rule];
  return { area: spec.area, rule, severity: spec.severity, metric, message, fix: fix ?? spec.fix };
}
