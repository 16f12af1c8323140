/**
 * The notifier's own metrics, created from the catalog on the Meter it is
 * given (a no-op Meter costs nothing). Never labelled with a business id.
 * Give it the adapter's scope (`telemetry.getMeter(METER_NAME)`): the
 * pipeline's views (buckets, series limits) select that scope, and the
 * adapter's own counters then stay one family.
 */
import { type Meter, metrics } from '@opentelemetry/api';
import {
  WEBHOOK_CIRCUIT_STATES,
  WEBHOOK_METRICS,
  type WebhookCircuitState,
  type WebhookFailureReason,
  type WebhookMetricName,
  type WebhookOutcome,
} from '../catalog/webhook-metrics.ts';
import { CatalogInstrument } from '../instruments/catalog-instrument.ts';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { DropAccounting } from '../instruments/drop-accounting.ts';
import type { Logger } from '../logging/logger.ts';
import { VERSION } from '../version.ts';

export class DeliveryMetrics {
  readonly #instruments = new Map<WebhookMetricName, CatalogInstrument>();

  constructor(meter: Meter | undefined, logger: Logger) {
    const used = meter ?? metrics.getMeter(METER_NAME, VERSION);
    const drops = new DropAccounting(used, logger);
    for (const spec of WEBHOOK_METRICS) {
      const instrument = new CatalogInstrument(used, spec, drops);
      instrument.initializeSeries();
      this.#instruments.set(spec.name, instrument);
    }
    this.circuit('closed');
    this.queueDepth(0);
    this.endpointDisabled(false);
  }

  #record(name: WebhookMetricName, value: number, labels?: Record<string, string>): void {
    this.#instruments.get(name)?.record(value, labels);
  }

  failure(reason: WebhookFailureReason): void {
    this.#record('genesis_meta_agent_dashboard_webhook_failures', 1, { reason });
  }

  outcome(outcome: WebhookOutcome, count = 1): void {
    if (count > 0) this.#record('genesis_meta_agent_dashboard_webhook_deliveries', count, { outcome });
  }

  attempt(): void {
    this.#record('genesis_meta_agent_dashboard_webhook_attempts', 1);
  }

  delivered(seconds: number): void {
    this.#record('genesis_meta_agent_dashboard_webhook_delivery_duration_seconds', Math.max(0, seconds));
  }

  queueDepth(depth: number): void {
    this.#record('genesis_meta_agent_dashboard_webhook_queue_depth', depth);
  }

  outbox(depth: number, oldestAgeSeconds: number): void {
    this.#record('genesis_meta_agent_dashboard_webhook_outbox_depth', depth);
    this.#record('genesis_meta_agent_dashboard_webhook_outbox_oldest_age_seconds', oldestAgeSeconds);
  }

  endpointDisabled(disabled: boolean): void {
    this.#record('genesis_meta_agent_dashboard_webhook_endpoint_disabled', disabled ? 1 : 0);
  }

  circuit(state: WebhookCircuitState): void {
    for (const each of WEBHOOK_CIRCUIT_STATES) {
      this.#record('genesis_meta_agent_dashboard_webhook_circuit_state', each === state ? 1 : 0, { state: each });
    }
  }
}
