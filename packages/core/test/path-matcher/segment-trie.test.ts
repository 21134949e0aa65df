import { createSegmentTrieMatcher } from '@switchyard/core';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('SegmentTrieMatcher', createSegmentTrieMatcher);
