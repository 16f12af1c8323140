/**
 * The working notifier. `notify()` returns at once: the event is checked
 * (prepare-event.ts), written to the outbox (when enabled) and queued; up to
 * `concurrency` requests run in the background, in-memory deliveries and the
 * outbox drainer together, each event retried in process with full-jitter
 * backoff, then handed to the outbox, which retries it for days. Nothing here
 * throws into the caller after start, and a failing outbox file costs one
 * short busy timeout, not the event (outbox-writer.ts).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logging/logger.ts';
import { type SendableEvent, sendAttempt } from './attempt-sender.ts';
import { retryDelay } from './backoff.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { ConcurrencyLimit } from './concurrency-limit.ts';
import type { DashboardNotifier } from './dashboard-notifier.ts';
import { DeliveryMetrics } from './delivery-metrics.ts';
import { Dispatcher, type Gate } from './dispatcher.ts';
import { createHttpAttempter } from './http-attempt.ts';
import type { DashboardEvent } from './lifecycle-events.ts';
import type { DashboardNotifierOptions, NotifierSettings } from './notifier-options.ts';
import { openOutbox } from './open-outbox.ts';
import type { Outbox } from './outbox.ts';
import { OutboxDrainer } from './outbox-drainer.ts';
import { classifyOutboxFailure, type OutboxFailure } from './outbox-failure.ts';
import { OutboxWriter } from './outbox-writer.ts';
import { prepareEvent } from './prepare-event.ts';
import { releaseToOutbox } from './release-outbox.ts';
import { deliverWithRetries } from './retry-loop.ts';
import { routeEvent } from './route-event.ts';

interface Pending extends SendableEvent {
  readonly businessId: string;
  readonly acceptedAt: number;
  attempts: number;
}

/**
 * How long one outbox write of the agent waits for another process's write lock (the CLI's replay, a second agent):
 * notify() must stay quick, and a write that cannot wait is kept in memory and retried (outbox-writer.ts). Short
 * transactions elsewhere (a few ms) still get through; the CLI keeps the Outbox's default of 5 s.
 */
export const AGENT_BUSY_TIMEOUT_MS = 200;

const OUTBOX_SETTING = {
  option: 'GENESIS_DASHBOARD_OUTBOX',
  fix: 'choose a writable folder with GENESIS_DASHBOARD_OUTBOX or the "outbox" option, or "off" to run without one',
};

