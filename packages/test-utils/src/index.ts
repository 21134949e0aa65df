export { referenceMatch, type ReferenceAnswer } from './reference-matcher.js';
export * from './kube-api/index.js';
