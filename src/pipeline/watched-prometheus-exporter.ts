/**
 * The OpenTelemetry Prometheus exporter, with every collection it serves
 * shown to a watcher first (the overflow watch). Its names and serialisation
 * stay the exporter's own.
 *
 * The catalog series the adapter keeps (the cell registry) are not among its
 * producers, because the endpoint renders them itself (metrics-response.ts);
 * `collect()` adds them back, so that everyone else who reads this exporter
 * (the Pushgateway push) sees the whole collection.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { CollectionResult, MetricCollectOptions, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { CellRegistry } from '../instruments/cell-registry.ts';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { VERSION } from '../version.ts';
import { cellMetrics } from './cell-metrics.ts';

type ExporterConfig = ConstructorParameters<typeof PrometheusExporter>[0];

export class WatchedPrometheusExporter extends PrometheusExporter {
  readonly #watch: (resourceMetrics: ResourceMetrics) => void;
  readonly #cells: CellRegistry | undefined;

  constructor(config: ExporterConfig, watch: (resourceMetrics: ResourceMetrics) => void, cells?: CellRegistry) {
    super(config);
    this.#watch = watch;
    this.#cells = cells;
  }

  /** Everything but the catalog cells, watched: what the endpoint serialises before rendering the cells. */
  async collectWithoutCells(options?: MetricCollectOptions): Promise<CollectionResult> {
    const result = await super.collect(options);
    try {
      this.#watch(result.resourceMetrics);
    } catch {
      // Watching is best effort: a scrape never fails because of it.
    }
    return result;
  }

  override async collect(options?: MetricCollectOptions): Promise<CollectionResult> {
    const result = await this.collectWithoutCells(options);
    const metrics = this.#cells === undefined ? [] : cellMetrics(this.#cells, Date.now());
    if (metrics.length > 0) result.resourceMetrics.scopeMetrics.push({ scope: { name: METER_NAME, version: VERSION }, metrics });
    return result;
  }
}