/** A time-ordered id without dots (Standard Webhooks forbids them): sortable like a ULID. */
function newWebhookId(now: number): string {
  return `msg_${now.toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}

export class Notifier implements DashboardNotifier {
  readonly enabled = true;
  readonly outboxDir: string | undefined;
  readonly #settings: NotifierSettings & { readonly url: string };
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #metrics: DeliveryMetrics;
  readonly #breaker: CircuitBreaker;
  readonly #http;
  readonly #outbox: Outbox | undefined;
  /** The notifier's own writes to #outbox go through here; the drainer's rows are on disk already. */
  readonly #writer: OutboxWriter | undefined;
  readonly #drainer: OutboxDrainer | undefined;
  /** One limit for every HTTP attempt, from memory or from the outbox. */
  readonly #slots: ConcurrencyLimit;
  readonly #dispatcher: Dispatcher<Pending>;
  /** Aborted when shutdown starts: retry waits end, the remaining attempts are not made. */
  readonly #stopping = new AbortController();
  /** Aborted at the shutdown deadline: requests still running are cut. */
  readonly #cut = new AbortController();
  readonly #logged = new Set<string>();
  #disabledBecause: string | undefined;
  /** Without an outbox, an event the breaker turned away waits in memory until then. */
  #heldUntil = 0;
  #closed = false;
  #shutdown: Promise<void> | undefined;

  constructor(settings: NotifierSettings & { readonly url: string }, options: DashboardNotifierOptions, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#metrics = new DeliveryMetrics(options.meter, logger);
    this.#breaker = new CircuitBreaker({
      threshold: settings.breakerThreshold,
      cooldownMs: settings.breakerCooldownMs,
      now: this.#now,
      onChange: (state) => this.#circuitChanged(state),
    });
    this.#http = createHttpAttempter(settings);
    this.#slots = new ConcurrencyLimit(settings.concurrency);
    this.#dispatcher = new Dispatcher<Pending>({
      concurrency: settings.concurrency,
      now: this.#now,
      gate: () => this.#gate(),
      admit: (key, item) => this.#admit(key, item),
      run: (item) => this.#deliver(item),
      onDepth: (depth) => this.#metrics.queueDepth(depth),
    });
    if (settings.outbox !== false) {
      try {
        const options = { fsync: settings.outboxFsync, busyTimeoutMs: AGENT_BUSY_TIMEOUT_MS };
        this.#outbox = openOutbox(settings.outbox, options, OUTBOX_SETTING);
      } catch (error) {
        this.#http.close();
        throw error;
      }
      this.outboxDir = settings.outbox;
      this.#writer = new OutboxWriter(this.#outbox, {
        maxKept: settings.maxQueue,
        onFailure: (failure) => this.#writeFailed(failure),
        onCaughtUp: (written) => this.#writesCaughtUp(written),
      });
      this.#drainer = new OutboxDrainer({
        settings,
        outbox: this.#outbox,
        metrics: this.#metrics,
        logger,
        now: this.#now,
        random: this.#random,
        send: (event) => this.#send(event),
        onGone: (message) => this.#disable(message),
        isPaused: () => this.#disabledBecause !== undefined || this.#circuitBlocked(),
        onOutboxError: (error) => {
          const { kind, description } = classifyOutboxFailure(error);
          this.#logOnce(`outbox-drain:${kind}`, 'error', `dashboard webhook: ${description}; the drainer tries again at its next poll`);
        },
      });
      this.#drainer.poke();
    }
  }

  /** Waits for a slot first: got's deadline must not run while the request waits for a socket. */
  #send(event: SendableEvent) {
    const deps = {
      settings: this.#settings,
      http: this.#http,
      breaker: this.#breaker,
      metrics: this.#metrics,
      now: this.#now,
      signal: this.#cut.signal,
    };
    return this.#slots.run(() => sendAttempt(deps, event));
  }

  notify(event: DashboardEvent): string | undefined {
    try {
      return this.#accept(event);
    } catch (error) {
      // Neither bad input (refused in #accept) nor the outbox (OutboxWriter never throws): a bug here, but not the caller's problem.
      this.#metrics.outcome('dropped');
      this.#logOnce('accept-bug', 'error', `dashboard webhook: an event was lost to an unexpected error: ${(error as Error)?.message}`);
      return undefined;
    }
  }

  #accept(event: DashboardEvent): string | undefined {
    const prepared = prepareEvent(event, this.#settings.url, this.#settings.maxEventBytes);
    if (!prepared.ok) {
      this.#metrics.outcome('rejected');
      this.#logOnce(
        `refused:${prepared.reason}`,
        'warn',
        `dashboard webhook: refused ${prepared.message}; not sent, not kept (further ones are only counted)`,
      );
      return undefined;
    }
    const { businessId, url, body, updateType } = prepared;
    const acceptedAt = this.#now();
    const pending: Pending = { id: newWebhookId(acceptedAt), url, body, businessId, acceptedAt, attempts: 0 };
    const record = { id: pending.id, businessId, updateType, body, acceptedAt };
    const expiresAt = acceptedAt + this.#settings.outboxMaxAgeMs;
    const route = routeEvent({
      hasOutbox: this.#outbox !== undefined,
      closed: this.#closed,
      stopping: this.#stopping.signal.aborted,
      disabled: this.#disabledBecause !== undefined,
      circuitOpen: this.#circuitBlocked(),
      queueFull: this.#dispatcher.size >= this.#settings.maxQueue,
      olderWaiting: this.#olderWaiting(businessId),
    });
    if (route === 'drop') {
      this.#drop(1, this.#closed ? 'the notifier is shut down' : 'it cannot be kept in memory and there is no outbox');
      return undefined;
    }
    if (this.#writer !== undefined && !this.#writer.add(record, route === 'outbox' ? 'waiting' : 'live', expiresAt)) {
      this.#drop(1, 'the outbox cannot be written and too many events already wait in memory to be written');
      return undefined;
    }
    if (route === 'outbox') {
      if (this.#circuitBlocked()) this.#metrics.failure('circuit_open');
      this.#metrics.outcome('outboxed');
      this.#drainer?.poke(this.#settings.outboxPollMs);
      return pending.id;
    }
    this.#dispatcher.push(businessId, pending);
    return pending.id;
  }

  /** An older event of this business waits for the outbox's retries, on disk or on its way there. */
  #olderWaiting(businessId: string): boolean {
    return (this.#outbox?.hasWaiting(businessId) ?? false) || (this.#writer?.hasWaiting(businessId) ?? false);
  }

  /** The first failure of each kind is logged; the writer keeps the events in memory and retries. */
  #writeFailed(failure: OutboxFailure): void {
    this.#logOnce(
      `outbox-write:${failure.kind}`,
      'error',
      `dashboard webhook: ${failure.description}; events are kept in memory and still delivered, but are NOT on disk ` +
        'until the outbox can be written again (retried in the background; a crash meanwhile would lose them)',
    );
  }

  #writesCaughtUp(written: number): void {
    this.#logger.info(`dashboard webhook: the outbox can be written again; ${written} event(s) kept in memory are on disk now`);
    // A later episode is logged afresh.
    for (const key of this.#logged) if (key.startsWith('outbox-write:')) this.#logged.delete(key);
  }

  #circuitBlocked(): boolean {
    return this.#breaker.state === 'open' && this.#now() < this.#breaker.reopensAt;
  }

  /** Whether queued events may start: not while the circuit is open or the endpoint is gone. */
  #gate(): Gate {
    if (this.#circuitBlocked() || this.#disabledBecause !== undefined) {
      if (this.#outbox !== undefined) this.#handOverQueue();
      else if (this.#disabledBecause !== undefined)
        this.#drop(this.#dispatcher.drain().length, 'the endpoint is gone (410) and there is no outbox');
      else return this.#breaker.reopensAt;
      return 'stop';
    }
    return this.#now() < this.#heldUntil ? this.#heldUntil : 'go';
  }

  /** An older event of this business is in the outbox: this one waits behind it rather than overtake. */
  #admit(key: string, item: Pending): boolean {
    if (!this.#olderWaiting(key)) return true;
    this.#toOutbox(item, 'an older event of the business is in the outbox');
    return false;
  }

  async #deliver(item: Pending): Promise<void> {
    try {
      const end = await deliverWithRetries(item, {
        send: (event) => this.#send(event),
        settings: this.#settings,
        random: this.#random,
        stopping: this.#stopping.signal,
      });
      if (end.kind === 'delivered') {
        this.#writer?.delivered(item.id, item.businessId);
        this.#metrics.outcome('delivered');
        this.#metrics.delivered((this.#now() - item.acceptedAt) / 1000);
      } else if (end.kind === 'rejected') {
        this.#reject(item, end.message);
      } else {
        if (end.kind === 'gone') this.#disable(end.message);
        this.#keep(item, end.message);
      }
    } catch (error) {
      this.#logOnce('deliver', 'error', `dashboard webhook: unexpected delivery error: ${(error as Error).message}`);
      this.#keep(item, (error as Error).message);
    }
  }

  /** The event is not delivered for now: to the outbox, or (without one) back in memory if the circuit is open, else dropped. */
  #keep(item: Pending, reason: string): void {
    if (this.#cut.signal.aborted) return; // shutdown releases every live row to the outbox at once
    if (this.#outbox !== undefined) {
      this.#toOutbox(item, reason);
      return;
    }
    if (this.#breaker.state !== 'closed' && !this.#stopping.signal.aborted && this.#disabledBecause === undefined) {
      // Kept in memory, not attempted: wait for the breaker's probe rather than spin.
      this.#heldUntil = Math.max(this.#breaker.reopensAt, this.#now() + this.#settings.baseDelayMs);
      this.#dispatcher.unshift(item.businessId, item);
      return;
    }
    this.#drop(1, `delivery failed (${reason})`);
  }

  #toOutbox(item: Pending, reason: string): void {
    const policy = { baseDelayMs: this.#settings.baseDelayMs, maxDelayMs: this.#settings.outboxMaxDelayMs };
    const next = this.#now() + retryDelay(item.attempts + 1, undefined, { ...policy, maxRetryAfterMs: 0 }, this.#random);
    this.#writer?.toWaiting(item.id, item.businessId, item.attempts, next, reason);
    this.#metrics.outcome('outboxed');
    this.#logOnce(
      'outboxed',
      'warn',
      `dashboard webhook: events are kept in the outbox ${this.outboxDir} for later delivery (first: ${reason})`,
    );
    this.#drainer?.poke(this.#settings.outboxPollMs);
  }

  /**
   * The breaker is open or the endpoint gone: what is queued goes to the outbox. A business may still have an older
   * event in flight here (sleeping out a Retry-After, say); its later events are handed over all the same, because the
   * outbox never offers a business's waiting event while an older one of it is still live (outbox.ts): they wait there
   * until it is delivered, refused or handed over too, and then go in acceptance order.
   */
  #handOverQueue(): void {
    for (const item of this.#dispatcher.drain()) this.#toOutbox(item, 'the circuit is open');
  }

  #reject(item: Pending, message: string): void {
    this.#metrics.outcome('rejected');
    this.#writer?.toDead(item.id, item.businessId, item.attempts, message);
    const kept = this.#outbox === undefined ? 'dropped' : 'kept as a dead letter';
    this.#logger.warn(`dashboard webhook: event ${item.id} refused, not retried (${message}); ${kept}`);
  }

  #drop(count: number, reason: string): void {
    this.#metrics.outcome('dropped', count);
    this.#logOnce(`drop:${reason}`, 'warn', `dashboard webhook: event dropped: ${reason}; further drops are only counted`);
  }

  #disable(message: string): void {
    if (this.#disabledBecause !== undefined) return;
    this.#disabledBecause = message;
    this.#metrics.endpointDisabled(true);
    this.#logger.error(
      `dashboard webhook DISABLED: ${message}. No event is sent until the notifier is reconfigured and restarted; ` +
        `${this.#outbox === undefined ? 'events are dropped meanwhile' : 'events are kept in the outbox meanwhile'}`,
    );
  }

  #circuitChanged(state: string): void {
    this.#metrics.circuit(state as 'closed');
    if (state === 'open') this.#logger.warn('dashboard webhook: circuit open after repeated failures; events are kept, not attempted');
    if (state === 'closed') {
      this.#logger.info('dashboard webhook: circuit closed, the dashboard answers again');
      this.#drainer?.poke();
    }
  }

  #logOnce(key: string, level: 'warn' | 'error', message: string): void {
    if (this.#logged.has(key)) return;
    this.#logged.add(key);
    this.#logger[level](message);
  }

  idle(): Promise<void> {
    return this.#dispatcher.idle();
  }

  flushOutbox(): void {
    this.#drainer?.poke();
  }

  stats() {
    const outbox = this.#closed || this.#outbox === undefined ? { waiting: 0, dead: 0 } : this.#outbox.stats(this.#now());
    return {
      queued: this.#dispatcher.size,
      inFlight: this.#dispatcher.inFlight,
      outboxWaiting: outbox.waiting,
      outboxDead: outbox.dead,
      unwritten: this.#writer?.notOnDisk ?? 0,
      circuit: this.#breaker.state,
    };
  }

  #refreshOutboxGauges(outbox: Outbox): void {
    try {
      const stats = outbox.stats(this.#now());
      this.#metrics.outbox(stats.waiting, stats.oldestAgeSeconds);
    } catch {
      // Only the gauges miss their last refresh.
    }
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }

  async #stop(): Promise<void> {
    const deadlineAt = Date.now() + this.#settings.shutdownTimeoutMs;
    this.#stopping.abort();
    this.#dispatcher.stop();
    const deadline = sleep(this.#settings.shutdownTimeoutMs, 'deadline', { ref: false });
    await Promise.race([this.idle(), deadline]);
    this.#cut.abort();
    await this.#drainer?.stop();
    const inFlight = this.#dispatcher.inFlight;
    const left = this.#dispatcher.drain();
    if (this.#outbox !== undefined && this.#writer !== undefined) {
      const { released, lost } = await releaseToOutbox(this.#outbox, this.#writer, deadlineAt, (f) => this.#writeFailed(f));
      this.#metrics.outcome('outboxed', released);
      if (released > 0) this.#logger.info(`dashboard webhook: ${released} undelivered event(s) written to the outbox at shutdown`);
      if (lost > 0) this.#drop(lost, 'the outbox could not be written before the shutdown deadline');
      this.#refreshOutboxGauges(this.#outbox);
    } else if (left.length + inFlight > 0) {
      this.#drop(left.length + inFlight, 'undelivered at shutdown and there is no outbox');
    }
    this.#closed = true;
    try {
      this.#outbox?.close();
    } catch (error) {
      // Closed all the same; rows it could not release are taken back by the next Outbox (see Outbox.close).
      this.#logOnce('outbox-close', 'error', `dashboard webhook: ${classifyOutboxFailure(error).description} at shutdown`);
    }
    this.#http.close();
  }
}
