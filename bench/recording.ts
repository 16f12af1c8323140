/**
 * Recording: a labelled counter increment and a histogram observation, with 1
 * and 30 series, through the adapter (its typed API, the generic instrument
 * call and the pre-bound form), prom-client, the bare OpenTelemetry SDK and a
 * plain Map, in one process, interleaved run by run. Writes
 * bench/results/recording.md.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { Counter as PromCounter, Histogram as PromHistogram, Registry } from 'prom-client';
import { findInstrumentSpec } from '../src/catalog/catalog.ts';
import { BUSINESS_TYPES, CREATION_STATUSES } from '../src/catalog/vocabulary.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { startTelemetry } from '../src/sdk.ts';
import { RUNS, ratio, type Summary, show, summarise, tableRow, writeResults } from './stats.ts';

const OPS = 400_000;
const COUNTER = 'genesis_meta_agent_businesses_created';
const HISTOGRAM = 'genesis_meta_agent_execution_duration_seconds';
const BUCKETS = [...(findInstrumentSpec(HISTOGRAM)?.buckets ?? [])];

const counterLabels = BUSINESS_TYPES.flatMap((business_type) => CREATION_STATUSES.map((status) => ({ business_type, status })));
/** The plain baseline's keys, joined once: the Map's own cost, the limit the issue measures against. */
const counterKeys = counterLabels.map((l) => `${l.business_type}|${l.status}`);
const histogramLabels = BUSINESS_TYPES.map((business_type) => ({ business_type }));
const values = Array.from({ length: 64 }, (_, i) => (i * 37) % 700);

// The adapter, on its own pipeline (the Prometheus endpoint on 127.0.0.1, port 0).
const telemetry = await startTelemetry({ host: '127.0.0.1', port: 0, logger: silentLogger, env: {}, otlp: false });
const adapter = telemetry.metrics;
const adapterCounter = adapter.instrument(COUNTER);
const adapterHistogram = adapter.instrument(HISTOGRAM);
if (adapterCounter === undefined || adapterHistogram === undefined) throw new Error('catalog instruments missing');
const boundCounters = counterLabels.map((labels) => adapterCounter.bind(labels));
const boundHistograms = histogramLabels.map((labels) => adapterHistogram.bind(labels));

// prom-client, with its own registry.
const registry = new Registry();
const promCounter = new PromCounter({
  name: `${COUNTER}_total`,
  help: 'h',
  labelNames: ['business_type', 'status'],
  registers: [registry],
});
const promHistogram = new PromHistogram({
  name: HISTOGRAM,
  help: 'h',
  labelNames: ['business_type'],
  buckets: BUCKETS,
  registers: [registry],
});

// The bare SDK with the Prometheus exporter as its reader, the same buckets by a view.
const sdk = new MeterProvider({
  readers: [new PrometheusExporter({ preventServerStart: true })],
  views: [
    { instrumentName: HISTOGRAM, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: BUCKETS } } },
  ],
});
const sdkCounter = sdk.getMeter('bench').createCounter(COUNTER);
const sdkHistogram = sdk.getMeter('bench').createHistogram(HISTOGRAM);

// The plain baseline: a Map by joined key, and a cell resolved once.
const plainCounts = new Map<string, number>();
const plainCells = counterLabels.map(() => ({ value: 0 }));
const plainHistograms = new Map<string, { counts: number[]; sum: number; count: number }>();
function plainObserve(labels: { business_type: string }, value: number): void {
  let cell = plainHistograms.get(labels.business_type);
  if (cell === undefined) {
    cell = { counts: BUCKETS.map(() => 0).concat(0), sum: 0, count: 0 };
    plainHistograms.set(labels.business_type, cell);
  }
  let i = 0;
  while (i < BUCKETS.length && value > (BUCKETS[i] as number)) i++;
  cell.counts[i] = (cell.counts[i] ?? 0) + 1;
  cell.sum += value;
  cell.count++;
}

