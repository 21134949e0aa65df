export { compile, type CompileOptions, type CompileResult } from './compile.js';
export { RouteTable, type RouteTableParts } from './route-table/route-table.js';
export type { CompiledRule, Tier } from './route-table/compiled-rule.js';
export type { CandidateOutcome, ExplainCandidate, Explanation } from './route-table/explain.js';
export type { Route, RouteMatch } from './route.js';
export { normalizeHost, isIpHost } from './request/normalize-host.js';
export { normalizePath } from './request/normalize-path.js';
export { loadManifests, type LoadManifestsOptions, type LoadedManifests } from './manifests/load-manifests.js';
export { manifestSourceOf } from './manifests/manifest-source.js';
export { loadManifestFiles, watchManifestFiles, type ManifestWatch } from './manifests/manifest-files.js';
export { validateIngress } from './ingress/validate-ingress.js';
export { IngressClassScope, type ClassDecision } from './ingress/ingress-class.js';
export { backendKey } from './backend-ref.js';
export { hasErrors, type Diagnostic, type ManifestSource, type Severity } from './diagnostics.js';
export { defineErrorCodes, type ErrorCodeEntry, type ErrorReach, type ErrorRegistry } from './error-registry.js';
export { ERROR_CODES, SwitchyardError, isSwitchyardError, type ErrorCode, type ErrorSubject, type SwitchyardErrorOptions } from './errors.js';
export * from './path-matcher/index.js';
export {
  DEFAULT_CLASS_ANNOTATION,
  INGRESS_CLASS_ANNOTATION,
  type BackendRef,
  type HTTPIngressPath,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type IngressRef,
  type IngressRule,
  type IngressServiceBackend,
  type IngressSpec,
  type IngressTLS,
  type KubernetesObject,
  type ObjectMeta,
  type PathType,
  type ResourceBackendRef,
  type ServiceBackendPort,
  type ServiceBackendRef,
  type TypedLocalObjectReference,
} from './model.js';
export type { Discovery } from './discovery/discovery.js';
export type { DiscoveryProblem, Endpoint, EndpointSet } from './discovery/endpoint-set.js';
export { DEFAULT_RETAIN_DROPPED_MS, Router, type BackendEndpoints, type RouterOptions } from './router.js';
export { StaticDiscovery, toEndpoint, type EndpointInput, type ExternalNameResolver, type StaticDiscoveryOptions } from './discovery/static-discovery.js';
export { EndpointSetStore } from './discovery/endpoint-set-store.js';
export { resolveServiceBackend, type ServiceResolution } from './discovery/endpoint-slices.js';
export { selectEndpoints } from './discovery/select-endpoints.js';
export { SERVICE_NAME_LABEL, type EndpointSlice, type EndpointSliceEndpoint, type EndpointSlicePort, type Service, type ServicePort } from './discovery/kubernetes-types.js';
export { TLS_SECRET_TYPE, type Secret } from './discovery/kubernetes-types.js';
export * from './balancer/index.js';
