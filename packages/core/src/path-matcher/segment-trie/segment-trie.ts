import type { Route } from '../../route.js';
import type { Steps } from '../../steps.js';
import type { PathMatcher, PathRule } from '../path-matcher.js';
import { TrieNode } from './trie-node.js';

const SLASH = 47;

/** Set by SegmentTrieMatcher's static block, the one place that reaches a matcher's root (before the class, so it exists then). */
let buildSteps: (rules: readonly PathRule[], perStep: number) => Steps<PathMatcher>;
let withChanges: (matcher: SegmentTrieMatcher, removed: readonly PathRule[], added: readonly PathRule[]) => SegmentTrieMatcher | undefined;

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
  // Never changed once the matcher is made (`withChanges` copies the nodes it changes).
  private root = new TrieNode();

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
    withChanges = (matcher, removed, added) => {
      // Nodes made by this update, free to change; any other is `matcher`'s, copied first.
      const made = new Set<TrieNode>();
      const own = (node: TrieNode | undefined): TrieNode => {
        if (node !== undefined && made.has(node)) return node;
        const mine = node === undefined ? new TrieNode() : node.copy();
        made.add(mine);
        return mine;
      };
      const root = own(matcher.root);
      for (const rule of removed) if (!removeRule(root, rule, own)) return undefined;
      for (const rule of added) if (!insertRule(root, rule, own)) return undefined;
      const changed = new SegmentTrieMatcher([]);
      changed.root = root;
      return changed;
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

/**
 * `matcher`'s rules without `removed` and with `added`, sharing every node off their paths with
 * `matcher`, which stays as it is (tables still serving hold it): a host whose rules changed by
 * a path copies the few nodes on that path, not the host's trie. Undefined when a removed rule
 * is not in `matcher` or an added one's place is taken (two rules with the same path and type:
 * the caller builds the trie from all the rules instead), and for a matcher of another kind.
 */
export function segmentTrieWithChanges(matcher: PathMatcher, removed: readonly PathRule[], added: readonly PathRule[]): PathMatcher | undefined {
  return matcher instanceof SegmentTrieMatcher ? withChanges(matcher, removed, added) : undefined;
}

type Slot = 'prefix' | 'exact' | 'exactWithSlash';

/** Where on its node a rule sits: Exact paths with and without a trailing slash apart, since Exact compares byte for byte. */
function slotOf(rule: PathRule): Slot {
  if (rule.kind === 'prefix') return 'prefix';
  return rule.path.length > 1 && rule.path.charCodeAt(rule.path.length - 1) === SLASH ? 'exactWithSlash' : 'exact';
}

/** Takes `rule` out, copying (`own`) each node on its path; the nodes left empty go with it. False when it is not there. */
function removeRule(root: TrieNode, rule: PathRule, own: (node: TrieNode | undefined) => TrieNode): boolean {
  const path: TrieNode[] = [root];
  const elements = rule.path.split('/').filter((element) => element !== '');
  let node = root;
  for (const element of elements) {
    const child = node.children?.get(element);
    if (child === undefined) return false;
    const owned = own(child);
    node.children!.set(element, owned);
    path.push(owned);
    node = owned;
  }
  const slot = slotOf(rule);
  if (node[slot] !== rule.route) return false;
  node[slot] = undefined;
  // Up from the rule's node: an empty node is dropped from its parent (the root stays).
  for (let i = elements.length; i > 0 && path[i]!.isEmpty(); i--) {
    const parent = path[i - 1]!;
    parent.children!.delete(elements[i - 1]!);
    if (parent.children!.size === 0) parent.children = undefined;
  }
  return true;
}

/** Puts `rule` in, copying (`own`) each node on its path, or making it. False when its place is taken. */
function insertRule(root: TrieNode, rule: PathRule, own: (node: TrieNode | undefined) => TrieNode): boolean {
  let node = root;
  for (const element of rule.path.split('/')) {
    if (element === '') continue;
    const child = node.children?.get(element);
    const owned = own(child);
    (node.children ??= new Map()).set(element, owned);
    node = owned;
  }
  const slot = slotOf(rule);
  if (node[slot] !== undefined) return false;
  node[slot] = rule.route;
  return true;
}

function addRule(root: TrieNode, rule: PathRule): void {
  let node = root;
  for (const element of rule.path.split('/')) {
    if (element !== '') node = node.childFor(element);
  }
  node[slotOf(rule)] = rule.route;
}

export function createSegmentTrieMatcher(rules: readonly PathRule[]): PathMatcher {
  return new SegmentTrieMatcher(rules);
}
