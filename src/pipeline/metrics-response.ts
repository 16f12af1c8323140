/**
 * Serves `/metrics`: the exporter's own serialisation of everything on the
 * pipeline except the catalog cells (target_info, the application's
 * instruments, the per-business and portfolio gauges, the adapter's own
 * counters), then the catalog cells rendered straight from the adapter's
 * memory, in chunks, giving the event loop back between them so that a large
 * scrape never blocks the application for long.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { CellRenderer } from '../exposition/render-cells.ts';
import type { CellRegistry } from '../instruments/cell-registry.ts';
import { METER_NAME } from '../instruments/create-genesis-metrics.ts';
import { VERSION } from '../version.ts';
import type { WatchedPrometheusExporter } from './watched-prometheus-exporter.ts';

/** What the exporter writes when there is nothing at all. */
const NOTHING = '# no registered metrics';

export function metricsResponder(exporter: WatchedPrometheusExporter, cells: CellRegistry, scopeLabels: boolean) {
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

  async function respond(response: ServerResponse): Promise<void> {
    const { resourceMetrics } = await exporter.collectWithoutCells();
    let rest = serializer.serialize(resourceMetrics);
    const chunks = renderer.render(cells);
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
