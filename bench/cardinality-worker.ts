/**
 * One measurement of the cardinality benchmark, in its own process so heaps
 * do not mix: churn N businesses through either the adapter (the bounded
 * store) or the bare OpenTelemetry SDK (sync gauges keyed by business_id,
 * with the cardinality limit raised so it keeps what it is given, as users who
 * hit the default 2000 are told to do), then report the time the churn itself
 * took, the series served, the heap after GC, and the scrape time. Prints one
 * JSON line.
 *
 * Usage: node --expose-gc bench/cardinality-worker.ts <adapter|sdk> <businesses>
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BUSINESS_TYPES } from '../src/index.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { startTelemetry } from '../src/sdk.ts';

const [implementation = 'adapter', countText = '10000'] = process.argv.slice(2);
const businesses = Number(countText);
const gc = globalThis.gc as (() => void) | undefined;
if (gc === undefined) throw new Error('run with --expose-gc');

/**
 * Churn: each business gets a projection and a health score; half are taken
 * down later. Returns the wall time of the whole loop in ms: the recording
 * cost as the application pays it, which must not grow with the businesses
 * already seen (past the tracked cap the adapter forgets one per update).
 */
function churn(record: (id: string, type: string, i: number) => void, takeDown: (id: string) => void): number {
  const started = performance.now();
  for (let i = 0; i < businesses; i++) {
    record(`biz-${i}`, BUSINESS_TYPES[i % BUSINESS_TYPES.length] as string, i);
    if (i % 2 === 1) takeDown(`biz-${i - 1}`);
  }
  return performance.now() - started;
}

async function timeScrapes(url: string): Promise<{ ms: number; series: number; bytes: number }> {
  const times: number[] = [];
  let text = '';
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    text = await (await fetch(url)).text();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const series = text
    .split('\n')
    .filter((line) => line.startsWith('genesis_meta_agent_revenue') || line.startsWith('genesis_meta_agent_business_health')).length;
  return { ms: times[2] ?? 0, series, bytes: text.length };
}

function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const baseline = heapMiB();
let result: { churnMs: number; series: number; heapMiB: number; scrapeMs: number; bytes: number };
if (implementation === 'adapter') {
  const telemetry = await startTelemetry({ port: 0, env: {}, logger: silentLogger });
  const m = telemetry.metrics;
  const churnMs = churn(
    (businessId, businessType, i) => {
      m.revenueProjected({ businessId, businessType: businessType as never, mrrUsd: i, confidence: 0.5 });
      m.businessHealth({ businessId, businessType: businessType as never, score: 0.7 });
    },
    (businessId) => m.businessTakenDown({ businessId, status: 'success' }),
  );
  const heap = heapMiB() - baseline;
  const scrape = await timeScrapes(telemetry.url as string);
  result = { churnMs, series: scrape.series, heapMiB: heap, scrapeMs: scrape.ms, bytes: scrape.bytes };
  await telemetry.shutdown();
} else {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const provider = new MeterProvider({ readers: [exporter], views: [{ instrumentName: '*', aggregationCardinalityLimit: 10_000_000 }] });
  const meter = provider.getMeter('bare');
  const mrr = meter.createGauge('genesis_meta_agent_revenue_projected_mrr');
  const confidence = meter.createGauge('genesis_meta_agent_revenue_confidence');
  const health = meter.createGauge('genesis_meta_agent_business_health_score');
  const churnMs = churn(
    (business_id, _type, i) => {
      mrr.record(i, { business_id });
      confidence.record(0.5, { business_id });
      health.record(0.7, { business_id });
    },
    () => {}, // the SDK has no way to forget a series
  );
  const heap = heapMiB() - baseline;
  const server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scrape = await timeScrapes(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
  result = { churnMs, series: scrape.series, heapMiB: heap, scrapeMs: scrape.ms, bytes: scrape.bytes };
  server.close();
  await provider.shutdown();
}
console.log(JSON.stringify({ implementation, businesses, ...result }));
