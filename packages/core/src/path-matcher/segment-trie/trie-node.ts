import type { Route } from '../../route.js';

/** One path element of the segment trie, with the rules that end on it. */
export class TrieNode {
  /** The Prefix rule whose last element is this one. */
  prefix: Route | undefined = undefined;
  /** The Exact rule for this path without, and with, a trailing slash. */
  exact: Route | undefined = undefined;
  exactWithSlash: Route | undefined = undefined;
  /** Children by element; undefined on leaves, so a walk can stop without a lookup. */
  children: Map<string, TrieNode> | undefined = undefined;

  /** The child for `element`, made if missing. */
  childFor(element: string): TrieNode {
    this.children ??= new Map();
    let child = this.children.get(element);
    if (child === undefined) {
      child = new TrieNode();
      this.children.set(element, child);
    }
    return child;
  }
}
