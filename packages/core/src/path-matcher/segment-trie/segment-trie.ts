import type { Route } from '../../route.js';
import type { PathMatcher, PathRule } from '../path-matcher.js';

/** A trie node per path element; `route` is the Prefix rule that ends here. */
interface TrieNode {
  route: Route | undefined;
  children: Map<string, TrieNode> | undefined;
}

/**
 * The path matcher Switchyard routes with. Exact rules sit in one Map keyed by the whole
 * path: an Exact match covers every element of the request, so it is never shorter than
 * a Prefix match and wins ties, and one hash lookup settles it. Prefix rules sit in a trie
 * of path elements; a lookup walks the request's elements and remembers the deepest rule
 * seen, stopping at the first element with no child. Cost: one Map lookup per element
 * of the request, independent of the number of rules.
 */
export class SegmentTrieMatcher implements PathMatcher {
  private readonly exact = new Map<string, Route>();
  private readonly root: TrieNode = { route: undefined, children: undefined };

  constructor(rules: readonly PathRule[]) {
    for (const rule of rules) {
      if (rule.kind === 'exact') this.exact.set(rule.path, rule.route);
      else this.insertPrefix(rule.path, rule.route);
    }
  }

  match(path: string): Route | undefined {
    if (this.exact.size !== 0) {
      const exact = this.exact.get(path);
      if (exact !== undefined) return exact;
    }
    let node = this.root;
    let best = node.route;
    const length = path.length;
    // Normalized paths start with "/" and hold no "//", so an empty element can only be
    // the one after a trailing slash, which Prefix ignores.
    let start = 1;
    while (start < length && node.children !== undefined) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      const child = node.children.get(path.slice(start, end));
      if (child === undefined) break;
      node = child;
      if (child.route !== undefined) best = child.route;
      start = end + 1;
    }
    return best;
  }

  private insertPrefix(path: string, route: Route): void {
    let node = this.root;
    for (const element of path.split('/')) {
      if (element === '') continue;
      node.children ??= new Map();
      let child = node.children.get(element);
      if (child === undefined) {
        child = { route: undefined, children: undefined };
        node.children.set(element, child);
      }
      node = child;
    }
    node.route = route;
  }
}

export function createSegmentTrieMatcher(rules: readonly PathRule[]): PathMatcher {
  return new SegmentTrieMatcher(rules);
}
