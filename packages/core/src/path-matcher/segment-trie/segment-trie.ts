import type { Route } from '../../route.js';
import type { Steps } from '../../steps.js';
import type { PathMatcher, PathRule } from '../path-matcher.js';
import { TrieNode } from './trie-node.js';

const SLASH = 47;

/** Set by SegmentTrieMatcher's static block, the one place that reaches a matcher's root (before the class, so it exists then). */
let buildSteps: (rules: readonly PathRule[], perStep: number) => Steps<PathMatcher>;

/**
 * The path matcher Switchyard routes with: one trie of path elements holding both rule
 * types. A Prefix rule sits on the node of its last element; an Exact rule too, apart for
 * paths with and without a trailing slash, since Exact compares byte for byte. A lookup
 * walks the request's elements once, remembering the deepest Prefix rule passed, and stops
 * at the first element with no child. Only if it consumed every element can an Exact rule
 * apply, and then it wins: an Exact match covers the whole path, so it is never shorter
 * than a Prefix match and wins ties. Cost: one Map lookup per request element,
 * independent of the number of rules.
 */
export class SegmentTrieMatcher implements PathMatcher {
  private readonly root = new TrieNode();

  constructor(rules: readonly PathRule[]) {
    for (const rule of rules) addRule(this.root, rule);
  }

  static {
    // Here, in the class, a build in steps may reach the root of a matcher nobody else has yet.
    buildSteps = function* (rules, perStep) {
      const matcher = new SegmentTrieMatcher([]);
      for (let i = 0; i < rules.length; i++) {
        if (i !== 0 && i % perStep === 0) yield;
        addRule(matcher.root, rules[i]!);
      }
      return matcher;
    };
  }

  match(path: string): Route | undefined {
    let node = this.root;
    let best = node.prefix;
    const length = path.length;
    // Normalized paths start with "/" and hold no "//", so an empty element can only be
    // the one after a trailing slash, which ends the walk.
    let start = 1;
    while (start < length) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      const child = node.children?.get(path.slice(start, end));
      if (child === undefined) return best;
      node = child;
      if (child.prefix !== undefined) best = child.prefix;
      start = end + 1;
    }
    const exact = length > 1 && path.charCodeAt(length - 1) === SLASH ? node.exactWithSlash : node.exact;
    return exact ?? best;
  }
}

/**
 * What `createSegmentTrieMatcher(rules)` makes, `perStep` rules between two yields: one host
 * with thousands of paths is several units of a sliced compile, not one block.
 */
export function segmentTrieSteps(rules: readonly PathRule[], perStep: number): Steps<PathMatcher> {
  return buildSteps(rules, perStep);
}

function addRule(root: TrieNode, rule: PathRule): void {
  let node = root;
  for (const element of rule.path.split('/')) {
    if (element !== '') node = node.childFor(element);
  }
  if (rule.kind === 'prefix') node.prefix = rule.route;
  else if (rule.path.length > 1 && rule.path.charCodeAt(rule.path.length - 1) === SLASH) node.exactWithSlash = rule.route;
  else node.exact = rule.route;
}

export function createSegmentTrieMatcher(rules: readonly PathRule[]): PathMatcher {
  return new SegmentTrieMatcher(rules);
}
