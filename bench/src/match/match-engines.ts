import { createFindMyWayMatcher, createPrefixHashMatcher, createSegmentTrieMatcher, type PathMatcherFactory } from '@switchyard/core/path-matchers';

/** A path matcher core can compile a table with. */
export interface MatchEngine {
  readonly id: 'segment-trie' | 'prefix-hash' | 'find-my-way';
  readonly label: string;
  readonly pathMatcher: PathMatcherFactory;
}

export const SEGMENT_TRIE: MatchEngine = { id: 'segment-trie', label: 'segment trie (default)', pathMatcher: createSegmentTrieMatcher };
export const PREFIX_HASH: MatchEngine = { id: 'prefix-hash', label: 'prefix hash', pathMatcher: createPrefixHashMatcher };
export const FIND_MY_WAY: MatchEngine = { id: 'find-my-way', label: 'find-my-way', pathMatcher: createFindMyWayMatcher };
