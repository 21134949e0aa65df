// The main entry: pure (no I/O, no Node built-ins). Everything here is documented in README.md,
// and test/public-api.test.ts pins the list. Node-only file loading is `@switchyard/core/files`;
// the path matcher implementations are `@switchyard/core/path-matchers`.

// Compiling and matching
export { compile, type CompileOptions, type CompileResult, type IngressValidations } from './compile.js';
export { compileInSlices, type SliceOptions } from './compile-in-slices.js';
export { RouteTable } from './route-table/route-table.js';
export type { CompiledRule, Tier } from './route-table/compiled-rule.js';
export type { CandidateOutcome, ExplainCandidate, Explanation } from './route-table/explain.js';
export type { Route, RouteMatch, RouteOrigin, RouteRule, RuleBackend } from './route.js';
export type { PathMatchKind, PathMatcher, PathMatcherFactory, PathRule } from './path-matcher/path-matcher.js';
export { normalizeHost } from './request/normalize-host.js';
export { normalizePath } from './request/normalize-path.js';

// The Gateway API: Gateways, HTTPRoutes and GRPCRoutes, compiled beside the Ingresses (`table.gatewayPort(port)`)
export { GATEWAY_API_GROUP } from './gateway-api/model.js';
export { HOP_BY_HOP_HEADERS, PROXY_OWNED_REQUEST_HEADERS, PROXY_OWNED_RESPONSE_HEADERS } from './gateway-api/proxy-owned-headers.js';
export type {
  AllowedRoutes,
  BackendObjectReference,
  Gateway,
  GatewayClass,
  GatewayTLSConfig,
  GRPCBackendRef,
  GRPCMethodMatch,
  GRPCMethodMatchType,
  GRPCRoute,
  GRPCRouteFilter,
  GRPCRouteFilterType,
  GRPCRouteMatch,
  GRPCRouteRule,
  HTTPBackendRef,
  HTTPHeader,
  HTTPHeaderFilter,
  HTTPHeaderMatch,
  HTTPPathMatch,
  HTTPPathModifier,
  HTTPQueryParamMatch,
  HTTPRequestMirrorFilter,
  HTTPRequestRedirectFilter,
  HTTPRoute,
  HTTPRouteFilter,
  HTTPRouteMatch,
  HTTPRouteRule,
  HTTPRouteTimeouts,
  HTTPURLRewriteFilter,
  LabelSelector,
  Listener,
  Namespace,
  ParentReference,
  ReferenceGrant,
  RouteGroupKind,
  SecretObjectReference,
} from './gateway-api/model.js';
export type { FilterActions, HeaderModifier, MirrorAction, PathModifier, RedirectAction, RewriteAction, RuleTimeouts } from './gateway-api/compiled-filters.js';
export type { CompiledMatch, GatewayPathType } from './gateway-api/compiled-match.js';
export type { GrpcMethodCondition, GrpcMethodKind } from './gateway-api/grpc-method-match.js';
export type { GatewayRequest } from './gateway-api/request-conditions.js';
export type { GatewayListenerInfo, GatewayPort, ListenerRoutes } from './gateway-api/listener-index.js';
export type { Condition, GatewayApiStatus, GatewayClassStatus, GatewayStatus, GRPCRouteStatus, HTTPRouteStatus, ListenerStatus, RouteParentStatus } from './gateway-api/conditions.js';
export type { CompiledGatewayApi } from './gateway-api/compile-gateway-api.js';
export type { ListenerCertificate, ResolvedListener } from './gateway-api/listeners.js';
export {
  explainGatewayRequest,
  type GatewayBackendExplanation,
  type GatewayCandidateOutcome,
  type GatewayExplainCandidate,
  type GatewayExplainRequest,
  type GatewayExplanation,
  type GatewayFailedCondition,
  type GatewayFilterExplanation,
  type GatewayHostnameTier,
  type GatewayListenerExplanation,
  type GatewayListenerOutcome,
  type GatewayMatchRef,
  type GatewayRuleExplanation,
} from './gateway-api/explain-gateway.js';

// The model and reading it
export type {
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressRef,
  IngressRule,
  IngressServiceBackend,
  IngressSpec,
  IngressTLS,
  KubernetesObject,
  ObjectMeta,
  PathType,
  ServiceBackendPort,
  TypedLocalObjectReference,
} from './model.js';
export { backendKey, type BackendRef, type ResourceBackendRef, type ServiceBackendRef } from './backend-ref.js';
export { SERVICE_NAME_LABEL, type EndpointSlice, type EndpointSliceEndpoint, type EndpointSlicePort, type Service, type ServicePort } from './discovery/kubernetes-types.js';
export { TLS_SECRET_TYPE, type Secret } from './secret.js';
export { loadManifests, type LoadManifestsOptions, type LoadedManifests } from './manifests/load-manifests.js';
export { manifestSourceOf, type ManifestSource } from './manifests/manifest-source.js';
export { validateIngress } from './ingress/validate-ingress.js';
export { IngressClassScope, type ClassDecision } from './ingress/ingress-class.js';
export type { Diagnostic, Severity } from './diagnostics.js';
export { defineErrorCodes, type ErrorCodeEntry, type ErrorReach, type ErrorRegistry } from './error-registry.js';
export { ERROR_CODES, SwitchyardError, isSwitchyardError, type ErrorCode, type ErrorSubject, type SwitchyardErrorOptions } from './errors.js';

// Discovery and the router
export type { Discovery } from './discovery/discovery.js';
export type { DiscoveryProblem, Endpoint, EndpointSet } from './discovery/endpoint-set.js';
export { endpointKey } from './discovery/endpoint-key.js';
export { EndpointSetStore } from './discovery/endpoint-set-store.js';
export { StaticDiscovery, toEndpoint, type EndpointInput, type ExternalNameResolver, type StaticDiscoveryOptions } from './discovery/static-discovery.js';
export { selectEndpoints } from './discovery/select-endpoints.js';
export { serviceBackendDiagnostics, type ServiceBackendDiagnosticsOptions } from './discovery/service-backend-diagnostics.js';
export { createExternalNameAllowList, type ExternalNameAllowList } from './discovery/external-name-allow-list.js';
export { AddressPolicy, DEFAULT_ADDRESS_POLICY, LINK_LOCAL_RANGES, type AddressDenial, type AddressPolicyOptions } from './address-policy.js';
export { Router, type BackendEndpoints, type RoutedBackend, type RouterOptions } from './router.js';
export type { RoutableEndpoint } from './discovery/routable-endpoint.js';
export { upstreamProtocolOf, type UpstreamProtocol } from './discovery/upstream-protocol.js';

// Balancers
export { createBackendBalancer, type BackendBalancer, type BackendBalancerOptions, type Outcome } from './balancer/backend-balancer.js';
export type { BalancerFactory, BalancingOptions } from './balancer/balancing.js';
export { parseBalancerPolicy, type BalancerPolicy, type HashOn } from './balancer/balancer-policy.js';
export { hashKeyOf, type RequestHeaders } from './balancer/hash-key.js';
export { resolveOutlierDetection, type OutlierDetectionOptions, type OutlierDetectionSettings } from './balancer/outlier-detection.js';
