/**
 * Finds the cell of a series from the label values a caller passes, without
 * building a key: one Map level per label, in catalog order, keyed by the raw
 * value. Only label sets that were validated exactly as given are entered, so
 * a hit needs no further check, and a miss (a new series, or input to map,
 * cap or drop) takes the instrument's slow path every time.
 */
export class SeriesIndex<Cell> {
  readonly #keys: readonly string[];
  #root: unknown;

  /** `shared`: for one label, the map that already holds value -> cell (saves a Map entry per series). */
  constructor(keys: readonly string[], shared?: Map<unknown, unknown>) {
    this.#keys = keys;
    this.#root = keys.length === 0 ? undefined : (shared ?? new Map<unknown, unknown>());
  }

  find(labels: Readonly<Record<string, unknown>> | undefined): Cell | undefined {
    const keys = this.#keys;
    let node = this.#root;
    for (let i = 0; i < keys.length; i++) {
      if (node === undefined) return undefined;
      node = (node as Map<unknown, unknown>).get(labels?.[keys[i] as string]);
    }
    return node as Cell | undefined;
  }

  /** Enters a validated label set (its values exactly as callers pass them). */
  add(labels: Readonly<Record<string, string>>, cell: Cell): void {
    const keys = this.#keys;
    if (keys.length === 0) {
      this.#root = cell;
      return;
    }
    let node = this.#root as Map<unknown, unknown>;
    for (let i = 0; i < keys.length - 1; i++) {
      const value = labels[keys[i] as string];
      let next = node.get(value) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    node.set(labels[keys[keys.length - 1] as string], cell);
  }
}
