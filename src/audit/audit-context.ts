/**
 * What every rule may read besides the families: the catalog (absent with
 * `--catalog none`) and the series budgets. Built once per audit.
 */

import { ADAPTER_NAMESPACE } from '../catalog/adapter-metrics.ts';
import { BUSINESS_METRICS, BUSINESS_NAMESPACE } from '../catalog/business-metrics.ts';
import { CATALOG } from '../catalog/catalog.ts';
import { prometheusName } from '../catalog/naming.ts';
import type { InstrumentSpec } from '../catalog/types.ts';
import type { ExpositionFamily, ExpositionFormat } from '../exposition/parse-exposition.ts';
import { DEFAULT_BUSINESS_SERIES_MAX } from '../instruments/business-series-options.ts';

/** Series a metric may have when neither `--budget` nor the catalog says otherwise. */
export const DEFAULT_SERIES_BUDGET = 1000;

export interface SeriesBudgets {
  /** For every metric without a budget of its own (`--budget <n>`). */
  readonly default: number;
  /** By metric family name (`--budget <metric>=<n>`); wins over the catalog. */
  readonly perMetric: ReadonlyMap<string, number>;
}

export interface AuditCatalog {
  readonly specs: readonly InstrumentSpec[];
  /** Names of the specs the endpoint must serve; the others are optional but must match when present. */
  readonly required: ReadonlySet<string>;
  /** Metric name prefixes the catalog owns: anything under them must be declared. */
  readonly namespaces: readonly string[];
}

export type { ExpositionFormat } from '../exposition/parse-exposition.ts';

export interface AuditContext {
  /** The catalog to check against; undefined audits the exposition on its own (`--catalog none`). */
  readonly catalog: AuditCatalog | undefined;
  readonly budgets: SeriesBudgets;
  /** Decides which samples a family's HELP and TYPE lines reach. @default 'classic' (what the audit asks endpoints for) */
  readonly format?: ExpositionFormat;
}

/**
 * The Genesis catalog as the agent's endpoint serves it: the 17 business
 * metrics are required; the webhook's (served only where a notifier runs) and
 * the adapter's own (served once something was dropped) are optional.
 */
export function genesisCatalog(): AuditCatalog {
  return {
    specs: CATALOG,
    required: new Set(BUSINESS_METRICS.map((spec) => spec.name)),
    namespaces: [`${BUSINESS_NAMESPACE}_`, `${ADAPTER_NAMESPACE}_`],
  };
}

/**
 * The catalog entry served as this family. An exposition names a counter's
 * family `x_total` (Prometheus 0.0.4, the OpenTelemetry exporter) or `x`
 * (OpenMetrics, whose samples are `x_total`): both match.
 */
export function specOf(family: Pick<ExpositionFamily, 'name'>, catalog: AuditCatalog | undefined): InstrumentSpec | undefined {
  return catalog?.specs.find((spec) => prometheusName(spec) === family.name || prometheusName(spec) === `${family.name}_total`);
}

/**
 * The series bound the adapter enforces on an instrument with an id label:
 * its `maxSeries` (the user_id cap), or for the per-business gauges the
 * business store's cap (GENESIS_BUSINESS_SERIES_MAX; the default, since the
 * audit cannot see the agent's configuration).
 */
export function idSeriesBound(spec: InstrumentSpec): number | undefined {
  return spec.maxSeries ?? (spec.perBusiness ? DEFAULT_BUSINESS_SERIES_MAX : undefined);
}

/** The series budget of a family: `--budget <metric>=<n>`, else the catalog's bound, else `--budget <n>`. */
export function budgetOf(family: ExpositionFamily, context: AuditContext): number {
  const own = context.budgets.perMetric.get(family.name);
  if (own !== undefined) return own;
  const spec = specOf(family, context.catalog);
  if (spec === undefined) return context.budgets.default;
  const bound = idSeriesBound(spec);
  if (bound !== undefined) return bound;
  // Enum labels only: every combination of values, each set plus `other`.
  return spec.labels.every((label) => label.values !== 'id')
    ? spec.labels.reduce((product, label) => product * (label.values.length + 1), 1)
    : context.budgets.default;
}
