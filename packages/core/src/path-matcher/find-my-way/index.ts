export { FindMyWayMatcher, createFindMyWayMatcher } from './find-my-way-matcher.js';
