/**
 * The in-memory side of delivery: a per-business FIFO (KeyedQueue), at most
 * `concurrency` deliveries running, a gate the owner controls (go, stop, or
 * wake me at a time), and `idle()` for whoever waits for the queue to settle.
 * Policy (what a delivery does, where refused events go) stays with the owner.
 */
import { KeyedQueue } from './keyed-queue.ts';

/** 'go': start deliveries; 'stop': the owner has dealt with the queue; a number: try again at that clock time. */
export type Gate = 'go' | 'stop' | number;

export interface DispatcherHooks<T> {
  readonly concurrency: number;
  readonly now: () => number;
  gate(): Gate;
  /** Last word on a taken item: false when the owner sent it elsewhere (nothing runs). */
  admit(key: string, item: T): boolean;
  run(item: T): Promise<void>;
  onDepth(depth: number): void;
}

export class Dispatcher<T> {
  readonly #hooks: DispatcherHooks<T>;
  readonly #queue = new KeyedQueue<T>();
  #inFlight = 0;
  #gated = false;
  #wakeTimer: NodeJS.Timeout | undefined;
  #idleWaiters: Array<() => void> = [];

  constructor(hooks: DispatcherHooks<T>) {
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#queue.size;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  push(key: string, item: T): void {
    this.#queue.push(key, item);
    this.#hooks.onDepth(this.#queue.size);
    this.pump();
  }

  /** Back to the head of its business's line (its delivery is still running; it starts again after). */
  unshift(key: string, item: T): void {
    this.#queue.unshift(key, item);
  }

  /** Everything queued, in order, leaving the queue empty. */
  drain(): T[] {
    const items = this.#queue.drain();
    this.#hooks.onDepth(0);
    return items;
  }

  pump(): void {
    this.#gated = false;
    while (this.#inFlight < this.#hooks.concurrency && this.#queue.size > 0) {
      const gate = this.#hooks.gate();
      if (gate !== 'go') {
        this.#gated = true;
        if (typeof gate === 'number') this.#wakeAt(gate);
        break;
      }
      const next = this.#queue.take();
      if (next === undefined) break; // every queued business has a delivery running already
      const { key, item } = next;
      if (!this.#hooks.admit(key, item)) {
        this.#queue.done(key);
        continue;
      }
      this.#inFlight += 1;
      void this.#hooks.run(item).finally(() => {
        this.#inFlight -= 1;
        this.#queue.done(key);
        this.#hooks.onDepth(this.#queue.size);
        this.pump();
      });
    }
    this.#checkIdle();
  }

  /** Resolves when nothing runs and nothing queued can start (empty, or held behind the gate). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#checkIdle();
    });
  }

  stop(): void {
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
  }

  #wakeAt(at: number): void {
    if (this.#wakeTimer !== undefined) return;
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeTimer = undefined;
        this.pump();
      },
      Math.max(1, at - this.#hooks.now()),
    );
    this.#wakeTimer.unref();
  }

  #checkIdle(): void {
    if (this.#inFlight > 0 || (this.#queue.size > 0 && !this.#gated)) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
