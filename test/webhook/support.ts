/** A notifier wired for tests: tiny delays, a captured log, a readable meter, its own outbox folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboardNotifier, type DashboardNotifier } from '../../src/webhook/dashboard-notifier.ts';
import type { DashboardNotifierOptions } from '../../src/webhook/notifier-options.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { type Collected, collect, ownMeterProvider, pointValue } from '../support/test-reader.ts';

/** The delivery metrics' names, as the tests read them from a collection. */
export const FAILURES = 'genesis_meta_agent_dashboard_webhook_failures';
export const DELIVERIES = 'genesis_meta_agent_dashboard_webhook_deliveries';
export const ATTEMPTS = 'genesis_meta_agent_dashboard_webhook_attempts';
export const DISABLED = 'genesis_meta_agent_dashboard_webhook_endpoint_disabled';
export const CIRCUIT = 'genesis_meta_agent_dashboard_webhook_circuit_state';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface TestNotifier {
  readonly notifier: DashboardNotifier;
  readonly logger: CapturedLogger;
  readonly outboxDir: string;
  metric(name: string, attributes?: Record<string, string>): Promise<number>;
  collected(): Promise<Collected>;
}

const folders: string[] = [];
process.on('exit', () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

export function tempOutbox(): string {
  const folder = mkdtempSync(join(tmpdir(), 'genesis-outbox-'));
  folders.push(folder);
  return folder;
}

export function testNotifier(url: string, options: Partial<DashboardNotifierOptions> = {}): TestNotifier {
  const logger = captureLogger();
  const { provider, reader } = ownMeterProvider();
  const outboxDir = typeof options.outbox === 'string' ? options.outbox : tempOutbox();
  const notifier = createDashboardNotifier({
    url,
    secrets: SECRET,
    outbox: outboxDir,
    baseDelayMs: 2,
    maxDelayMs: 10,
    timeoutMs: 3000,
    outboxPollMs: 50,
    outboxMaxDelayMs: 20,
    breakerCooldownMs: 200,
    shutdownTimeoutMs: 2000,
    logger,
    meter: provider.getMeter('test'),
    env: {},
    ...options,
  });
  return {
    notifier,
    logger,
    outboxDir,
    collected: () => collect(reader),
    async metric(name, attributes = {}) {
      const value = pointValue(await collect(reader), name, attributes);
      return typeof value === 'number' ? value : Number.NaN;
    },
  };
}

export function event(businessId: string, seq = 0) {
  return { business_id: businessId, update_type: 'deployed', data: { seq }, timestamp: new Date().toISOString() };
}
