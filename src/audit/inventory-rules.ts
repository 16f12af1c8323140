/**
 * Inventory: the exposition against the catalog. Every required metric is
 * there with its declared type and label keys; optional ones (the webhook's,
 * the adapter's) may be absent but must match when present; nothing else
 * lives under the catalog's namespaces. Silent with `--catalog none`.
 */
import { prometheusName } from '../catalog/naming.ts';
import { type InstrumentSpec, isEnumLabel, OTHER_LABEL_VALUE } from '../catalog/types.ts';
import type { ExpositionFamily } from '../exposition/parse-exposition.ts';
import { type AuditContext, specOf } from './audit-context.ts';
import { EXPORTER_LABELS, labelNamesOf, labelValuesOf, TARGET_LABELS } from './family-facts.ts';
import type { Finding } from './finding.ts';
import { finding } from './rules.ts';

/** Shows at most a few values, so that one finding stays one line. */
function list(values: readonly string[]): string {
  const shown = values.slice(0, 5).map((v) => `"${v}"`);
  return values.length > 5 ? `${shown.join(', ')} and ${values.length - 5} more` : shown.join(', ');
}

function checkAbsent(spec: InstrumentSpec, required: boolean): Finding[] {
  if (!required) return [];
  const name = prometheusName(spec);
  // The adapter starts every series of an enum-only counter at 0, so its absence means it was never created.
  const servedFromStart = spec.kind === 'counter' && spec.labels.every(isEnumLabel);
  return servedFromStart
    ? [finding('missing-metric', name, `required ${spec.kind} ${name} is not exposed`)]
    : [finding('not-yet-recorded', name, `required ${spec.kind} ${name} has no samples yet (it appears with its first measurement)`)];
}

function checkPresent(spec: InstrumentSpec, family: ExpositionFamily): Finding[] {
  const findings: Finding[] = [];
  if (family.type !== spec.kind) {
    findings.push(finding('wrong-type', family.name, `exposed as ${family.type}, declared as ${spec.kind}`));
  }
  const declared = spec.labels.map((label) => label.key).toSorted();
  const exposed = labelNamesOf(family).filter((name) => !EXPORTER_LABELS.has(name));
  // job and instance come from whoever scraped the endpoint (an exposition relayed by a Collector carries them on every series).
  const extra = exposed.filter((name) => !declared.includes(name) && !TARGET_LABELS.has(name));
  const missing = declared.filter((name) => !exposed.includes(name));
  if (extra.length > 0 || missing.length > 0) {
    const parts = [extra.length > 0 ? `undeclared ${extra.join(', ')}` : '', missing.length > 0 ? `missing ${missing.join(', ')}` : ''];
    findings.push(finding('wrong-labels', family.name, `label keys differ from the catalog: ${parts.filter(Boolean).join('; ')}`));
  }
  const values = labelValuesOf(family);
  for (const label of spec.labels) {
    if (!isEnumLabel(label)) continue;
    const unexpected = [...(values.get(label.key) ?? [])].filter((v) => v !== OTHER_LABEL_VALUE && !label.values.includes(v));
    if (unexpected.length > 0) {
      findings.push(finding('unexpected-label-value', family.name, `label ${label.key} takes ${list(unexpected.toSorted())}`));
    }
  }
  return findings;
}

export function inventoryFindings(families: readonly ExpositionFamily[], context: AuditContext): Finding[] {
  const { catalog } = context;
  if (catalog === undefined) return [];
  const findings: Finding[] = [];
  for (const spec of catalog.specs) {
    const family = families.find((f) => specOf(f, catalog) === spec && f.samples.length > 0);
    findings.push(...(family === undefined ? checkAbsent(spec, catalog.required.has(spec.name)) : checkPresent(spec, family)));
  }
  for (const family of families) {
    if (catalog.namespaces.some((prefix) => family.name.startsWith(prefix)) && specOf(family, catalog) === undefined) {
      findings.push(finding('undeclared-metric', family.name, `${family.name} is under a catalog namespace but not declared`));
    }
  }
  return findings;
}
