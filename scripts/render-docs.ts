/**
 * Writes the catalog's metric table into README.md between its markers, so the
 * docs come from the one source of truth. `npm run docs`; a test fails when
 * the README is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ADAPTER_METRICS } from '../src/catalog/adapter-metrics.ts';
import { BUSINESS_METRICS } from '../src/catalog/business-metrics.ts';
import { labelTable, metricTable } from '../src/catalog/markdown.ts';
import { PORTFOLIO_METRICS } from '../src/catalog/portfolio-metrics.ts';
import { WEBHOOK_METRICS } from '../src/catalog/webhook-metrics.ts';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const SECTIONS: Record<string, () => string> = {
  'business-metrics': () => metricTable(BUSINESS_METRICS),
  'business-labels': () => labelTable(BUSINESS_METRICS),
  'portfolio-metrics': () => metricTable(PORTFOLIO_METRICS),
  'webhook-metrics': () => metricTable(WEBHOOK_METRICS),
  'adapter-metrics': () => metricTable(ADAPTER_METRICS),
};

/** The README text with every generated section brought up to date. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [section, render] of Object.entries(SECTIONS)) {
    const start = `<!-- generated:${section} -->`;
    const end = `<!-- /generated:${section} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to < from) throw new Error(`README.md lacks the markers ${start} ... ${end}`);
    text = `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`;
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = await readFile(README, 'utf8');
  await writeFile(README, renderReadme(readme));
  console.log('README.md: metric tables regenerated from the catalog');
}
