/**
 * The arithmetic every benchmark part shares: runs summarised as a median and
 * a min-max range, ratios of medians taken in the same run, and the results
 * file the README quotes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.ts';

/** Runs per measurement: at least 5, the rule. */
export const RUNS = 7;

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** "12.3 (11.9-13.0)": the median and the range of the runs. */
export function show(summary: Summary, digits = 1): string {
  return `${summary.median.toFixed(digits)} (${summary.min.toFixed(digits)}-${summary.max.toFixed(digits)})`;
}

export function ratio(adapter: Summary, peer: Summary): string {
  return `${(adapter.median / peer.median).toFixed(2)}x`;
}

/** Collects a full heap garbage collection (the parts run with --expose-gc). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

export const PEERS = ['prom-client', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus', '@opentelemetry/api'];

/** Writes bench/results/<part>.md: a title, the machine and the peers' versions, what was measured, and the table. */
export async function writeResults(
  part: string,
  title: string,
  notes: readonly string[],
  table: readonly string[],
  packages: readonly string[] = PEERS,
): Promise<void> {
  const text = [`# ${title}`, '', `${describeMachine(packages)}.`, ...notes, '', ...table, ''].join('\n');
  const directory = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(directory, { recursive: true });
  await writeFile(`${directory}${part}.md`, text);
  console.log(`\nwritten to bench/results/${part}.md`);
}

/** Prints a markdown table as it is built. */
export function tableRow(cells: readonly string[]): string {
  const row = `| ${cells.join(' | ')} |`;
  console.log(row);
  return row;
}
