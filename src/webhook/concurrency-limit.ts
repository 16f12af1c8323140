/**
 * One limit on requests in flight, shared by everything that sends: the
 * in-memory deliveries and the outbox drainer each run up to `concurrency`
 * events, but an HTTP attempt starts only with a slot. Without it the two
 * together ran twice the limit over an agent of `concurrency` sockets, and a
 * request queued for a socket spent its timeout waiting there (a false
 * timeout, counted against the breaker). Slots go in the order asked (FIFO).
 */
export class ConcurrencyLimit {
  readonly #limit: number;
  #used = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get inUse(): number {
    return this.#used;
  }

  /** Runs `work` once a slot is free, and frees it after, whatever `work` does. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#used < this.#limit) this.#used += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over, #used unchanged
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#used -= 1;
      else next();
    }
  }
}
