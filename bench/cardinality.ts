/**
 * The cardinality benchmark: for 10k, 100k and 1M businesses of churn, the
 * time per business of the churn itself, then the series served, the heap
 * after GC and the scrape time, for the adapter (the bounded business store,
 * default caps) and for the bare OpenTelemetry SDK
 * doing the same work (sync gauges per business_id, no way to forget one).
 * Each measurement runs in its own process. Writes bench/results/cardinality.md.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeMachine } from './machine.ts';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./cardinality-worker.ts', import.meta.url));
const SIZES = [10_000, 100_000, 1_000_000];
/** The bare SDK at 1M businesses holds 3M series (about 1 GiB, 15 s a scrape here); BENCH_QUICK=1 leaves it out. */
const SDK_SIZES = process.env.BENCH_QUICK === '1' ? SIZES.slice(0, 2) : SIZES;

interface Measurement {
  implementation: string;
  businesses: number;
  churnMs: number;
  series: number;
  heapMiB: number;
  scrapeMs: number;
  bytes: number;
}

async function measure(implementation: string, businesses: number): Promise<Measurement> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=8192', worker, implementation, String(businesses)], {
    maxBuffer: 1 << 20,
    timeout: 600_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measurement;
}

const rows: string[] = [];
for (const businesses of SIZES) {
  const adapter = await measure('adapter', businesses);
  const sdk = SDK_SIZES.includes(businesses) ? await measure('sdk', businesses) : undefined;
  const cell = (a: number, b: number | undefined, digits: number) =>
    b === undefined ? `${a.toFixed(digits)} | not run | ` : `${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(a / b).toFixed(3)}x`;
  // Per business, so that a cost growing with the businesses already seen shows as a growing number.
  const churnNs = (m: Measurement) => (m.churnMs * 1e6) / businesses;
  rows.push(
    `| ${businesses.toLocaleString('en')} | ${cell(churnNs(adapter), sdk && churnNs(sdk), 0)} | ${cell(adapter.series, sdk?.series, 0)} | ${cell(adapter.heapMiB, sdk?.heapMiB, 1)} | ${cell(adapter.scrapeMs, sdk?.scrapeMs, 1)} |`,
  );
  console.log(rows.at(-1));
}

const report = [
  '# Cardinality under churn',
  '',
  `${describeMachine(['@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus'])}.`,
  'Each business gets a revenue projection and a health score; every other one is taken down, so N businesses leave N/2 live.',
  'Adapter: default caps (series for 5,000 businesses, 100,000 tracked for the aggregates), default TTL (6 h, so nothing expires',
  'here: past 200,000 businesses the tracked cap is what forgets). Bare SDK: three sync gauges keyed by business_id, cardinality',
  'limit raised so it keeps what it is given. Churn is the wall time of the recording loop divided by N (the three gauges, and',
  'half a takedown for the adapter); heap after GC in MiB above the empty process; scrape time is the median of 5 full `/metrics`',
  'responses over HTTP.',
  '',
  '| businesses | churn ns/business: adapter | bare SDK | ratio | series: adapter | bare SDK | ratio | heap MiB: adapter | bare SDK | ratio | scrape ms: adapter | bare SDK | ratio |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
await writeFile(fileURLToPath(new URL('./results/cardinality.md', import.meta.url)), report);
console.log('\nwritten to bench/results/cardinality.md');
