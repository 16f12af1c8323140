/**
 * Serves `/metrics`: the exporter's own serialisation of everything on the
 * pipeline but the adapter's series (target_info, the application's
 * instruments, the portfolio aggregates, the adapter's own counters), then the
 * catalog cells and the per-business gauges rendered straight from the
 * adapter's memory, in chunks, giving the event loop back between them so that
 * a large scrape never blocks the application for long.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { CellRenderer } from '../exposition/render-cells.ts';
import type { BusinessSeriesStore } from '../instruments/business-series-store.ts';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { VERSION } from '../version.ts';
import { renderBusinessGauges } from './render-business-gauges.ts';
import type { WatchedPrometheusExporter } from './watched-prometheus-exporter.ts';

/** What the exporter writes when there is nothing at all. */
const NOTHING = '# no registered metrics';

export interface MetricsResponderOptions {
  /** The store whose cells and per-business records are rendered here. */
  readonly store: BusinessSeriesStore;
  /** Add otel_scope_name/otel_scope_version to every series. */
  readonly scopeLabels: boolean;
}

export function metricsResponder(exporter: WatchedPrometheusExporter, options: MetricsResponderOptions) {
  const { store, scopeLabels } = options;
  // The exporter's own serialiser, configured as the exporter configures it (no prefix, no timestamps, target_info).
  const serializer = new PrometheusSerializer('', false, undefined, false, !scopeLabels);
  const renderer = new CellRenderer({ scope: scopeLabels ? { name: METER_NAME, version: VERSION } : undefined });
  return (_request: IncomingMessage, response: ServerResponse): void => {
    void respond(response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end(`# failed to export metrics: ${String(error)}`);
      } else {
        response.destroy(error instanceof Error ? error : undefined);
      }
    });
  };

  function* ownSeries(): Generator<string> {
    yield* renderer.render(store.cells);
    yield* renderBusinessGauges(store, renderer.scopeLabels === '' ? '' : `,${renderer.scopeLabels}`);
  }

  async function respond(response: ServerResponse): Promise<void> {
    const { resourceMetrics } = await exporter.collectWithoutRendered();
    let rest = serializer.serialize(resourceMetrics);
    const chunks = ownSeries();
    const first = chunks.next();
    if (rest === NOTHING && !first.done) rest = '';
    response.statusCode = 200;
    response.setHeader('content-type', 'text/plain');
    response.write(rest);
    if (first.done) {
      response.end();
      return;
    }
    response.write(first.value);
    for (const chunk of chunks) {
      await nextTurn();
      if (response.destroyed) return;
      response.write(chunk);
    }
    response.end();
  }
}
