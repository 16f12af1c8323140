/**
 * genesis-telemetry/sdk: the pipeline. Starts the OpenTelemetry SDK with the
 * catalog's views and serves Prometheus metrics from the library's endpoint.
 */
export { HEALTH_PATH, METRICS_PATH } from './http/metrics-server.ts';
export { type BusinessMetricProducerOptions, createBusinessMetricProducer } from './pipeline/business-metric-producer.ts';
export { buildResource, DEFAULT_SERVICE_NAME, parseResourceAttributes } from './pipeline/resource.ts';
export { SDK_DEFAULT_LIMIT, seriesLimit } from './pipeline/series-limits.ts';
export { startTelemetry, type Telemetry } from './pipeline/start-telemetry.ts';
export { DEFAULT_HOST, DEFAULT_PORT, type EndpointAuth, type TelemetryOptions } from './pipeline/telemetry-options.ts';
export { viewsFromCatalog } from './pipeline/views.ts';
export type { OtlpProtocol, OtlpPushOptions, Temporality } from './push/otlp-options.ts';
export type { OtlpTlsOptions } from './push/otlp-tls.ts';
export {
  deleteFromGateway,
  type GatewayTarget,
  type PushResult,
  type PushToGatewayOptions,
  pushToGateway,
  serializeReader,
  type TelemetryPushOptions,
} from './push/pushgateway.ts';
export { createDashboardNotifier, type DashboardNotifier } from './webhook/dashboard-notifier.ts';
export { type DashboardNotifierOptions, NOTIFIER_DEFAULTS } from './webhook/notifier-options.ts';
export { Outbox, type OutboxRow } from './webhook/outbox.ts';
export { defaultOutboxDir } from './webhook/outbox-location.ts';
export {
  type ReceivedEvent,
  startVerifyingReceiver,
  type VerifyingReceiver,
  type VerifyingReceiverOptions,
} from './webhook/verifying-receiver.ts';
