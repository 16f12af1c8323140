/**
 * Delivers what waits in the outbox: on every tick, the oldest waiting event
 * of each business that is due (so each business stays in order), one
 * attempt each, with full-jitter backoff between a business's attempts.
 * Dead-letters what passed its maximum age, and refreshes the outbox gauges.
 */

import type { Logger } from '../logging/logger.ts';
import type { SendOutcome } from './attempt-sender.ts';
import { fullJitterDelay, type RandomSource } from './backoff.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import { eventsUrl } from './event-path.ts';
import type { NotifierSettings } from './notifier-options.ts';
import type { Outbox, OutboxRow } from './outbox.ts';

const GAUGE_REFRESH_MS = 1000;

export interface DrainerDeps {
  readonly settings: NotifierSettings & { readonly url: string };
  readonly outbox: Outbox;
  readonly metrics: DeliveryMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: RandomSource;
  readonly send: (event: { id: string; url: string; body: string }) => Promise<SendOutcome>;
  /** The endpoint said 410: stop sending until reconfigured. */
  readonly onGone: (message: string) => void;
  /** Disabled (410), or the circuit is open and not yet due for a probe. */
  readonly isPaused: () => boolean;
  /** The outbox failed to be read or written during a tick (called each time: the owner logs once per kind). */
  readonly onOutboxError: (error: unknown) => void;
}

export class OutboxDrainer {
  readonly #deps: DrainerDeps;
  #timer: NodeJS.Timeout | undefined;
  #dueAt = 0;
  #running: Promise<void> | undefined;
  /** A poke during a tick: the next tick comes this soon after it. */
  #soonest = Number.POSITIVE_INFINITY;
  #stopped = false;
  /** When the outbox gauges were last refreshed: their two counts walk an index, so not on every tick of a long drain. */
  #gaugesAt = Number.NEGATIVE_INFINITY;

  constructor(deps: DrainerDeps) {
    this.#deps = deps;
  }

  /** Runs a tick within `delayMs` (the circuit closed, events were outboxed, a replay asked); an earlier one stays. */
  poke(delayMs = 0): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#soonest = Math.min(this.#soonest, delayMs);
      return;
    }
    const dueAt = Date.now() + delayMs;
    if (this.#timer !== undefined && dueAt >= this.#dueAt) return;
    clearTimeout(this.#timer);
    this.#dueAt = dueAt;
    this.#timer = setTimeout(() => this.#run(), delayMs);
    this.#timer.unref();
  }

  #run(): void {
    this.#timer = undefined;
    this.#soonest = Number.POSITIVE_INFINITY;
    this.#running = this.#tick().then((next) => {
      this.#running = undefined;
      this.poke(Math.min(next, this.#soonest));
    });
  }

  /** Resolves once the current tick is over; no tick starts after. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass; resolves with the delay until the next. */
  async #tick(): Promise<number> {
    const { outbox, metrics, settings, logger, now } = this.#deps;
    let progress = false;
    try {
      const expired = outbox.expire(now());
      if (expired.length > 0) {
        metrics.outcome('dead_lettered', expired.length);
        logger.warn(
          `dashboard webhook: ${expired.length} event(s) passed the outbox's maximum age and were dead-lettered; ` +
            `list them with "genesis-telemetry outbox list", replay with "genesis-telemetry outbox replay"`,
        );
      }
      if (!this.#deps.isPaused()) {
        const heads = outbox.dueHeads(now(), settings.concurrency);
        const outcomes = await Promise.all(heads.map((row) => this.#deliver(row)));
        progress = outcomes.some((delivered) => delivered);
      }
      if (!progress || now() - this.#gaugesAt >= GAUGE_REFRESH_MS) {
        this.#gaugesAt = now();
        const stats = outbox.stats(this.#gaugesAt);
        metrics.outbox(stats.waiting, stats.oldestAgeSeconds);
      }
    } catch (error) {
      // Every few seconds while the file fails: the owner logs each kind of failure once, not each tick.
      this.#deps.onOutboxError(error);
    }
    return progress ? 0 : settings.outboxPollMs;
  }

  async #deliver(row: OutboxRow): Promise<boolean> {
    const { outbox, metrics, settings, now } = this.#deps;
    const url = eventsUrl(settings.url, row.businessId);
    if (url === undefined) return false;
    const outcome = await this.#deps.send({ id: row.id, url, body: row.body });
    if (this.#stopped && outcome.kind === 'skipped') return false;
    switch (outcome.kind) {
      case 'skipped':
        return false;
      case 'delivered':
        outbox.delivered(row.id, row.businessId);
        metrics.outcome('delivered');
        metrics.delivered((now() - row.acceptedAt) / 1000);
        return true;
      case 'rejected':
        outbox.toDead(row.id, row.businessId, row.attempts + 1, outcome.message);
        metrics.outcome('rejected');
        this.#deps.logger.warn(`dashboard webhook: event ${row.id} refused (${outcome.message}); it is kept as a dead letter`);
        return true;
      case 'gone':
        this.#deps.onGone(outcome.message);
        return false;
      case 'transient': {
        const attempts = row.attempts + 1;
        const policy = { baseDelayMs: settings.baseDelayMs, maxDelayMs: settings.outboxMaxDelayMs };
        const asked = Math.min(outcome.retryAfterMs ?? 0, settings.outboxMaxDelayMs);
        const wait = Math.max(asked, fullJitterDelay(attempts, policy, this.#deps.random));
        outbox.toWaiting(row.id, row.businessId, attempts, now() + wait, outcome.message);
        return false;
      }
    }
  }
}
