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

  /** A node with the same rules and children, none of it shared but the children themselves. */
  copy(): TrieNode {
    const node = new TrieNode();
    node.prefix = this.prefix;
    node.exact = this.exact;
    node.exactWithSlash = this.exactWithSlash;
    if (this.children !== undefined) node.children = new Map(this.children);
    return node;
  }

  /** No rule ends here and no path goes on. */
  isEmpty(): boolean {
    return this.prefix === undefined && this.exact === undefined && this.exactWithSlash === undefined && (this.children === undefined || this.children.size === 0);
  }

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
