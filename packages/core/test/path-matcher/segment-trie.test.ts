import type { PathMatchKind, PathMatcher, PathRule, Route } from '@switchyard/core';
import { createPrefixHashMatcher, createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { segmentTrieSteps, segmentTrieWithChanges } from '../../src/path-matcher/segment-trie/segment-trie.js';
import { runSteps } from '../../src/steps.js';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('SegmentTrieMatcher', createSegmentTrieMatcher);
// Built in steps (a sliced compile's one large host), three rules a step: the same matcher.
runPathMatcherConformance('SegmentTrieMatcher built in steps', (rules) => runSteps(segmentTrieSteps(rules, 3)));

// Changed into its rules: made from half of them and decoys elsewhere, then the decoys taken out and the other half put in.
runPathMatcherConformance('SegmentTrieMatcher changed by segmentTrieWithChanges', (rules) => {
  const decoys = rules.map((rule, i) => ({ ...rule, path: `/decoy${i}${rule.path === '/' ? '' : rule.path}` }));
  const start = createSegmentTrieMatcher([...rules.filter((_, i) => i % 2 === 0), ...decoys]);
  const changed = segmentTrieWithChanges(start, decoys, rules.filter((_, i) => i % 2 === 1));
  if (changed === undefined) throw new Error('no change made');
  return changed;
});

describe('segmentTrieWithChanges', () => {
  const ELEMENTS = ['a', 'b', 'c'];
  const pathArb = fc.array(fc.constantFrom(...ELEMENTS), { maxLength: 3 }).chain((elements) => fc.constantFrom(`/${elements.join('/')}`, `/${elements.join('/')}/`));
  const ruleArb = fc.record({ path: pathArb, kind: fc.constantFrom<PathMatchKind>('prefix', 'exact') }).map(({ path, kind }) => (kind === 'prefix' && path.length > 1 && path.endsWith('/') ? { path: path.slice(0, -1), kind } : { path, kind }));
  const REQUESTS = ['/', ...ELEMENTS.flatMap((a) => [`/${a}`, `/${a}/`, ...ELEMENTS.flatMap((b) => [`/${a}/${b}`, `/${a}/${b}/`, ...ELEMENTS.map((c) => `/${a}/${b}/${c}`)])])];
  const slot = (rule: { path: string; kind: PathMatchKind }) => `${rule.kind} ${rule.path}`;
  let serial = 0;
  const pathRule = (rule: { path: string; kind: PathMatchKind }): PathRule => ({ ...rule, route: { field: `${slot(rule)} #${serial++}` } as unknown as Route });
  const answers = (matcher: PathMatcher) => REQUESTS.map((request) => matcher.match(request)?.field);
  /** Nodes of the trie: a changed one holds no more than one built from its rules. */
  const nodes = (matcher: PathMatcher) => {
    const count = (node: { children?: Map<string, unknown> }): number => 1 + [...(node.children?.values() ?? [])].reduce<number>((sum, child) => sum + count(child as { children?: Map<string, unknown> }), 0);
    return count((matcher as unknown as { root: { children?: Map<string, unknown> } }).root);
  };

  test('step after step, it matches as a matcher built from its rules, of the same size, and leaves the one it changed as it was', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 8 }), fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 3 }), fc.array(ruleArb, { maxLength: 3 })), { minLength: 1, maxLength: 6 }), (initial, steps) => {
        // The rules held: one per slot (a second rule for a slot is a conflict, which compile settles before).
        let rules = [...new Map(initial.map((rule) => [slot(rule), pathRule(rule)])).values()];
        let matcher = createSegmentTrieMatcher(rules);
        for (const [picks, additions] of steps) {
          const removed = [...new Set(picks.filter(() => rules.length > 0).map((pick) => rules[pick % rules.length]!))];
          const left = rules.filter((rule) => !removed.includes(rule));
          const added = [...new Map(additions.filter((rule) => !left.some((held) => slot(held) === slot(rule))).map((rule) => [slot(rule), pathRule(rule)])).values()];
          const before = answers(matcher);
          const changed = segmentTrieWithChanges(matcher, removed, added);
          expect(changed).toBeDefined();
          expect(answers(matcher)).toEqual(before);
          rules = [...left, ...added];
          const built = createSegmentTrieMatcher(rules);
          expect(answers(changed!)).toEqual(answers(built));
          expect(nodes(changed!)).toBe(nodes(built));
          matcher = changed!;
        }
      }),
    );
  });

  test('a rule whose place is taken, or one not in the matcher, makes no change', () => {
    const held = pathRule({ path: '/a/b', kind: 'prefix' });
    const matcher = createSegmentTrieMatcher([held]);
    expect(segmentTrieWithChanges(matcher, [], [pathRule({ path: '/a/b', kind: 'prefix' })])).toBeUndefined();
    expect(segmentTrieWithChanges(matcher, [pathRule({ path: '/a/b', kind: 'prefix' })], [])).toBeUndefined();
    expect(segmentTrieWithChanges(matcher, [pathRule({ path: '/a/c', kind: 'exact' })], [])).toBeUndefined();
    expect(segmentTrieWithChanges(createPrefixHashMatcher([held]), [held], [])).toBeUndefined();
    expect(matcher.match('/a/b/c')).toBe(held.route);
  });
});
