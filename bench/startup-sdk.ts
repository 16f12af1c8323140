/** bench/startup.ts's bare-SDK child: the catalog's instruments on a MeterProvider, the Prometheus exporter's handler served. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { CATALOG } from '../src/catalog/catalog.ts';

const exporter = new PrometheusExporter({ preventServerStart: true });
const meter = new MeterProvider({ readers: [exporter] }).getMeter('bench');
for (const spec of CATALOG) {
  const options = { description: spec.description, unit: spec.unit };
  if (spec.kind === 'counter') meter.createCounter(spec.name, options);
  else if (spec.kind === 'gauge') meter.createGauge(spec.name, options);
  else meter.createHistogram(spec.name, { ...options, advice: { explicitBucketBoundaries: [...(spec.buckets ?? [])] } });
}
// Its handler behind node:http, so that port 0 can be asked for and read back.
const server = createServer((request, response) => exporter.getMetricsRequestHandler(request, response));
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`));
