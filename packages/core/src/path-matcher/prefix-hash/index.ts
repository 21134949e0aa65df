export { PrefixHashMatcher, createPrefixHashMatcher } from './prefix-hash.js';
