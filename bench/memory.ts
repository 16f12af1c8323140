/**
 * Memory: the heap after a full GC that 10k counter series add, for the
 * adapter (its pipeline; `quota_denied` by user_id, cap raised), prom-client,
 * the bare OpenTelemetry SDK (Prometheus exporter as reader) and a plain Map.
 * Each measurement: the implementation made empty and scraped once over HTTP,
 * then 10k series recorded and scraped once more (steady state includes what
 * a scrape keeps), the difference after GC. Writes bench/results/memory.md.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter as PromCounter, Registry } from 'prom-client';
import { silentLogger } from '../src/logging/logger.ts';
import { startTelemetry } from '../src/sdk.ts';
import { scrape, serve } from './http.ts';
import { collectGarbage, RUNS, ratio, type Summary, show, summarise, tableRow, writeResults } from './stats.ts';

const SERIES = 10_000;
const NAME = 'genesis_meta_agent_quota_denied';
const ids = Array.from({ length: SERIES }, (_, i) => `user-${i}`);

interface Subject {
  record(): void;
  scrape(): Promise<unknown>;
  close(): Promise<void>;
}

const implementations: Record<string, () => Promise<Subject>> = {
  'plain Map': async () => {
    const map = new Map<string, number>();
    const server = await serve((_request, response) => response.end([...map].map(([id, n]) => `c{user_id="${id}"} ${n}\n`).join('')));
    return {
      record: () => {
        for (const id of ids) map.set(id, (map.get(id) ?? 0) + 1);
      },
      scrape: () => scrape(server.url, false),
      close: server.close,
    };
  },
  'prom-client': async () => {
    const registry = new Registry();
    const counter = new PromCounter({ name: `${NAME}_total`, help: 'h', labelNames: ['user_id'], registers: [registry] });
    const server = await serve(async (_request, response) => response.end(await registry.metrics()));
    return {
      record: () => {
        for (const user_id of ids) counter.inc({ user_id });
      },
      scrape: () => scrape(server.url, false),
      close: server.close,
    };
  },
  'OTel SDK': async () => {
    const reader = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [reader], views: [{ instrumentName: NAME, aggregationCardinalityLimit: SERIES + 10 }] });
    const counter = provider.getMeter('bench').createCounter(NAME);
    const server = await serve((request, response) => reader.getMetricsRequestHandler(request, response));
    return {
      record: () => {
        for (const user_id of ids) counter.add(1, { user_id });
      },
      scrape: () => scrape(server.url, false),
      close: async () => {
        await server.close();
        await provider.shutdown();
      },
    };
  },
  adapter: async () => {
    const telemetry = await startTelemetry({ host: '127.0.0.1', port: 0, logger: silentLogger, env: {}, otlp: false, maxUserIds: SERIES });
    return {
      record: () => {
        for (const id of ids) telemetry.metrics.quotaDenied(id);
      },
      scrape: () => scrape(telemetry.url as string, false),
      close: () => telemetry.shutdown(),
    };
  },
};

/** After the sockets of the last scrape and server have closed (a few turns of the loop), a full GC, then the heap. */
async function heapMiB(): Promise<number> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const samples = new Map<string, number[]>();
for (let run = -1; run < RUNS; run++) {
  for (const [name, make] of Object.entries(implementations)) {
    const subject = await make();
    // Two scrapes on each side: whatever a scrape keeps (buffers, caches) is in both measurements once.
    await subject.scrape();
    await subject.scrape();
    const empty = await heapMiB();
    subject.record();
    await subject.scrape();
    await subject.scrape();
    const full = await heapMiB();
    await subject.close();
    // Servers and readers let go of their last references on timers (the adapter's shutdown arms a 1 s one that holds
    // the whole pipeline); wait them out, so that no run's heap is freed during the next measurement.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    if (run >= 0) samples.set(name, [...(samples.get(name) ?? []), full - empty]);
  }
}

const summary = (name: string): Summary => summarise(samples.get(name) ?? []);
const table = [
  tableRow(['implementation', `heap MiB per ${SERIES.toLocaleString('en')} counter series, median (min-max)`]),
  tableRow(['---', '---']),
];
for (const name of Object.keys(implementations)) table.push(tableRow([name, show(summary(name), 2)]));
const ratios = [
  tableRow(['ratio (medians)', 'value', 'target']),
  tableRow(['---', '---', '---']),
  tableRow(['adapter / prom-client', ratio(summary('adapter'), summary('prom-client')), '<= 1.0x']),
  tableRow(['adapter / OTel SDK', ratio(summary('adapter'), summary('OTel SDK')), '-']),
  tableRow(['adapter / plain Map', ratio(summary('adapter'), summary('plain Map')), '-']),
];
await writeResults(
  'memory',
  'Memory',
  [
    `Heap after a full GC, ${RUNS} runs after a warm-up, implementations in turn in one process: each made empty and scraped once,`,
    `then ${SERIES.toLocaleString('en')} series recorded (one counter by user_id) and scraped again; the difference is quoted.`,
    'The adapter keeps per series: the cell (attributes and value) and one Map entry. Quote the median: a negative minimum is a',
    'run during which the heap released something unrelated (compiled code, an earlier run), which a full GC cannot rule out.',
  ],
  [...table, '', ...ratios],
);
