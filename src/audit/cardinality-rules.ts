/**
 * Cardinality: series per metric against a budget, and labels that look
 * unbounded. A series is one label set: a histogram's buckets, sum and count
 * are one series, the way the SDK's cardinality limit counts them.
 *
 * An id label the catalog declares (business_id, user_id) is unbounded by
 * nature and there on purpose: the adapter caps it (the catalog's maxSeries, or the business store's cap), so
 * it is reported as info with its bound. The same label anywhere else is an
 * error: nothing bounds it.
 */
import { isEnumLabel } from '../catalog/types.ts';
import type { ExpositionFamily } from '../exposition/parse-exposition.ts';
import { type AuditContext, budgetOf, idSeriesBound, specOf } from './audit-context.ts';
import { EXPORTER_LABELS, labelValuesOf, seriesOf, TARGET_LABELS } from './family-facts.ts';
import type { Finding } from './finding.ts';
import { finding } from './rules.ts';

/** Label names that name an identifier, a person or a location: one value per thing, without bound. */
const UNBOUNDED_NAME = /(^|_)(id|ids|uuid|guid|user|username|email|session|url|uri|path|ip|ip_address|trace|span)$/;

/** Values that look like identifiers: UUIDs, long hex or digits, e-mail addresses, full URLs, IPv4 addresses. */
const ID_VALUE = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{16,}$/i,
  /^\d{6,}$/,
  /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i,
  /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
  /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/,
];

function looksUnbounded(label: string, values: ReadonlySet<string>): string | undefined {
  if (UNBOUNDED_NAME.test(label)) return 'its name says it holds identifiers';
  if (TARGET_LABELS.has(label)) return undefined;
  const idLike = [...values].find((value) => ID_VALUE.some((pattern) => pattern.test(value)));
  return idLike === undefined ? undefined : `its values look like identifiers (e.g. "${idLike}")`;
}

/** An info metric with one series (target_info, *_build_info) carries the identity of the process by design. */
function isIdentity(family: ExpositionFamily, series: number): boolean {
  return (family.type === 'info' || family.name.endsWith('_info')) && series <= 1;
}

export function cardinalityFindings(families: readonly ExpositionFamily[], context: AuditContext): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    const series = seriesOf(family).size;
    const budget = budgetOf(family, context);
    if (series > budget) {
      findings.push(finding('series-budget', family.name, `${series} series, over the budget of ${budget}`));
    }
    if (isIdentity(family, series)) continue;
    const spec = specOf(family, context.catalog);
    for (const [label, values] of labelValuesOf(family)) {
      if (EXPORTER_LABELS.has(label)) continue;
      const declared = spec?.labels.find((l) => l.key === label);
      if (declared !== undefined && isEnumLabel(declared)) continue;
      const bound = spec === undefined ? undefined : idSeriesBound(spec);
      if (declared !== undefined && bound !== undefined) {
        const message = `id label ${label} (${values.size} values now), declared in the catalog and capped at ${bound} series`;
        findings.push(finding('bounded-id-label', family.name, message));
        continue;
      }
      const why = declared === undefined ? looksUnbounded(label, values) : 'the catalog declares it an id with no series bound';
      if (why !== undefined) findings.push(finding('unbounded-label', family.name, `label ${label} looks unbounded: ${why}`));
    }
  }
  return findings;
}
