import { createPrefixHashMatcher } from '@switchyard/core';
import { runPathMatcherConformance } from './path-matcher.case.js';

runPathMatcherConformance('PrefixHashMatcher', createPrefixHashMatcher);
