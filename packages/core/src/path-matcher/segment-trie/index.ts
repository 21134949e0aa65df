export { SegmentTrieMatcher, createSegmentTrieMatcher } from './segment-trie.js';
