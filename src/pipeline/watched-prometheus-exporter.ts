/**
 * The OpenTelemetry Prometheus exporter, with every collection it serves
 * shown to a watcher first (the overflow watch). Its names and serialisation
 * stay the exporter's own.
 *
 * What the endpoint renders itself (the adapter's catalog cells and the
 * per-business gauges, see metrics-response.ts) is not among its producers;
 * `collect()` adds it back from the `rendered` producer, so that everyone else
 * who reads this exporter (the Pushgateway push) sees the whole collection.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { CollectionResult, MetricCollectOptions, MetricProducer, ResourceMetrics } from '@opentelemetry/sdk-metrics';

type ExporterConfig = ConstructorParameters<typeof PrometheusExporter>[0];

export class WatchedPrometheusExporter extends PrometheusExporter {
  readonly #watch: (resourceMetrics: ResourceMetrics) => void;
  readonly #rendered: MetricProducer | undefined;

  constructor(config: ExporterConfig, watch: (resourceMetrics: ResourceMetrics) => void, rendered?: MetricProducer) {
    super(config);
    this.#watch = watch;
    this.#rendered = rendered;
  }

  /** Everything but what the endpoint renders itself, watched: what the endpoint serialises first. */
  async collectWithoutRendered(options?: MetricCollectOptions): Promise<CollectionResult> {
    const result = await super.collect(options);
    try {
      this.#watch(result.resourceMetrics);
    } catch {
      // Watching is best effort: a scrape never fails because of it.
    }
    return result;
  }

  override async collect(options?: MetricCollectOptions): Promise<CollectionResult> {
    const result = await this.collectWithoutRendered(options);
    if (this.#rendered === undefined) return result;
    const extra = await this.#rendered.collect(options);
    result.resourceMetrics.scopeMetrics.push(...extra.resourceMetrics.scopeMetrics);
    return { resourceMetrics: result.resourceMetrics, errors: [...result.errors, ...extra.errors] };
  }
}
