/**
 * OTLP push: the exporter for the configured encoding (JSON from
 * exporter-metrics-otlp-http, protobuf from exporter-metrics-otlp-proto),
 * wrapped to count failures, on a periodic reader whose shutdown flushes the
 * last interval within the export timeout.
 */
import type { Meter } from '@opentelemetry/api';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { type MetricProducer, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { PushExporterName } from '../catalog/adapter-metrics.ts';
import type { Logger } from '../logging/logger.ts';
import { CountingExporter } from './counting-exporter.ts';
import { ExportFailureLog } from './export-failure-log.ts';
import type { OtlpPushConfig, Temporality } from './otlp-options.ts';

const PREFERENCE: Readonly<Record<Temporality, AggregationTemporalityPreference>> = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
};

export function otlpExporterName(config: Pick<OtlpPushConfig, 'protocol'>): PushExporterName {
  return config.protocol === 'http/json' ? 'otlp_http_json' : 'otlp_http_protobuf';
}

export function createOtlpExporter(config: OtlpPushConfig): PushMetricExporter {
  const options = {
    url: config.url,
    headers: { ...config.headers },
    timeoutMillis: config.timeoutMillis,
    compression: config.compression,
    temporalityPreference: PREFERENCE[config.temporality],
    // Given, so that the exporter's agent comes from the resolved configuration (keep-alive, as its default).
    httpAgentOptions: { keepAlive: true, ...config.tls },
  } as ConstructorParameters<typeof JsonExporter>[0];
  return withoutOtlpVariables(() => (config.protocol === 'http/json' ? new JsonExporter(options) : new ProtobufExporter(options)));
}

/**
 * Runs `construct` with the OTLP exporter variables taken out of process.env.
 * The exporters read them in their constructors as fallbacks (url, timeout,
 * compression, certificate files) and merge OTEL_EXPORTER_OTLP_[METRICS_]HEADERS
 * from process.env under the headers they are given (otlp-exporter-base's
 * mergeHeaders), so a header the application never configured would be sent.
 * The library's contract is that the resolved configuration, from the
 * options and the `env` it was given, is all there is. The constructors are
 * synchronous and keep what they read (nothing reads process.env at export
 * time), so nothing else can observe the variables missing, and they are put
 * back even if a constructor throws.
 */
function withoutOtlpVariables<T>(construct: () => T): T {
  const hidden: [string, string][] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('OTEL_EXPORTER_OTLP_') || value === undefined) continue;
    hidden.push([name, value]);
    delete process.env[name];
  }
  try {
    return construct();
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
}

/**
 * The most the last flush may hold up shutdown, whatever the export timeout.
 * MeterProvider.shutdown() has no bound of its own (sdk-metrics 3.1.1 passes
 * no timeout to the readers unless given one, and waits as long as an export
 * takes), so this is the only one: under the 30 s Kubernetes grants by default
 * between SIGTERM and SIGKILL, leaving the rest of the process time to stop.
 */
const SHUTDOWN_BOUND_CAP_MS = 25_000;

/** A periodic reader whose shutdown (the last flush included) returns within `exportTimeoutMillis`, at most 25 s. */
class BoundedPeriodicReader extends PeriodicExportingMetricReader {
  readonly #exporter: CountingExporter;
  readonly #boundMillis: number;

  constructor(exporter: CountingExporter, config: OtlpPushConfig, metricProducers: MetricProducer[] | undefined) {
    super({
      exporter,
      exportIntervalMillis: config.exportIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
      ...(metricProducers === undefined ? {} : { metricProducers }),
    });
    this.#exporter = exporter;
    this.#boundMillis = Math.min(config.exportTimeoutMillis, SHUTDOWN_BOUND_CAP_MS);
  }

  protected override async onShutdown(): Promise<void> {
    this.#exporter.final = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#boundMillis);
      timer.unref();
    });
    const outcome = await Promise.race([super.onShutdown().catch(() => 'done' as const), bound]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.#exporter.abandonPending(this.#boundMillis);
  }
}

export interface OtlpPush {
  readonly reader: PeriodicExportingMetricReader;
  readonly exporterName: PushExporterName;
  /** Binds the failure counter to the pipeline's meter (once the MeterProvider exists). */
  attach(meter: Meter): void;
}

export function createOtlpPush(config: OtlpPushConfig, logger: Logger, metricProducers?: MetricProducer[]): OtlpPush {
  const exporterName = otlpExporterName(config);
  const log = new ExportFailureLog({ exporter: exporterName, target: config.url, logger, logIntervalMillis: config.exportIntervalMillis });
  const exporter = new CountingExporter(createOtlpExporter(config), log);
  return {
    reader: new BoundedPeriodicReader(exporter, config, metricProducers),
    exporterName,
    attach: (meter) => log.attach(meter),
  };
}
