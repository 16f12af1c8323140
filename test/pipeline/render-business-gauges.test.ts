/**
 * The per-business gauges as the endpoint renders them, in chunks: a scrape
 * shows each business once, even when businesses are updated between its
 * chunks (the event loop is given back there, so the agent goes on).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusinessSeriesStore } from '../../src/instruments/business-series-store.ts';
import { renderBusinessGauges } from '../../src/pipeline/render-business-gauges.ts';

describe('renderBusinessGauges', () => {
  it('shows each business once when businesses are updated between chunks', () => {
    const store = new BusinessSeriesStore({ ttlSeconds: 0, maxBusinesses: 1000 });
    for (let i = 0; i < 500; i++) store.update(`b-${i}`, 'saas', { mrrUsd: i });
    let text = '';
    let chunks = 0;
    for (const chunk of renderBusinessGauges(store, '', 50)) {
      text += chunk;
      chunks++;
      // What the agent does while the scrape waits: updates re-insert their records at the end of the store.
      for (let i = 0; i < 500; i += 7) store.update(`b-${i}`, 'saas', { mrrUsd: i + 1 });
    }
    const series = text.split('\n').filter((line) => line.startsWith('genesis_meta_agent_revenue_projected_mrr{'));
    assert.ok(chunks > 5, `rendered in ${chunks} chunks`);
    assert.equal(series.length, 500);
    assert.equal(new Set(series.map((line) => line.split(' ')[0])).size, 500, 'no business twice');
  });
});
