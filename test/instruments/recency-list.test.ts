import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Linked, RecencyList } from '../../src/instruments/recency-list.ts';

interface Item extends Linked<Item> {
  readonly name: string;
}

const item = (name: string): Item => ({ name, older: undefined, newer: undefined });
const names = (list: RecencyList<Item>) => [...list.values()].map((i) => i.name);

describe('RecencyList', () => {
  it('keeps the oldest at the front, and unlinks from the front, the middle and the back', () => {
    const list = new RecencyList<Item>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item];
    for (const i of [a, b, c, d]) list.pushNewest(i);
    assert.deepEqual(names(list), ['a', 'b', 'c', 'd']);
    assert.equal(list.oldest, a);
    list.remove(b);
    assert.deepEqual(names(list), ['a', 'c', 'd']);
    list.remove(a);
    assert.equal(list.oldest, c);
    list.remove(d);
    assert.deepEqual(names(list), ['c']);
    list.pushNewest(b);
    assert.deepEqual(names(list), ['c', 'b'], 'the back is found again after its old back left');
    assert.equal(list.size, 2);
    list.remove(c);
    list.remove(b);
    assert.deepEqual([list.size, list.oldest, names(list)], [0, undefined, []]);
  });

  it('clears the links of a removed node, so that it keeps none of the list alive', () => {
    const list = new RecencyList<Item>();
    const [a, b, c] = ['a', 'b', 'c'].map(item) as [Item, Item, Item];
    for (const i of [a, b, c]) list.pushNewest(i);
    list.remove(b);
    assert.deepEqual([b.older, b.newer], [undefined, undefined]);
    assert.deepEqual([a.newer, c.older], [c, a]);
  });

  it('lets the node just yielded be removed during iteration', () => {
    const list = new RecencyList<Item>();
    for (const name of ['a', 'b', 'c']) list.pushNewest(item(name));
    const seen: string[] = [];
    for (const i of list.values()) {
      seen.push(i.name);
      list.remove(i);
    }
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(list.size, 0);
  });
});
