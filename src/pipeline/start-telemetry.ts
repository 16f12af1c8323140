/**
 * One call starts the SDK pipeline: resource, views from the catalog, a
 * MeterProvider, the Prometheus exporter (its server not started) mounted on
 * the library's own endpoint, and the catalog's instruments on top.
 *
 * This is the only module, with its siblings in pipeline/, that imports the SDK.
 */
import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { CATALOG } from '../catalog/catalog.ts';
import { startMetricsServer } from '../http/metrics-server.ts';
import { createGenesisMetrics, METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { DISABLED_METRICS } from '../instruments/disabled-metrics.ts';
import type { GenesisMetrics } from '../instruments/genesis-metrics.ts';
import { redactUrl } from '../push/export-failure-log.ts';
import { createOtlpPush } from '../push/otlp-push.ts';
import { type PushResult, pushTelemetry, type TelemetryPushOptions } from '../push/pushgateway.ts';
import { VERSION } from '../version.ts';
import { buildResource } from './resource.ts';
import { resolveTelemetryOptions, type TelemetryOptions } from './telemetry-options.ts';
import { viewsFromCatalog } from './views.ts';

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
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: !config.scopeLabels });
  const server = await startMetricsServer({
    host: config.host,
    port: config.port,
    auth: config.auth,
    serveMetrics: (request, response) => exporter.getMetricsRequestHandler(request, response),
  });
  // Every reader in one list: pull (the endpoint) always, OTLP push when configured.
  const readers: MetricReader[] = [exporter];
  const push = config.otlp === undefined ? undefined : createOtlpPush(config.otlp, config.logger);
  if (push !== undefined) readers.push(push.reader);
  const meterProvider = new MeterProvider({ resource, views: viewsFromCatalog(CATALOG, METER_NAME), readers });
  push?.attach(meterProvider.getMeter(METER_NAME, VERSION));
  const metrics = createGenesisMetrics({ meterProvider, enabled: true, logger: config.logger, env: config.env });

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