type Case = readonly [label: string, series: 1 | 30, body: (i: number) => void];
const at = <T>(list: readonly T[], i: number, series: number) => list[series === 1 ? 0 : i % list.length] as T;
const counterCases = (series: 1 | 30): Case[] => [
  [
    'plain Map get+set',
    series,
    (i) => {
      const key = at(counterKeys, i, series);
      plainCounts.set(key, (plainCounts.get(key) ?? 0) + 1);
    },
  ],
  [
    'plain pre-bound cell',
    series,
    (i) => {
      at(plainCells, i, series).value += 1;
    },
  ],
  ['prom-client inc(labels)', series, (i) => promCounter.inc(at(counterLabels, i, series))],
  ['OTel SDK add(1, attrs)', series, (i) => sdkCounter.add(1, at(counterLabels, i, series))],
  ['adapter instrument().record(1, labels)', series, (i) => adapterCounter.record(1, at(counterLabels, i, series))],
  [
    'adapter typed memoryOperation(op, status)',
    series,
    (i) => {
      const l = at(counterLabels, i, series);
      adapter.memoryOperation(
        i % 2 === 0 || series === 1 ? 'query' : 'store',
        l.status === 'success' || series === 1 ? 'success' : 'failed',
      );
    },
  ],
  ['adapter bind(labels).add(1)', series, (i) => at(boundCounters, i, series).add(1)],
];
const histogramCases = (series: 1 | 30): Case[] => [
  ['plain Map + bucket search', series, (i) => plainObserve(at(histogramLabels, i, series), values[i & 63] as number)],
  ['prom-client observe(labels, v)', series, (i) => promHistogram.observe(at(histogramLabels, i, series), values[i & 63] as number)],
  ['OTel SDK record(v, attrs)', series, (i) => sdkHistogram.record(values[i & 63] as number, at(histogramLabels, i, series))],
  [
    'adapter instrument().record(v, labels)',
    series,
    (i) => adapterHistogram.record(values[i & 63] as number, at(histogramLabels, i, series)),
  ],
  ['adapter bind(labels).record(v)', series, (i) => at(boundHistograms, i, series).record(values[i & 63] as number)],
];
const groups = [
  ['counter +1, 2 labels', [...counterCases(1), ...counterCases(30)]],
  ['histogram observe, 1 label (the catalog has one)', [...histogramCases(1), ...histogramCases(30)]],
] as const;

function nsPerOp(body: (i: number) => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) body(i);
  return Number(process.hrtime.bigint() - started) / OPS;
}

const samples = new Map<Case, number[]>();
for (let run = -1; run < RUNS; run++) {
  for (const [, cases] of groups) {
    for (const c of cases) {
      const ns = nsPerOp(c[2]);
      // Run -1 is the warm-up: every body compiled and every series created before timing counts.
      if (run >= 0) samples.set(c, [...(samples.get(c) ?? []), ns]);
    }
  }
}
const result = (name: string, series: number, group: readonly Case[]): Summary =>
  summarise(samples.get(group.find((c) => c[0] === name && c[1] === series) as Case) ?? []);

const table = [tableRow(['work', 'series', 'implementation', 'ns/op median (min-max)'])];
table.push(tableRow(['---', '---', '---', '---']));
for (const [work, cases] of groups)
  for (const c of cases) table.push(tableRow([work, String(c[1]), c[0], show(summarise(samples.get(c) ?? []))]));
const ratios = [tableRow(['ratio (same run, medians)', '1 series', '30 series', 'target']), tableRow(['---', '---', '---', '---'])];
const counters = groups[0][1];
const histograms = groups[1][1];
const line = (label: string, a: string, b: string, group: readonly Case[], target: string) =>
  ratios.push(
    tableRow([label, ratio(result(a, 1, group), result(b, 1, group)), ratio(result(a, 30, group), result(b, 30, group)), target]),
  );
line(
  'adapter instrument().record / prom-client inc',
  'adapter instrument().record(1, labels)',
  'prom-client inc(labels)',
  counters,
  '<= 1.0x',
);
line('adapter typed call / prom-client inc', 'adapter typed memoryOperation(op, status)', 'prom-client inc(labels)', counters, '<= 1.0x');
line('adapter instrument().record / OTel SDK add', 'adapter instrument().record(1, labels)', 'OTel SDK add(1, attrs)', counters, '-');
line('adapter bind().add / plain Map', 'adapter bind(labels).add(1)', 'plain Map get+set', counters, '<= 10x');
line(
  'adapter histogram record / prom-client observe',
  'adapter instrument().record(v, labels)',
  'prom-client observe(labels, v)',
  histograms,
  '<= 1.0x',
);
line('adapter histogram record / OTel SDK record', 'adapter instrument().record(v, labels)', 'OTel SDK record(v, attrs)', histograms, '-');
line('adapter bind().record / prom-client observe', 'adapter bind(labels).record(v)', 'prom-client observe(labels, v)', histograms, '-');

await writeResults(
  'recording',
  'Recording',
  [
    `${OPS.toLocaleString('en')} calls per run, ${RUNS} runs after one warm-up run, all implementations interleaved in one process.`,
    'Labels objects are built once and reused by every implementation; "30 series" cycles through them. The plain Map',
    'baseline uses keys joined once (the limit: a Map get+set); the plain pre-bound cell is a property increment.',
    'The typed call is `memoryOperation(operation, status)` (2 enum labels, at most 4 series).',
  ],
  [...table, '', ...ratios],
);
await telemetry.shutdown();
await sdk.shutdown();
