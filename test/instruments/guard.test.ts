import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstrumentSpec } from '../../src/catalog/types.ts';
import { checkValue, MAX_ID_LENGTH, resolveLabels } from '../../src/instruments/guard.ts';

const counter: InstrumentSpec = {
  name: 't_things',
  kind: 'counter',
  unit: '{thing}',
  description: 'Things.',
  labels: [
    { key: 'kind', description: 'k', values: ['a', 'b'] },
    { key: 'owner_id', description: 'o', values: 'id' },
  ],
};
const ratio: InstrumentSpec = { name: 't_ratio', kind: 'gauge', unit: '{ratio}', description: 'Ratio.', labels: [], range: [0, 1] };
const gauge: InstrumentSpec = { name: 't_level', kind: 'gauge', unit: '{thing}', description: 'Level.', labels: [] };

describe('checkValue', () => {
  it('accepts finite numbers the instrument can take', () => {
    assert.equal(checkValue(counter, 0), undefined);
    assert.equal(checkValue(counter, 2.5), undefined);
    assert.equal(checkValue(gauge, -3), undefined);
    assert.equal(checkValue(ratio, 1), undefined);
  });
  it('names what is wrong with the rest', () => {
    assert.equal(checkValue(counter, '1'), 'not_a_number');
    assert.equal(checkValue(counter, undefined), 'not_a_number');
    assert.equal(checkValue(counter, 1n), 'not_a_number');
    assert.equal(checkValue(counter, Number.NaN), 'not_finite');
    assert.equal(checkValue(counter, Number.POSITIVE_INFINITY), 'not_finite');
    assert.equal(checkValue(gauge, Number.NEGATIVE_INFINITY), 'not_finite');
    assert.equal(checkValue(counter, -1), 'negative');
    assert.equal(checkValue(ratio, 1.01), 'out_of_range');
    assert.equal(checkValue(ratio, -0.1), 'out_of_range');
  });
});

describe('resolveLabels', () => {
  it('keeps declared values and only the declared keys', () => {
    assert.deepEqual(resolveLabels(counter, { kind: 'a', owner_id: 'o-1', extra: 'x', 'kind.x': 'y' }), {
      attributes: { kind: 'a', owner_id: 'o-1' },
      mapped: undefined,
    });
  });
  it('maps an enum value outside its set to "other" and says so', () => {
    assert.deepEqual(resolveLabels(counter, { kind: 'zzz', owner_id: 'o-1' }), {
      attributes: { kind: 'other', owner_id: 'o-1' },
      mapped: 'unknown_label_value',
    });
  });
  it('drops a missing, empty, non-string or oversized label', () => {
    assert.equal(resolveLabels(counter, { kind: 'a' }), 'missing_label');
    assert.equal(resolveLabels(counter, undefined), 'missing_label');
    assert.equal(resolveLabels(counter, { kind: '', owner_id: 'o' }), 'missing_label');
    assert.equal(resolveLabels(counter, { kind: 'a', owner_id: 7 }), 'invalid_label_value');
    assert.equal(resolveLabels(counter, { kind: 'a', owner_id: 'x'.repeat(MAX_ID_LENGTH + 1) }), 'invalid_label_value');
  });
});
