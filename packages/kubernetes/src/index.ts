// Everything here is documented in README.md; test/public-api.test.ts pins the list.
export { connectionFromKubeConfig, KubeApiError, type KubeConnection } from './kube-client.js';
export type { KubeSourceOptions } from './source-options.js';
export { IngressSource, type IngressSourceOptions } from './ingress-source.js';
export { KubernetesDiscovery, type KubernetesDiscoveryOptions } from './kubernetes-discovery.js';
export { SecretSource } from './secret-source.js';
export type { SharedCollection } from './shared-collection.js';
export {
  GatewayApiSource,
  type GatewayApiCompileOptions,
  type GatewayApiObserved,
  type GatewayApiSourceOptions,
  type GatewayApiSourceStatus,
} from './gateway-api-source.js';
export type { ApiGroupServed } from './api-group-presence.js';
export { Reflector, type ReflectorChange, type ReflectorOptions, type ReflectorStatus } from './reflector.js';
export type { BackoffOptions } from './backoff.js';
export { LeaseElector, type LeaseElectorOptions, type LeaseTimings } from './lease-elector.js';
export { KUBE_ERROR_CODES, KubeError, isKubeError, type KubeErrorCode } from './errors.js';
export {
  MAX_ROUTE_PARENTS,
  gatewayClassStatusDocument,
  gatewayStatusDocument,
  httpRouteStatusDocument,
  planStatusWrites,
  type GatewayClassStatusDocument,
  type GatewayDocumentOptions,
  type GatewayStatusAddress,
  type GatewayStatusDocument,
  type HTTPRouteDocument,
  type HTTPRouteDocumentOptions,
  type HTTPRouteStatusDocument,
  type ListenerStatusDocument,
  type ObservedObject,
  type RouteParentStatusDocument,
  type SkippedStatus,
  type StatusCondition,
  type StatusObjectRef,
  type StatusPlan,
  type StatusPlanInput,
  type StatusWrite,
  type SupportedKind,
} from './gateway-status/index.js';
export { statusPath, writeStatus, type StatusWriteOutcome } from './gateway-status/status-writer.js';
export { StatusPublisher, type StatusInputs, type StatusPublisherOptions } from './gateway-status/status-publisher.js';
