export { referenceMatch, type ReferenceAnswer } from './reference-matcher.js';
