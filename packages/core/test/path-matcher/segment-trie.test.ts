import { createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { segmentTrieSteps } from '../../src/path-matcher/segment-trie/segment-trie.js';
import { runSteps } from '../../src/steps.js';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('SegmentTrieMatcher', createSegmentTrieMatcher);
// Built in steps (a sliced compile's one large host), three rules a step: the same matcher.
runPathMatcherConformance('SegmentTrieMatcher built in steps', (rules) => runSteps(segmentTrieSteps(rules, 3)));
