import type { CoreUnderTest, PathMatcherFactory } from './core-under-test.js';

/** A path matcher core can compile a table with. */
export interface MatchEngine {
  readonly id: 'segment-trie' | 'prefix-hash' | 'find-my-way';
  readonly label: string;
  /** Its factory in the core under test. */
  pathMatcher(core: CoreUnderTest): PathMatcherFactory;
}

export const SEGMENT_TRIE: MatchEngine = { id: 'segment-trie', label: 'segment trie (default)', pathMatcher: (core) => core.createSegmentTrieMatcher };
export const PREFIX_HASH: MatchEngine = { id: 'prefix-hash', label: 'prefix hash', pathMatcher: (core) => core.createPrefixHashMatcher };
export const FIND_MY_WAY: MatchEngine = { id: 'find-my-way', label: 'find-my-way', pathMatcher: (core) => core.createFindMyWayMatcher };
