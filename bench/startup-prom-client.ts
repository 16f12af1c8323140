/** bench/startup.ts's prom-client child: the catalog's instruments as prom-client metrics, served by node:http, then the URL. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CATALOG } from '../src/catalog/catalog.ts';

const registry = new Registry();
for (const spec of CATALOG) {
  const labelNames = spec.labels.map((label) => label.key);
  const common = { help: spec.description, labelNames, registers: [registry] };
  if (spec.kind === 'counter') new Counter({ name: `${spec.name}_total`, ...common });
  else if (spec.kind === 'gauge') new Gauge({ name: spec.name, ...common });
  else new Histogram({ name: spec.name, buckets: [...(spec.buckets ?? [])], ...common });
}
const server = createServer(async (_request, response) => {
  response.writeHead(200, { 'content-type': registry.contentType });
  response.end(await registry.metrics());
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`));
