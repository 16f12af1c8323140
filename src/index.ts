/**
 * genesis-telemetry: the API-only entry point. The catalog and the typed
 * recording API on any OpenTelemetry Meter; nothing here loads the SDK.
 * The pipeline (endpoint, exporters) is in `genesis-telemetry/sdk`.
 */
export {
  ADAPTER_METRICS,
  ADAPTER_NAMESPACE,
  DROPPED_MEASUREMENTS,
  EXPORT_FAILURE_REASONS,
  EXPORT_FAILURES,
  type ExportFailureReason,
  PUSH_EXPORTERS,
  type PushExporterName,
  SERIES_OVERFLOWS,
  SERIES_REMOVED,
} from './catalog/adapter-metrics.ts';
export { BUSINESS_METRICS, BUSINESS_NAMESPACE, type BusinessMetricName } from './catalog/business-metrics.ts';
export { CATALOG, findInstrumentSpec } from './catalog/catalog.ts';
export { labelTable, metricTable } from './catalog/markdown.ts';
export { otlpPrometheusName, prometheusName, prometheusSampleNames } from './catalog/naming.ts';
export { HEALTH_BANDS, type HealthBand, PORTFOLIO_METRICS } from './catalog/portfolio-metrics.ts';
export type { EnumLabelSpec, IdLabelSpec, InstrumentKind, InstrumentSpec, LabelSpec } from './catalog/types.ts';
export { isEnumLabel, OTHER_LABEL_VALUE, OVERFLOW_LABEL_VALUE } from './catalog/types.ts';
export { validateCatalog } from './catalog/validate.ts';
export {
  AUTH_FAILURE_REASONS,
  type AuthFailureReason,
  BUSINESS_TYPES,
  type BusinessType,
  CREATION_STATUSES,
  type CreationStatus,
  DEPLOYMENT_TYPES,
  type DeploymentType,
  DROP_REASONS,
  type DropReason,
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEventType,
  MEMORY_OPERATIONS,
  type MemoryOperation,
  SUCCESS_STATUSES,
  type SuccessStatus,
  TAKEDOWN_STATUSES,
  type TakedownStatus,
  VERCEL_DEPLOYMENT_STATUSES,
  type VercelDeploymentStatus,
} from './catalog/vocabulary.ts';
export {
  WEBHOOK_CIRCUIT_STATES,
  WEBHOOK_FAILURE_REASONS,
  WEBHOOK_METRICS,
  WEBHOOK_OUTCOMES,
  type WebhookCircuitState,
  type WebhookFailureReason,
  type WebhookMetricName,
  type WebhookOutcome,
} from './catalog/webhook-metrics.ts';
export { GenesisConfigError, isGenesisConfigError } from './config/config-error.ts';
export {
  DEFAULT_BUSINESS_SERIES_MAX,
  DEFAULT_BUSINESS_SERIES_TTL_SECONDS,
  type SeriesBoundsOptions,
} from './instruments/business-series-options.ts';
export type { BusinessRecord, BusinessSeriesStore } from './instruments/business-series-store.ts';
export type { BoundSeries, CatalogInstrument } from './instruments/catalog-instrument.ts';
export {
  createBusinessSeries,
  createGenesisMetrics,
  type GenesisMetricsOptions,
  METER_NAME,
} from './instruments/create-genesis-metrics.ts';
export type {
  BusinessCreation,
  CreationRun,
  DeploymentOutcome,
  GenesisMetrics,
  HealthUpdate,
  RevenueProjection,
  Takedown,
} from './instruments/genesis-metrics.ts';
export { consoleLogger, type Logger, silentLogger } from './logging/logger.ts';
export { VERSION } from './version.ts';
export {
  type BusinessInfo,
  billedEvent,
  createdEvent,
  type DashboardEvent,
  deployedEvent,
  deploymentFailedEvent,
  lifecycleEvent,
  takenDownEvent,
} from './webhook/lifecycle-events.ts';
export {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyWebhookOptions,
  type VerifyWebhookResult,
  verifyWebhook,
} from './webhook/verify.ts';
