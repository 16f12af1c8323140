/** Scrapes an endpoint and answers questions about its exposition. */
import { type ExpositionFamily, type ExpositionSample, parseExposition } from '../../src/exposition/parse-exposition.ts';

export async function scrape(url: string, init?: RequestInit): Promise<{ text: string; families: ExpositionFamily[] }> {
  const response = await fetch(url, init);
  if (response.status !== 200) throw new Error(`scrape of ${url} answered ${response.status}`);
  const text = await response.text();
  return { text, families: parseExposition(text) };
}

export function family(families: ExpositionFamily[], name: string): ExpositionFamily | undefined {
  return families.find((f) => f.name === name);
}

function sameLabels(own: Readonly<Record<string, string>>, wanted: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(own), ...Object.keys(wanted)]);
  return [...keys].every((key) => own[key] === wanted[key]);
}

/** The sample called `sampleName` (in any family) with exactly these labels. */
export function sample(
  families: ExpositionFamily[],
  sampleName: string,
  labels: Record<string, string> = {},
): ExpositionSample | undefined {
  for (const f of families) {
    const found = f.samples.find((s) => s.name === sampleName && sameLabels(s.labels, labels));
    if (found) return found;
  }
  return undefined;
}

export function value(families: ExpositionFamily[], sampleName: string, labels: Record<string, string> = {}): number | undefined {
  return sample(families, sampleName, labels)?.value;
}

/** A histogram series: its bucket bounds in order with cumulative counts, its sum and count. */
export function histogram(families: ExpositionFamily[], name: string, labels: Record<string, string>) {
  const buckets = (family(families, name)?.samples ?? [])
    .filter((s) => s.name === `${name}_bucket` && sameLabels({ ...s.labels, le: '' }, { ...labels, le: '' }))
    .map((s) => [s.labels.le ?? '', s.value] as const);
  return { buckets, sum: value(families, `${name}_sum`, labels), count: value(families, `${name}_count`, labels) };
}
