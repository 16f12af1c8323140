/**
 * The renderer of the adapter's cells: the same text whatever the chunk size,
 * families without series left out. (Parity with the exporter's output is in
 * test/pipeline/exposition-parity.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInstrumentSpec } from '../../src/catalog/catalog.ts';
import type { InstrumentSpec } from '../../src/catalog/types.ts';
import { parseExposition } from '../../src/exposition/parse-exposition.ts';
import { CellRenderer } from '../../src/exposition/render-cells.ts';
import { CellRegistry } from '../../src/instruments/cell-registry.ts';
import { newHistogramCell, type SeriesCell } from '../../src/instruments/series-cells.ts';

const QUOTA = findInstrumentSpec('genesis_meta_agent_quota_denied') as InstrumentSpec;
const HISTOGRAM = findInstrumentSpec('genesis_meta_agent_team_size') as InstrumentSpec;

function registry(ids: number): CellRegistry {
  const cells = new CellRegistry();
  const series = new Map<string, SeriesCell>();
  for (let i = 0; i < ids; i++) series.set(`u-${i}`, { attributes: { user_id: `u-${i}` }, value: i });
  cells.register({ spec: QUOTA, boundaries: [], series, startTimeMs: 0 });
  const unobserved = new Map<string, SeriesCell>([['saas', newHistogramCell({ business_type: 'saas' }, [...(HISTOGRAM.buckets ?? [])])]]);
  cells.register({ spec: HISTOGRAM, boundaries: [...(HISTOGRAM.buckets ?? [])], series: unobserved, startTimeMs: 0 });
  return cells;
}

describe('the cell renderer', () => {
  it('writes the same exposition in chunks of any size', () => {
    const cells = registry(25);
    const whole = [...new CellRenderer({ scope: undefined, chunkSeries: 1000 }).render(cells)];
    const chunked = [...new CellRenderer({ scope: undefined, chunkSeries: 4 }).render(cells)];
    assert.equal(whole.length, 1);
    assert.equal(chunked.length, 7);
    assert.equal(chunked.join(''), whole.join(''));
    const [family] = parseExposition(whole.join(''));
    assert.equal(family?.name, 'genesis_meta_agent_quota_denied_total');
    assert.equal(family?.samples.length, 25);
  });

  it('writes nothing for a family whose series were never observed, and nothing at all for no series', () => {
    assert.ok(![...new CellRenderer({ scope: undefined }).render(registry(1))].join('').includes(HISTOGRAM.name));
    assert.deepEqual([...new CellRenderer({ scope: undefined }).render(registry(0))], []);
  });
});
