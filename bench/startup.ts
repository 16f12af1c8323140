/**
 * Start-up: from spawning a Node process to the first served `/metrics`
 * (HTTP 200, body read), for the adapter (startTelemetry), prom-client (the
 * catalog's metrics in a registry behind node:http) and the bare SDK (the
 * catalog's instruments, the exporter's handler behind node:http). The adapter
 * child loads the built package (dist/, built here first), as an installed
 * copy would; the others load their packages' JavaScript.
 * Writes bench/results/startup.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scrape } from './http.ts';
import { RUNS, ratio, type Summary, show, summarise, tableRow, writeResults } from './stats.ts';

const CHILDREN = { adapter: 'startup-adapter.ts', 'prom-client': 'startup-prom-client.ts', 'OTel SDK': 'startup-sdk.ts' } as const;
type Name = keyof typeof CHILDREN;

async function startToScrape(file: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(new URL(file, import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before printing its URL`)));
    });
    await scrape(url, false);
    return performance.now() - started;
  } finally {
    child.kill();
  }
}

const build = spawnSync(fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url)), ['-p', 'tsconfig.build.json'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
});
if (build.status !== 0) throw new Error('npm run build failed: the adapter child needs dist/');

const samples = new Map<Name, number[]>();
for (let run = -1; run < RUNS; run++) {
  for (const [name, file] of Object.entries(CHILDREN) as [Name, string][]) {
    const ms = await startToScrape(file);
    if (run >= 0) samples.set(name, [...(samples.get(name) ?? []), ms]);
  }
}
const summary = (name: Name): Summary => summarise(samples.get(name) ?? []);
const table = [tableRow(['implementation', 'process start to first served /metrics, ms median (min-max)']), tableRow(['---', '---'])];
for (const name of Object.keys(CHILDREN) as Name[]) table.push(tableRow([name, show(summary(name), 0)]));
const ratios = [
  tableRow(['ratio (medians)', 'value']),
  tableRow(['---', '---']),
  tableRow(['adapter / prom-client', ratio(summary('adapter'), summary('prom-client'))]),
  tableRow(['adapter / OTel SDK', ratio(summary('adapter'), summary('OTel SDK'))]),
];
await writeResults(
  'startup',
  'Start-up',
  [
    `From spawn() of a Node process to the first \`/metrics\` body read over HTTP on 127.0.0.1; ${RUNS} runs after a warm-up,`,
    "the implementations in turn. Each child declares the catalog's instruments (about 20) and serves them; the adapter's",
    'child runs the built package (dist/), as an installed copy would.',
  ],
  [...table, '', ...ratios],
);
