import { createFindMyWayMatcher } from '@switchyard/core';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('FindMyWayMatcher', createFindMyWayMatcher);
