// `@switchyard/core/path-matchers`: the path matchers `compile({ pathMatcher })` can use. The
// segment trie is the default; the other two are kept as measured peers (bench:match).
export type { PathMatchKind, PathMatcher, PathMatcherFactory, PathRule } from './path-matcher.js';
export { SegmentTrieMatcher, createSegmentTrieMatcher } from './segment-trie/index.js';
export { FindMyWayMatcher, createFindMyWayMatcher } from './find-my-way/index.js';
export { PrefixHashMatcher, createPrefixHashMatcher } from './prefix-hash/index.js';
