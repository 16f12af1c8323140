/**
 * The in-memory queue: FIFO overall, but never two items of one key (a
 * business) in flight at once, so each business's events arrive in order.
 */
export class KeyedQueue<T> {
  readonly #waiting = new Map<string, T[]>();
  readonly #ready: string[] = [];
  readonly #busy = new Set<string>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(key: string, item: T): void {
    const list = this.#waiting.get(key);
    this.#size += 1;
    if (list !== undefined) {
      list.push(item);
      return;
    }
    this.#waiting.set(key, [item]);
    if (!this.#busy.has(key)) this.#ready.push(key);
  }

  /** Puts an item back at the head of its key's line (its key is still busy; done(key) makes it ready). */
  unshift(key: string, item: T): void {
    const list = this.#waiting.get(key);
    this.#size += 1;
    if (list !== undefined) list.unshift(item);
    else this.#waiting.set(key, [item]);
  }

  /** The next item whose key is not in flight, marking its key busy until done(key). */
  take(): { key: string; item: T } | undefined {
    const key = this.#ready.shift();
    if (key === undefined) return undefined;
    const list = this.#waiting.get(key) ?? [];
    const item = list.shift() as T;
    if (list.length === 0) this.#waiting.delete(key);
    this.#size -= 1;
    this.#busy.add(key);
    return { key, item };
  }

  done(key: string): void {
    this.#busy.delete(key);
    if (this.#waiting.has(key)) this.#ready.push(key);
  }

  /** Empties the queue (at shutdown, into the outbox), in order. */
  drain(): T[] {
    const items = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    this.#ready.length = 0;
    this.#size = 0;
    return items;
  }
}
