export type { PathMatchKind, PathMatcher, PathMatcherFactory, PathRule } from './path-matcher.js';
export { PrefixHashMatcher, createPrefixHashMatcher } from './prefix-hash/index.js';
export { SegmentTrieMatcher, createSegmentTrieMatcher } from './segment-trie/index.js';
export { FindMyWayMatcher, createFindMyWayMatcher } from './find-my-way/index.js';
