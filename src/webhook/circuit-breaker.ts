/**
 * A breaker on consecutive transient failures (network, timeout, 408, 429,
 * 5xx; never a 4xx verdict, which says nothing about the dashboard's health).
 * After `threshold` in a row it opens: nothing is attempted for `cooldownMs`.
 * Then one probe is let through (half-open); its success closes the breaker,
 * its failure opens it again.
 */
import type { WebhookCircuitState } from '../catalog/webhook-metrics.ts';

export interface CircuitBreakerOptions {
  /** Consecutive transient failures that open the breaker. */
  readonly threshold: number;
  /** How long the breaker stays open before a probe. */
  readonly cooldownMs: number;
  readonly now: () => number;
  readonly onChange?: (state: WebhookCircuitState) => void;
}

export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  #state: WebhookCircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  get state(): WebhookCircuitState {
    return this.#state;
  }

  /** When an open breaker will let a probe through, in clock milliseconds. */
  get reopensAt(): number {
    return this.#openedAt + this.#options.cooldownMs;
  }

  /** May an attempt start now? In half-open, only the single probe may. Taking the probe slot is part of asking. */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#options.now() < this.reopensAt) return false;
      this.#set('half_open');
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** The receiver answered with a verdict (2xx, or a 4xx about the request): the dashboard is up. */
  recordHealthy(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#set('closed');
  }

  /** An attempt ended without a verdict (cut short at shutdown): free the probe slot, change nothing else. */
  release(): void {
    this.#probing = false;
  }

  recordTransientFailure(): void {
    this.#failures += 1;
    const probeFailed = this.#state === 'half_open' && this.#probing;
    this.#probing = false;
    if (probeFailed || (this.#state === 'closed' && this.#failures >= this.#options.threshold)) {
      this.#openedAt = this.#options.now();
      this.#set('open');
    }
  }

  #set(state: WebhookCircuitState): void {
    this.#state = state;
    this.#options.onChange?.(state);
  }
}
