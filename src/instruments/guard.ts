/**
 * Input checks for one measurement, as pure functions: is the value one the
 * instrument can take, and which attributes do the labels become. Nothing here
 * throws or logs; the caller counts what comes back.
 */
import type { Attributes } from '@opentelemetry/api';
import { type InstrumentSpec, isEnumLabel, OTHER_LABEL_VALUE } from '../catalog/types.ts';
import type { DropReason } from '../catalog/vocabulary.ts';

/** The longest id label value kept; longer ones are dropped as invalid. */
export const MAX_ID_LENGTH = 128;

/** Why this value cannot be recorded on this instrument, or undefined when it can. */
export function checkValue(spec: InstrumentSpec, value: unknown): DropReason | undefined {
  if (typeof value !== 'number') return 'not_a_number';
  // The SDK would keep NaN in a counter forever and accepts Infinity: both are refused here.
  if (!Number.isFinite(value)) return 'not_finite';
  if (spec.kind !== 'gauge' && value < 0) return 'negative';
  if (spec.range !== undefined && (value < spec.range[0] || value > spec.range[1])) return 'out_of_range';
  return undefined;
}

/** The attributes to record with, plus the reason an enum value was mapped to `other`, if one was. */
export interface ResolvedLabels {
  readonly attributes: Attributes;
  readonly mapped: DropReason | undefined;
}

/**
 * Builds the attributes from the catalog's label keys only: keys the caller
 * passes beyond them are ignored, so two keys can never collide once
 * sanitised. Returns a drop reason when a label is missing or unusable.
 */
export function resolveLabels(spec: InstrumentSpec, labels: Readonly<Record<string, unknown>> | undefined): ResolvedLabels | DropReason {
  const attributes: Record<string, string> = {};
  let mapped: DropReason | undefined;
  for (const label of spec.labels) {
    const value = labels?.[label.key];
    if (value === undefined || value === null || value === '') return 'missing_label';
    if (typeof value !== 'string') return 'invalid_label_value';
    if (isEnumLabel(label)) {
      if (label.values.includes(value)) {
        attributes[label.key] = value;
      } else {
        attributes[label.key] = OTHER_LABEL_VALUE;
        mapped = 'unknown_label_value';
      }
    } else {
      if (value.length > MAX_ID_LENGTH) return 'invalid_label_value';
      attributes[label.key] = value;
    }
  }
  return { attributes, mapped };
}
