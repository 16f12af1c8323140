/** How rejected input is shown in the log line: enough to find the caller, never an id that may name a person. */
import { type InstrumentSpec, isEnumLabel } from '../catalog/types.ts';

/** A value as the log shows it: strings quoted and cut at 40 characters, numbers as they are, anything else by its type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'number' ? String(value) : typeof value;
}

/** Enum values are shown; ids (which may identify a person) only by their type and length. */
export function describeLabels(spec: InstrumentSpec, labels: Readonly<Record<string, unknown>> | undefined): string {
  const shown = spec.labels.map((label) => {
    const value = labels?.[label.key];
    if (isEnumLabel(label) || typeof value !== 'string') return `${label.key}=${describe(value)}`;
    return `${label.key}=<id of ${value.length} characters>`;
  });
  return `{${shown.join(', ')}}`;
}
