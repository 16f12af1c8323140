/**
 * A second scrape target that serves the dashboard webhook's metrics, until
 * the demo runs a real notifier: the library's own pipeline (the same exporter
 * and views as the agent's endpoint), with the catalog's webhook instruments
 * recorded on its meter the way a notifier records them — attempts that fail
 * and succeed, deliveries, latency, queue and outbox gauges, breaker state.
 * It also passes one out-of-range health score through the real guard every
 * tick, so the adapter's dropped-measurement counter is served as in the field.
 */
import type { Counter, Gauge, Histogram } from '@opentelemetry/api';
import { WEBHOOK_METRICS } from '../../src/catalog/webhook-metrics.ts';
import { createOtelInstrument } from '../../src/instruments/catalog-instrument.ts';
import { METER_NAME } from '../../src/instruments/create-genesis-metrics.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { startTelemetry } from '../../src/pipeline/start-telemetry.ts';
import { VERSION } from '../../src/version.ts';

export interface WebhookSeriesTarget {
  /** host:port to scrape. */
  readonly target: string;
  stop(): Promise<void>;
}

type WebhookInstrumentName = (typeof WEBHOOK_METRICS)[number]['name'];

export async function startWebhookSeriesTarget(): Promise<WebhookSeriesTarget> {
  const telemetry = await startTelemetry({ port: 0, logger: silentLogger, env: {} });
  const meter = telemetry.getMeter(METER_NAME, VERSION);
  if (meter === undefined || telemetry.address === undefined) throw new Error('metrics are disabled');
  const instruments = new Map(WEBHOOK_METRICS.map((spec) => [spec.name, createOtelInstrument(meter, spec)]));
  const get = <T>(name: WebhookInstrumentName) => instruments.get(name) as T;
  const failures = get<Counter>('genesis_meta_agent_dashboard_webhook_failures');
  const deliveries = get<Counter>('genesis_meta_agent_dashboard_webhook_deliveries');
  const attempts = get<Counter>('genesis_meta_agent_dashboard_webhook_attempts');
  const duration = get<Histogram>('genesis_meta_agent_dashboard_webhook_delivery_duration_seconds');
  const queueDepth = get<Gauge>('genesis_meta_agent_dashboard_webhook_queue_depth');
  const outboxDepth = get<Gauge>('genesis_meta_agent_dashboard_webhook_outbox_depth');
  const oldestAge = get<Gauge>('genesis_meta_agent_dashboard_webhook_outbox_oldest_age_seconds');
  const circuit = get<Gauge>('genesis_meta_agent_dashboard_webhook_circuit_state');
  const started = Date.now();

  const tick = () => {
    // Ten events: nine delivered at the first try, one after a timeout and a retry.
    attempts.add(11);
    failures.add(1, { reason: 'timeout' });
    deliveries.add(10, { outcome: 'delivered' });
    for (let i = 0; i < 9; i++) duration.record(0.02 + i * 0.01);
    duration.record(1.2);
    queueDepth.record(2);
    outboxDepth.record(1);
    oldestAge.record((Date.now() - started) / 1000);
    for (const state of ['closed', 'half_open', 'open']) circuit.record(state === 'closed' ? 1 : 0, { state });
    telemetry.metrics.businessHealth({ businessId: 'biz-out-of-range', businessType: 'saas', score: 1.5 });
  };
  tick();
  const timer = setInterval(tick, 200);
  timer.unref();
  return {
    target: `${telemetry.address.host}:${telemetry.address.port}`,
    async stop() {
      clearInterval(timer);
      await telemetry.shutdown();
    },
  };
}
