/**
 * One catalog entry with the guard in front: `record()` never throws and never
 * lets bad input through. Each series is validated once, when it first
 * appears; after that a measurement is a lookup in the series index and an
 * update of the series' cell, which OpenTelemetry reads at collection time
 * (see cell-reporting.ts).
 */
import type { Meter } from '@opentelemetry/api';
import { type InstrumentSpec, isEnumLabel, OVERFLOW_LABEL_VALUE } from '../catalog/types.ts';
import type { CellRegistry } from './cell-registry.ts';
import { type CellReporting, reportCells } from './cell-reporting.ts';
import { describe, describeLabels } from './describe-input.ts';
import type { DropAccounting } from './drop-accounting.ts';
import { checkValue, resolveLabels } from './guard.ts';
import { idsOf, type SeenIds } from './seen-ids.ts';
import type { SeriesCell } from './series-cells.ts';
import { SeriesIndex } from './series-index.ts';

// Kept importable from here, where it lived before (the webhook metrics and the tests use it).
export { createOtelInstrument } from './otel-instrument.ts';

/** One series resolved once: `add` and `record` are the same write, for counters, gauges and histograms alike. */
export interface BoundSeries {
  add(value: number): void;
  record(value: number): void;
}

export class CatalogInstrument {
  readonly spec: InstrumentSpec;
  readonly #drops: DropAccounting;
  /** The most distinct ids each id label keeps (`maxSeries`); later ids are recorded as overflow. */
  readonly #maxIds: number;
  /** The ids seen so far, per id label key: bounded by #maxIds. */
  readonly #seenIds: Map<string, SeenIds>;
  /** Resolved label values joined by NUL -> cell: every series, for collection. */
  readonly #series = new Map<string, SeriesCell>();
  readonly #index: SeriesIndex<SeriesCell>;
  readonly #reporting: CellReporting;
  /** The values taken without a check beyond `min <= value <= max` and finiteness. */
  readonly #min: number;
  readonly #max: number;

  /** `maxIds` overrides the catalog's `maxSeries`; `cells` is the registry a producer may collect. */
  constructor(meter: Meter, spec: InstrumentSpec, drops: DropAccounting, maxIds = spec.maxSeries, cells?: CellRegistry) {
    this.spec = spec;
    this.#drops = drops;
    this.#maxIds = maxIds ?? Number.POSITIVE_INFINITY;
    const [only, ...others] = spec.labels;
    // One id label (quota_denied by user_id): the series map is keyed by the id already, and serves as the index and the
    // set of seen ids too; a caller passing the overflow value itself then lands in that series uncounted, harmlessly.
    const idOnly = only !== undefined && others.length === 0 && !isEnumLabel(only);
    this.#seenIds = new Map(
      spec.labels.filter((label) => !isEnumLabel(label)).map((label) => [label.key, idOnly ? idsOf(this.#series) : new Set<string>()]),
    );
    this.#index = new SeriesIndex(
      spec.labels.map((label) => label.key),
      idOnly ? (this.#series as Map<unknown, unknown>) : undefined,
    );
    this.#reporting = reportCells(meter, spec, this.#series, cells);
    this.#min = Math.max(spec.range?.[0] ?? -Infinity, spec.kind === 'gauge' ? -Infinity : 0);
    this.#max = spec.range?.[1] ?? Infinity;
  }

  /** Records one measurement; bad input is dropped (or its enum label mapped to `other`) and counted. */
  record(value: unknown, labels?: Readonly<Record<string, unknown>>): void {
    try {
      const cell = this.#index.find(labels);
      // NaN fails every comparison and Infinity - Infinity is NaN: this is checkValue() for a number.
      if (cell !== undefined && typeof value === 'number' && value >= this.#min && value <= this.#max && value - value === 0) {
        this.#reporting.update(cell, value);
        return;
      }
      this.#recordSlowly(value, labels);
    } catch {
      // Nothing here should throw; the caller's hot path must not see it if something does.
    }
  }

  /**
   * Resolves one series once, for a caller that records on it often. Labels
   * that are valid as given get a direct write; others (mapped to `other`,
   * over the id cap, missing) keep going through `record()`, which counts them.
   */
  bind(labels?: Readonly<Record<string, unknown>>): BoundSeries {
    const given = labels === undefined ? undefined : { ...labels };
    const cell = this.#index.find(given) ?? this.#admit(given);
    const slow = (value: number) => this.record(value, given);
    if (cell === undefined) return { add: slow, record: slow };
    const update = this.#reporting.update;
    const min = this.#min;
    const max = this.#max;
    const write = (value: number) => {
      if (typeof value === 'number' && value >= min && value <= max && value - value === 0) update(cell, value);
      else slow(value);
    };
    return { add: write, record: write };
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
    for (const attributes of combinations) this.#admit(attributes);
  }

  #recordSlowly(value: unknown, labels: Readonly<Record<string, unknown>> | undefined): void {
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
    if (resolved.mapped !== undefined) this.#drops.count(this.spec.name, resolved.mapped, `labels ${describeLabels(this.spec, labels)}`);
    const attributes = resolved.attributes as Record<string, string>;
    const overflowed = this.#capIds(attributes);
    const cell = this.#cell(attributes);
    // Only a label set taken exactly as given may skip the checks next time.
    if (resolved.mapped === undefined && !overflowed) this.#index.add(attributes, cell);
    this.#reporting.update(cell, value as number);
  }

  /** The cell of a label set that is valid as given and within the id cap, without counting anything; else undefined. */
  #admit(labels: Readonly<Record<string, unknown>> | undefined): SeriesCell | undefined {
    const resolved = resolveLabels(this.spec, labels);
    if (typeof resolved === 'string' || resolved.mapped !== undefined) return undefined;
    const attributes = resolved.attributes as Record<string, string>;
    for (const [key, seen] of this.#seenIds) if (!seen.has(attributes[key] as string) && seen.size >= this.#maxIds) return undefined;
    this.#capIds(attributes);
    const cell = this.#cell(attributes);
    this.#index.add(attributes, cell);
    return cell;
  }

  #cell(attributes: Record<string, string>): SeriesCell {
    const labels = this.spec.labels;
    const key =
      labels.length === 1 ? (attributes[labels[0]?.key as string] as string) : labels.map((label) => attributes[label.key]).join('\u0000');
    let cell = this.#series.get(key);
    if (cell === undefined) {
      cell = this.#reporting.newCell(Object.freeze({ ...attributes }));
      this.#series.set(key, cell);
    }
    return cell;
  }

  /** Replaces an id seen after the first `maxIds` distinct ones with the overflow value; true when one was. */
  #capIds(attributes: Record<string, string>): boolean {
    let overflowed = false;
    for (const [key, seen] of this.#seenIds) {
      const id = attributes[key] as string;
      if (seen.has(id)) continue;
      if (seen.size < this.#maxIds) {
        seen.add(id);
      } else {
        attributes[key] = OVERFLOW_LABEL_VALUE;
        overflowed = true;
        this.#drops.overflowed(this.spec.name, this.#maxIds, `${key}="${OVERFLOW_LABEL_VALUE}"`);
      }
    }
    return overflowed;
  }
}
