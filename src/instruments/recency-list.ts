/**
 * An intrusive doubly linked list: least recently updated at the front, most
 * recently at the back. Every operation is O(1) whatever was removed before.
 *
 * Why not a Map's insertion order: deleting from a Map leaves a hole at its
 * front until the next rehash, and every new iterator walks over the holes,
 * so "read the oldest" after many deletions costs time proportional to them
 * (tens of microseconds per update at 100,000 businesses). Here the links
 * live in the nodes themselves, so a node costs two fields and no allocation.
 */
export interface Linked<Node> {
  /** The next older node, or undefined at the front. Owned by the list. */
  older: Node | undefined;
  /** The next newer node, or undefined at the back. Owned by the list. */
  newer: Node | undefined;
}

export class RecencyList<Node extends Linked<Node>> {
  #oldest: Node | undefined;
  #newest: Node | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The least recently updated node. */
  get oldest(): Node | undefined {
    return this.#oldest;
  }

  /** Appends a node that is in no list, as the most recently updated. */
  pushNewest(node: Node): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest === undefined) this.#oldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
    this.#size++;
  }

  /** Unlinks a node of this list; its links are cleared so that it holds none of the list alive. */
  remove(node: Node): void {
    if (node.older === undefined) this.#oldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older;
    else node.newer.older = node.older;
    node.older = undefined;
    node.newer = undefined;
    this.#size--;
  }

  /** Oldest first. The next node is read before each yield, so the yielded one may be removed meanwhile. */
  *values(): Generator<Node, undefined, undefined> {
    let node = this.#oldest;
    while (node !== undefined) {
      const newer = node.newer;
      yield node;
      node = newer;
    }
    return undefined;
  }
}
