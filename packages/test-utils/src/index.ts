export { referenceMatch, type ReferenceAnswer } from './reference-matcher.js';
export {
  referenceGatewayMatch,
  type GatewayReferenceAnswer,
  type GatewayReferenceInput,
  type GatewayReferenceRequest,
} from './gateway-reference-matcher.js';
export * from './gateway-spec-cases/index.js';
export { gatewayCompileOptions } from './gateway-compile-input.js';
export * from './kube-api/index.js';
export { createTestCa, tlsSecret, type IssueOptions, type PemPair, type TestCa, type TlsSecretObject } from './certificates.js';
export { handshake, type Handshake } from './tls-handshake.js';
export { eventually, type EventuallyOptions } from './eventually.js';
export { thrown } from './thrown.js';
export {
  TEST_CONTROLLER,
  TEST_NAMESPACE,
  backendRef,
  endpointSlice,
  exact,
  httpPath,
  implSpecific,
  ingress,
  ingressClass,
  prefix,
  rule,
  secret,
  service,
  serviceBackend,
  sliceEndpoint,
  type EndpointSliceObject,
  type EndpointSliceOptions,
  type IngressClassObject,
  type IngressObject,
  type IngressOptions,
  type SecretObject,
  type SecretOptions,
  type ServiceObject,
  type ServiceOptions,
} from './kube-objects.js';
export {
  DnsTestServer,
  type AddressRecord,
  type NameBehaviour,
  type NameRecords,
  type ReceivedQuery,
  type ServerMode,
} from './dns-test-server.js';
export { startUpstream, type SeenRequest, type Upstream, type UpstreamHandler } from './upstream.js';
export { refusedPort } from './refused-port.js';
