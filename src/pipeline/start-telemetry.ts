/**
 * One call starts the SDK pipeline: resource, views from the catalog, a
 * MeterProvider, the Prometheus exporter (its server not started) mounted on
 * the library's own endpoint, and the catalog's instruments on top.
 *
 * This is the only module, with its siblings in pipeline/, that imports the SDK.
 */
import type { Meter } from '@opentelemetry/api';
import { MeterProvider, type MetricProducer, type MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { CATALOG, findInstrumentSpec } from '../catalog/catalog.ts';
import type { InstrumentSpec } from '../catalog/types.ts';
import { startMetricsServer } from '../http/metrics-server.ts';
import { idCap } from '../instruments/business-series-options.ts';
import { BusinessSeriesStore } from '../instruments/business-series-store.ts';
import { createGenesisMetrics, METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { DISABLED_METRICS } from '../instruments/disabled-metrics.ts';
import { DropAccounting } from '../instruments/drop-accounting.ts';
import type { GenesisMetrics } from '../instruments/genesis-metrics.ts';
import { redactUrl } from '../push/export-failure-log.ts';
import { type PushResult, pushTelemetry, type TelemetryPushOptions } from '../push/pushgateway.ts';
import { VERSION } from '../version.ts';
import { createBusinessMetricProducer } from './business-metric-producer.ts';
import { metricsResponder } from './metrics-response.ts';
import { overflowingInstruments } from './overflow-watch.ts';
import { buildResource } from './resource.ts';
import { SDK_DEFAULT_LIMIT, seriesLimit } from './series-limits.ts';
import { resolveTelemetryOptions, type TelemetryConfig, type TelemetryOptions } from './telemetry-options.ts';
import { viewsFromCatalog } from './views.ts';
import { WatchedPrometheusExporter } from './watched-prometheus-exporter.ts';

export interface Telemetry {
  /** The typed recording API. */
  readonly metrics: GenesisMetrics;
  /** The SDK's MeterProvider, for the application's own instruments; undefined when disabled. */
  readonly meterProvider: MeterProvider | undefined;
  /** The URL of `/metrics`; undefined when disabled. */
  readonly url: string | undefined;
  /** The bound address (the real port when 0 was asked for); undefined when disabled. */
  readonly address: { readonly host: string; readonly port: number } | undefined;
  /** Where OTLP push goes (credentials removed from the URL), when it is on. */
  readonly otlp: { readonly url: string; readonly protocol: string; readonly exportIntervalMillis: number } | undefined;
  /** A Meter on the same pipeline, for the application's own instruments. */
  getMeter(name: string, version?: string): Meter | undefined;
  /** Collects and exports pending data. Safe to call at any time, also after shutdown. */
  forceFlush(): Promise<void>;
  /** Stops the endpoint and the SDK. Safe to call twice; later calls return the first call's promise. */
  shutdown(): Promise<void>;
  /** Pushes the current values to a Prometheus Pushgateway (batch jobs); never rejects for a failed push, see PushResult. */
  pushToGateway(options: TelemetryPushOptions): Promise<PushResult>;
}

const DISABLED_TELEMETRY: Telemetry = Object.freeze({
  metrics: DISABLED_METRICS,
  meterProvider: undefined,
  url: undefined,
  address: undefined,
  otlp: undefined,
  getMeter: () => undefined,
  forceFlush: async () => {},
  shutdown: async () => {},
  pushToGateway: async (): Promise<PushResult> => ({ ok: false, reason: 'other', error: new Error('metrics are disabled') }),
});

/**
 * Starts the pipeline and the endpoint. Rejects with a GenesisConfigError for
 * a bad option or environment variable, or a port that cannot be bound.
 */
export async function startTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  const config = resolveTelemetryOptions(options);
  if (!config.enabled) {
    config.logger.info('metrics are disabled (GENESIS_METRICS_ENABLED=false or enabled: false): nothing is recorded or served');
    return DISABLED_TELEMETRY;
  }
  const resource = buildResource(
    { serviceName: config.serviceName, serviceInstanceId: config.serviceInstanceId, attributes: config.resourceAttributes },
    config.env,
  );
  const { ttlSeconds, maxBusinesses, maxTracked, maxUserIds } = config.seriesBounds;
  const businessSeries = new BusinessSeriesStore({ ttlSeconds, maxBusinesses, maxTracked, ...(config.now ? { now: config.now } : {}) });
  // Every reader gets a producer of the same store, so pull and push show the same live businesses. The endpoint
  // renders the store itself, so its exporter gets it only for collect() (the Pushgateway); push gets its own temporality.
  const rendered = createBusinessMetricProducer(businessSeries);
  businessSeries.cells.collected = true; // said outright: the producers below and the endpoint report the adapter's cells
  const temporality = config.otlp === undefined || config.otlp.temporality === 'cumulative' ? 'cumulative' : 'delta';
  const metricProducers: MetricProducer[] = [createBusinessMetricProducer(businessSeries, { temporality })];
  let watchOverflow: (resourceMetrics: ResourceMetrics) => void = () => {};
  const exporter = new WatchedPrometheusExporter(
    { preventServerStart: true, withoutScopeInfo: !config.scopeLabels },
    (resourceMetrics) => watchOverflow(resourceMetrics),
    rendered,
  );
  const server = await startMetricsServer({
    host: config.host,
    port: config.port,
    auth: config.auth,
    serveMetrics: metricsResponder(exporter, {
      store: businessSeries,
      scopeLabels: config.scopeLabels,
    }),
  });
  const maxIds = (spec: InstrumentSpec) => idCap(spec, maxUserIds);
  // Every reader in one list: pull (the endpoint) always, OTLP push when configured, each with the same producers.
  const readers: MetricReader[] = [exporter];
  // The OTLP exporters (protobuf among them) cost about 150 ms of start-up: loaded only when push is on.
  const push =
    config.otlp === undefined
      ? undefined
      : (await import('../push/otlp-push.ts')).createOtlpPush(config.otlp, config.logger, metricProducers);
  if (push !== undefined) readers.push(push.reader);
  const meterProvider = new MeterProvider({ resource, views: viewsFromCatalog(CATALOG, METER_NAME, maxIds), readers });
  push?.attach(meterProvider.getMeter(METER_NAME, VERSION));
  const metrics = createGenesisMetrics({
    meterProvider,
    enabled: true,
    logger: config.logger,
    env: config.env,
    businessSeries,
    maxUserIds,
  });
  watchOverflow = overflowWatcher(meterProvider.getMeter(METER_NAME), config, maxIds);

  let stopped: Promise<void> | undefined;
  return {
    metrics,
    meterProvider,
    url: server.url,
    address: { host: server.host, port: server.port },
    otlp: config.otlp && {
      url: redactUrl(config.otlp.url),
      protocol: config.otlp.protocol,
      exportIntervalMillis: config.otlp.exportIntervalMillis,
    },
    getMeter: (name, version) => meterProvider.getMeter(name, version),
    forceFlush: async () => {
      if (stopped === undefined) await meterProvider.forceFlush();
    },
    pushToGateway: (pushOptions) => pushTelemetry(exporter, meterProvider.getMeter(METER_NAME, VERSION), config.logger, pushOptions),
    shutdown() {
      stopped ??= Promise.all([server.close(), meterProvider.shutdown()]).then(() => undefined);
      return stopped;
    },
  };
}

/**
 * Counts and logs every instrument the SDK reports as overflowing, once: its
 * merged series does not say how many measurements it took, and counting it
 * on every collection would count scrapes, not measurements.
 */
function overflowWatcher(meter: Meter, config: TelemetryConfig, maxIds: (spec: InstrumentSpec) => number | undefined) {
  const accounting = new DropAccounting(meter, config.logger);
  const seen = new Set<string>();
  return (resourceMetrics: ResourceMetrics) => {
    for (const name of overflowingInstruments(resourceMetrics)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const spec = findInstrumentSpec(name);
      accounting.overflowed(name, spec ? seriesLimit(spec, maxIds(spec)) : SDK_DEFAULT_LIMIT, 'otel_metric_overflow="true"');
    }
  };
}
