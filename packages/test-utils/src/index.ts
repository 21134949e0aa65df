export { referenceMatch, type ReferenceAnswer } from './reference-matcher.js';
export * from './kube-api/index.js';
export { createTestCa, tlsSecret, type IssueOptions, type PemPair, type TestCa, type TlsSecretObject } from './certificates.js';
export { handshake, type Handshake } from './tls-handshake.js';
