import type { Route } from '../../route.js';

/**
 * An open-addressing hash table from a path (given with its precomputed hash) to a route,
 * in one Int32Array: slot `2i` holds the hash, slot `2i + 1` the entry number + 1 (0 is
 * empty). Probing reads neighbouring ints, so a lookup costs about one cache line, and no
 * string is hashed by V8 or sliced out of the request.
 */
export class HashIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly keys: string[] = [];
  private readonly routes: Route[] = [];

  constructor(entries: ReadonlyArray<readonly [key: string, hash: number, route: Route]>) {
    // Load factor at most 1/2 keeps probe runs short.
    let capacity = 8;
    while (capacity < entries.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (const [key, hash, route] of entries) {
      this.keys.push(key);
      this.routes.push(route);
      let slot = hash & this.mask;
      while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = hash;
      this.slots[slot * 2 + 1] = this.keys.length;
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /** The route whose key is `path[0, end)`, given that prefix's hash. */
  get(hash: number, path: string, end: number): Route | undefined {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot * 2 + 1]!;
      if (entry === 0) return undefined;
      if (slots[slot * 2] === hash) {
        const key = this.keys[entry - 1]!;
        if (key.length === end && samePrefix(key, path)) return this.routes[entry - 1];
      }
      slot = (slot + 1) & mask;
    }
  }
}

/** Whether `path` starts with `key` (the caller checked the length). */
function samePrefix(key: string, path: string): boolean {
  for (let i = key.length - 1; i >= 0; i--) {
    if (key.charCodeAt(i) !== path.charCodeAt(i)) return false;
  }
  return true;
}
