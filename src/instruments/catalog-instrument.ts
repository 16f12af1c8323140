/**
 * One catalog entry bound to an OpenTelemetry instrument on some Meter, with
 * the guard in front: `record()` never throws and never lets bad input reach
 * the SDK.
 */
import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import { type InstrumentSpec, isEnumLabel, OVERFLOW_LABEL_VALUE } from '../catalog/types.ts';
import type { DropAccounting } from './drop-accounting.ts';
import { checkValue, resolveLabels } from './guard.ts';

type OtelInstrument = Counter | Histogram | Gauge;

/** Creates the OpenTelemetry instrument a catalog entry declares, through the API only. */
export function createOtelInstrument(meter: Meter, spec: InstrumentSpec): OtelInstrument {
  const options = { description: spec.description, unit: spec.unit };
  switch (spec.kind) {
    case 'counter':
      return meter.createCounter(spec.name, options);
    case 'gauge':
      return meter.createGauge(spec.name, options);
    case 'histogram':
      // Advice carries the buckets to any SDK, also one the application runs itself.
      return meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: [...(spec.buckets ?? [])] } });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'number' ? String(value) : typeof value;
}

export class CatalogInstrument {
  readonly spec: InstrumentSpec;
  readonly #record: (value: number, attributes: Record<string, string>) => void;
  readonly #drops: DropAccounting;
  /** The most distinct ids each id label keeps (`maxSeries`); later ids are recorded as overflow. */
  readonly #maxIds: number;
  /** The ids seen so far, per id label key: bounded by #maxIds. */
  readonly #seenIds: Map<string, Set<string>>;

  /** `maxIds` overrides the catalog's `maxSeries` for this instrument's id labels. */
  constructor(meter: Meter, spec: InstrumentSpec, drops: DropAccounting, maxIds: number | undefined = spec.maxSeries) {
    this.spec = spec;
    this.#drops = drops;
    this.#maxIds = maxIds ?? Number.POSITIVE_INFINITY;
    this.#seenIds = new Map(spec.labels.filter((label) => !isEnumLabel(label)).map((label) => [label.key, new Set<string>()]));
    const instrument = createOtelInstrument(meter, spec);
    this.#record =
      'add' in instrument
        ? (value, attributes) => instrument.add(value, attributes)
        : (value, attributes) => instrument.record(value, attributes);
  }

  /** Replaces an id seen after the first `maxIds` distinct ones with the overflow value. */
  #capIds(attributes: Record<string, string>): void {
    for (const [key, seen] of this.#seenIds) {
      const id = attributes[key] as string;
      if (seen.has(id)) continue;
      if (seen.size < this.#maxIds) {
        seen.add(id);
      } else {
        attributes[key] = OVERFLOW_LABEL_VALUE;
        this.#drops.overflowed(this.spec.name, this.#maxIds, `${key}="${OVERFLOW_LABEL_VALUE}"`);
      }
    }
  }

  /**
   * Starts every series of a counter whose labels are all enums at 0, so that
   * `rate()` and `increase()` see the first increment of each and alerts on
   * "failed" work before the first failure. Counters with an id label are left
   * alone: their series appear as ids do.
   */
  initializeSeries(): void {
    if (this.spec.kind !== 'counter' || !this.spec.labels.every(isEnumLabel)) return;
    let combinations: Record<string, string>[] = [{}];
    for (const label of this.spec.labels) {
      if (!isEnumLabel(label)) return;
      combinations = combinations.flatMap((partial) => label.values.map((value) => ({ ...partial, [label.key]: value })));
    }
    try {
      for (const attributes of combinations) this.#record(0, attributes);
    } catch {
      // As in record(): a foreign Meter's failure stays out of the caller's way.
    }
  }

  /** Records one measurement; bad input is dropped (or its enum label mapped to `other`) and counted. */
  record(value: unknown, labels?: Readonly<Record<string, unknown>>): void {
    try {
      const valueProblem = checkValue(this.spec, value);
      if (valueProblem !== undefined) {
        this.#drops.count(this.spec.name, valueProblem, `value ${describe(value)}`);
        return;
      }
      const resolved = resolveLabels(this.spec, labels);
      if (typeof resolved === 'string') {
        this.#drops.count(this.spec.name, resolved, `labels ${describeLabels(this.spec, labels)}`);
        return;
      }
      if (resolved.mapped !== undefined) {
        this.#drops.count(this.spec.name, resolved.mapped, `labels ${describeLabels(this.spec, labels)}`);
      }
      const attributes = resolved.attributes as Record<string, string>;
      if (this.#seenIds.size > 0) this.#capIds(attributes);
      this.#record(value as number, attributes);
    } catch {
      // A foreign Meter implementation may throw; the caller's hot path must not see it.
    }
  }
}

/** Enum values are shown; ids (which may identify a person) only by their type and length. */
function describeLabels(spec: InstrumentSpec, labels: Readonly<Record<string, unknown>> | undefined): string {
  const shown = spec.labels.map((label) => {
    const value = labels?.[label.key];
    if (isEnumLabel(label) || typeof value !== 'string') return `${label.key}=${describe(value)}`;
    return `${label.key}=<id of ${value.length} characters>`;
  });
  return `{${shown.join(', ')}}`;
}
