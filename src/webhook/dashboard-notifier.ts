/**
 * The dashboard notifier's public face: the interface, and the factory that
 * resolves the options and returns a working notifier, or a silent one when
 * no URL is configured.
 */
import { consoleLogger } from '../logging/logger.ts';
import type { DashboardEvent } from './lifecycle-events.ts';
import { Notifier } from './notifier.ts';
import { type DashboardNotifierOptions, resolveNotifierSettings } from './notifier-options.ts';
export interface DashboardNotifier {
  /** False when no URL is configured: notify() then does nothing. */
  readonly enabled: boolean;
  /** The outbox folder in use, or undefined. */
  readonly outboxDir: string | undefined;
  /**
   * Accepts one event and returns its `webhook-id` at once; undefined if it was refused (see prepare-event.ts) or
   * could not be kept. With the outbox, the event is on disk before this returns, unless the file cannot be written
   * right now: then it is kept in memory, delivered all the same, and written as soon as the file can be.
   */
  notify(event: DashboardEvent): string | undefined;
  /** Resolves when nothing is queued or in flight in memory (the outbox may still hold events). */
  idle(): Promise<void>;
  /** Delivers due outbox events now rather than at the next poll. */
  flushOutbox(): void;
  /**
   * Counts for tests, the CLI and the benchmark. `unwritten`: events accepted while the outbox file could not be
   * written, held in memory until it can be (not on disk meanwhile).
   */
  stats(): { queued: number; inFlight: number; outboxWaiting: number; outboxDead: number; unwritten: number; circuit: string };
  /** Drains within `shutdownTimeoutMs`, writes the rest to the outbox, closes. Idempotent. */
  shutdown(): Promise<void>;
}

export function createDashboardNotifier(options: DashboardNotifierOptions = {}): DashboardNotifier {
  const settings = resolveNotifierSettings(options);
  const logger = options.logger ?? consoleLogger();
  if (settings.url === undefined) {
    logger.debug('GENESIS_DASHBOARD_URL is not set: dashboard events are not sent');
    return disabledNotifier;
  }
  return new Notifier({ ...settings, url: settings.url }, options, logger);
}

const disabledNotifier: DashboardNotifier = {
  enabled: false,
  outboxDir: undefined,
  notify: () => undefined,
  idle: async () => {},
  flushOutbox() {},
  stats: () => ({ queued: 0, inFlight: 0, outboxWaiting: 0, outboxDead: 0, unwritten: 0, circuit: 'closed' }),
  shutdown: async () => {},
};
