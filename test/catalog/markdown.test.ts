import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUSINESS_METRICS, DEFAULT_MAX_USER_IDS } from '../../src/catalog/business-metrics.ts';
import { labelTable } from '../../src/catalog/markdown.ts';
import { DEFAULT_BUSINESS_SERIES_MAX, resolveSeriesBounds, type SeriesBounds } from '../../src/instruments/business-series-options.ts';

/** The values cell of the label table's row for `key`. */
function valuesOf(table: string, key: string): string {
  const row = table.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
  assert.ok(row !== undefined, `a row for ${key}`);
  return row.split(' | ')[1] ?? '';
}

describe('the generated label table', () => {
  const table = labelTable(BUSINESS_METRICS);

  it('calls no label unbounded: every id label the catalog declares is capped', () => {
    assert.doesNotMatch(table, /unbounded/);
  });

  for (const [key, cap, bound] of [
    ['business_id', DEFAULT_BUSINESS_SERIES_MAX, 'maxBusinesses'],
    ['user_id', DEFAULT_MAX_USER_IDS, 'maxUserIds'],
  ] as const) {
    it(`prints the default cap of ${key} and the variable that really sets it`, () => {
      const values = valuesOf(table, key);
      assert.ok(values.includes(cap.toLocaleString('en')), `${values} names the default cap ${cap}`);
      const variable = values.match(/`(GENESIS_[A-Z_]+)`/)?.[1];
      assert.ok(variable !== undefined, `${values} names a variable`);
      // The variable the docs name is the one the code reads for this cap.
      const bounds: SeriesBounds = resolveSeriesBounds({}, { [variable]: '7' });
      assert.equal(bounds[bound], 7, `${variable} sets ${bound}`);
    });
  }
});
