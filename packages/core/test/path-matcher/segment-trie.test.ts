import { createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('SegmentTrieMatcher', createSegmentTrieMatcher);
