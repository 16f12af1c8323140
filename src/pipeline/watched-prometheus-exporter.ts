/**
 * The OpenTelemetry Prometheus exporter, with every collection it serves
 * shown to a watcher first (the overflow watch). Its request handler, names
 * and serialisation stay the exporter's own.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { CollectionResult, MetricCollectOptions, ResourceMetrics } from '@opentelemetry/sdk-metrics';

type ExporterConfig = ConstructorParameters<typeof PrometheusExporter>[0];

export class WatchedPrometheusExporter extends PrometheusExporter {
  readonly #watch: (resourceMetrics: ResourceMetrics) => void;

  constructor(config: ExporterConfig, watch: (resourceMetrics: ResourceMetrics) => void) {
    super(config);
    this.#watch = watch;
  }

  override async collect(options?: MetricCollectOptions): Promise<CollectionResult> {
    const result = await super.collect(options);
    try {
      this.#watch(result.resourceMetrics);
    } catch {
      // Watching is best effort: a scrape never fails because of it.
    }
    return result;
  }
}
