// The public types of @switchyard/core, @switchyard/core/files and @switchyard/core/path-matchers.
// Type-checked by `tsc -b` (see vitest.config.ts); a change here is a change of the public API.
import {
  ERROR_CODES,
  EndpointSetStore,
  IngressClassScope,
  RouteTable,
  Router,
  SERVICE_NAME_LABEL,
  StaticDiscovery,
  SwitchyardError,
  TLS_SECRET_TYPE,
  backendKey,
  compile,
  compileInSlices,
  createBackendBalancer,
  endpointKey,
  hashKeyOf,
  isSwitchyardError,
  loadManifests,
  manifestSourceOf,
  normalizeHost,
  normalizePath,
  parseBalancerPolicy,
  resolveOutlierDetection,
  selectEndpoints,
  toEndpoint,
  upstreamProtocolOf,
  validateIngress,
  type BackendBalancer,
  type RouterOptions,
  type SliceOptions,
  type RoutedBackend,
  type RoutableEndpoint,
  type UpstreamProtocol,
  type BackendBalancerOptions,
  type BackendEndpoints,
  type BackendRef,
  type BalancerFactory,
  type BalancerPolicy,
  type BalancingOptions,
  type CandidateOutcome,
  type ClassDecision,
  type CompileOptions,
  type CompileResult,
  type IngressValidations,
  type CompiledRule,
  type Diagnostic,
  type Discovery,
  type DiscoveryProblem,
  type Endpoint,
  type EndpointInput,
  type EndpointSet,
  type EndpointSlice,
  type ErrorCode,
  type ExplainCandidate,
  type Explanation,
  type HashOn,
  type Ingress,
  type IngressClass,
  type IngressRef,
  type KubernetesObject,
  type LoadedManifests,
  type ManifestSource,
  type OutlierDetectionOptions,
  type OutlierDetectionSettings,
  type Outcome,
  type PathMatcher,
  type PathMatcherFactory,
  type PathMatchKind,
  type PathRule,
  type PathType,
  type RequestHeaders,
  type ResourceBackendRef,
  type Route,
  type RouteMatch,
  type RouteOrigin,
  type CompiledGatewayApi,
  explainGatewayRequest,
  type GatewayExplainRequest,
  type GatewayExplanation,
  type GatewayExplainCandidate,
  type GatewayRuleExplanation,
  type GatewayListenerExplanation,
  type CompiledMatch,
  type Condition,
  type FilterActions,
  type Gateway,
  type GatewayApiStatus,
  type GatewayClass,
  type GatewayClassStatus,
  type GatewayListenerInfo,
  type GatewayPort,
  type GatewayRequest,
  type GatewayStatus,
  type GRPCRoute,
  type GRPCRouteStatus,
  type GrpcMethodCondition,
  type GrpcMethodKind,
  type HeaderModifier,
  type HTTPRoute,
  type HTTPRouteStatus,
  type Listener,
  type ListenerCertificate,
  type ListenerRoutes,
  type ListenerStatus,
  type MirrorAction,
  type Namespace,
  type ObjectMeta,
  type ParentReference,
  type PathModifier,
  type RedirectAction,
  type ReferenceGrant,
  type ResolvedListener,
  type RewriteAction,
  type RouteParentStatus,
  type RouteRule,
  type RuleBackend,
  type RuleTimeouts,
  GATEWAY_API_GROUP,
  HOP_BY_HOP_HEADERS,
  PROXY_OWNED_REQUEST_HEADERS,
  PROXY_OWNED_RESPONSE_HEADERS,
  type Secret,
  type Service,
  type ServiceBackendRef,
  type Severity,
  type StaticDiscoveryOptions,
  type Tier,
  AddressPolicy,
  DEFAULT_ADDRESS_POLICY,
  LINK_LOCAL_RANGES,
  createExternalNameAllowList,
  serviceBackendDiagnostics,
  type AddressDenial,
  type AddressPolicyOptions,
  type ExternalNameAllowList,
  type ServiceBackendDiagnosticsOptions,
} from '@switchyard/core';
import { loadManifestFiles, ManifestFiles, watchManifestFiles, type ManifestWatch } from '@switchyard/core/files';
import * as pathMatchers from '@switchyard/core/path-matchers';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/core: compiling and matching', () => {
  test('compileInSlices', () => {
    expectTypeOf(compileInSlices).toEqualTypeOf<(options: CompileOptions, slicing?: SliceOptions) => Promise<CompileResult>>();
    expectTypeOf<SliceOptions>().toEqualTypeOf<{ readonly sliceMs?: number; readonly signal?: AbortSignal; readonly betweenSlices?: () => void }>();
  });

  test('compile', () => {
    expectTypeOf(compile).toEqualTypeOf<(options: CompileOptions) => CompileResult>();
    expectTypeOf<CompileOptions>().toEqualTypeOf<{
      readonly ingresses: readonly Ingress[];
      readonly ingressClass?: string;
      readonly ingressClasses?: readonly IngressClass[];
      readonly version?: number;
      readonly pathMatcher?: PathMatcherFactory;
      readonly gateways?: readonly Gateway[];
      readonly httpRoutes?: readonly HTTPRoute[];
      readonly grpcRoutes?: readonly GRPCRoute[];
      readonly gatewayClass?: string;
      readonly controllerName?: string;
      readonly gatewayNames?: readonly string[];
      readonly gatewayClasses?: readonly GatewayClass[];
      readonly referenceGrants?: readonly ReferenceGrant[];
      readonly namespaces?: readonly Namespace[];
      readonly secrets?: readonly Secret[];
      readonly services?: readonly Service[];
      readonly validated?: IngressValidations;
      readonly previous?: CompileResult;
    }>();
    expectTypeOf<IngressValidations>().toEqualTypeOf<{ get(ingress: Ingress): readonly Diagnostic[] | undefined }>();
    expectTypeOf<WeakMap<Ingress, readonly Diagnostic[]>>().toExtend<IngressValidations>();
    expectTypeOf<CompileResult>().toEqualTypeOf<{ readonly table: RouteTable; readonly diagnostics: Diagnostic[] }>();
  });

  test('RouteTable', () => {
    expectTypeOf<RouteTable['match']>().toEqualTypeOf<(host: string, path: string) => RouteMatch | undefined>();
    expectTypeOf<RouteTable['lookup']>().toEqualTypeOf<(host: string, path: string) => Route | undefined>();
    expectTypeOf<RouteTable['explain']>().toEqualTypeOf<(host: string, path: string) => Explanation>();
    expectTypeOf<RouteTable['routes']>().toEqualTypeOf<() => Route[]>();
    expectTypeOf<RouteTable['rules']>().toEqualTypeOf<() => CompiledRule[]>();
    expectTypeOf<RouteTable['backends']>().toEqualTypeOf<() => BackendRef[]>();
    expectTypeOf<RouteTable['version']>().toEqualTypeOf<number>();
    expectTypeOf<RouteTable['defaultRoute']>().toEqualTypeOf<Route | undefined>();
    expectTypeOf<RouteTable['gatewayPort']>().toEqualTypeOf<(port: number) => GatewayPort | undefined>();
    expectTypeOf<RouteTable['gatewayPorts']>().toEqualTypeOf<() => number[]>();
    expectTypeOf<RouteTable['gatewayStatus']>().toEqualTypeOf<GatewayApiStatus>();
    expectTypeOf<RouteTable['gatewayApi']>().toEqualTypeOf<CompiledGatewayApi | undefined>();
  });

  test('the Gateway API data plane', () => {
    expectTypeOf<GatewayPort['find']>().toEqualTypeOf<(host: string, path: string, request: GatewayRequest) => CompiledMatch | undefined>();
    expectTypeOf<GatewayPort['select']>().toEqualTypeOf<(host: string) => ListenerRoutes | undefined>();
    expectTypeOf<CompiledMatch['rule']>().toEqualTypeOf<RouteRule>();
    expectTypeOf<RouteRule['backends']>().toEqualTypeOf<readonly RuleBackend[]>();
    expectTypeOf<RuleBackend['route']>().toEqualTypeOf<Route | undefined>();
    expectTypeOf<GatewayRequest>().toEqualTypeOf<{
      readonly method: string | undefined;
      readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
      readonly query: string;
    }>();
    expectTypeOf<FilterActions>().toEqualTypeOf<{
      readonly requestHeaders: HeaderModifier | undefined;
      readonly responseHeaders: HeaderModifier | undefined;
      readonly redirect: RedirectAction | undefined;
      readonly rewrite: RewriteAction | undefined;
      readonly mirrors: readonly MirrorAction[];
    }>();
    expectTypeOf<RuleTimeouts>().toEqualTypeOf<{ readonly requestMs: number | undefined; readonly backendRequestMs: number | undefined }>();
    expectTypeOf<PathModifier>().toMatchTypeOf<{ readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string }>();
    expectTypeOf<GatewayApiStatus>().toEqualTypeOf<{
      readonly gatewayClasses: readonly GatewayClassStatus[];
      readonly gateways: readonly GatewayStatus[];
      readonly httpRoutes: readonly HTTPRouteStatus[];
      readonly grpcRoutes: readonly GRPCRouteStatus[];
    }>();
    expectTypeOf<GRPCRouteStatus>().toEqualTypeOf<HTTPRouteStatus>();
    expectTypeOf<GRPCRoute>().toHaveProperty('metadata').toEqualTypeOf<ObjectMeta>();
    expectTypeOf<RouteRule>().toHaveProperty('grpc').toEqualTypeOf<boolean>();
    expectTypeOf<CompiledMatch>().toHaveProperty('grpc').toEqualTypeOf<GrpcMethodCondition | undefined>();
    expectTypeOf<GrpcMethodCondition>().toHaveProperty('kind').toEqualTypeOf<GrpcMethodKind>();
    expectTypeOf<GrpcMethodKind>().toEqualTypeOf<'exact' | 'service' | 'method' | 'regex' | 'any'>();
    expectTypeOf<Condition>().toEqualTypeOf<{ readonly type: string; readonly status: 'True' | 'False' | 'Unknown'; readonly reason: string; readonly message: string }>();
    expectTypeOf<RouteParentStatus>().toHaveProperty('parentRef').toEqualTypeOf<ParentReference>();
    expectTypeOf<ListenerStatus>().toHaveProperty('attachedRoutes').toEqualTypeOf<number>();
    expectTypeOf<GatewayListenerInfo>().toHaveProperty('gateway').toEqualTypeOf<string>();
    expectTypeOf<ResolvedListener>().toHaveProperty('certificates').toEqualTypeOf<readonly ListenerCertificate[]>();
    expectTypeOf<Gateway>().toHaveProperty('metadata').toEqualTypeOf<ObjectMeta>();
    expectTypeOf<HTTPRoute>().toHaveProperty('metadata').toEqualTypeOf<ObjectMeta>();
    expectTypeOf<Listener>().toHaveProperty('port').toEqualTypeOf<number>();
    expectTypeOf(GATEWAY_API_GROUP).toEqualTypeOf<'gateway.networking.k8s.io'>();
    expectTypeOf(HOP_BY_HOP_HEADERS).toEqualTypeOf<ReadonlySet<string>>();
    expectTypeOf(PROXY_OWNED_REQUEST_HEADERS).toEqualTypeOf<ReadonlySet<string>>();
    expectTypeOf(PROXY_OWNED_RESPONSE_HEADERS).toEqualTypeOf<ReadonlySet<string>>();
  });

  test('explaining a Gateway API request', () => {
    expectTypeOf(explainGatewayRequest).toEqualTypeOf<(table: RouteTable, request: GatewayExplainRequest) => GatewayExplanation>();
    expectTypeOf<GatewayExplainRequest>().toEqualTypeOf<{
      readonly port: number;
      readonly host: string;
      readonly path: string;
      readonly method?: string;
      readonly headers?: Readonly<Record<string, string | readonly string[]>>;
    }>();
    expectTypeOf<GatewayExplanation['winner']>().toEqualTypeOf<GatewayRuleExplanation | null>();
    expectTypeOf<GatewayExplanation['candidates']>().toEqualTypeOf<readonly GatewayExplainCandidate[]>();
    expectTypeOf<GatewayExplanation['listeners']>().toEqualTypeOf<readonly GatewayListenerExplanation[]>();
    expectTypeOf<GatewayExplainCandidate['outcome']>().toEqualTypeOf<'won' | 'lost' | 'no-match' | 'not-reached'>();
  });

  test('routes and matches', () => {
    expectTypeOf<Route>().toEqualTypeOf<{
      readonly backend: BackendRef;
      readonly backendKey: string;
      readonly host: string | undefined;
      readonly path: string | undefined;
      readonly pathType: PathType | undefined;
      readonly origin: RouteOrigin;
      readonly field: string;
      readonly isDefaultBackend: boolean;
      readonly rule: RouteRule | undefined;
      readonly backendFilters: FilterActions | undefined;
    }>();
    expectTypeOf<RouteOrigin>().toEqualTypeOf<{ readonly kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute'; readonly namespace: string; readonly name: string }>();
    expectTypeOf<RouteMatch>().toMatchTypeOf<Route>();
    expectTypeOf<RouteMatch>().toHaveProperty('route').toEqualTypeOf<Route>();
    expectTypeOf<RouteMatch>().toHaveProperty('requestHost').toEqualTypeOf<string>();
    expectTypeOf<RouteMatch>().toHaveProperty('requestPath').toEqualTypeOf<string>();
    expectTypeOf<PathType>().toEqualTypeOf<'Exact' | 'Prefix' | 'ImplementationSpecific'>();
  });

  test('explain', () => {
    expectTypeOf<Explanation>().toEqualTypeOf<{
      readonly host: string;
      readonly path: string;
      readonly winner: Route | undefined;
      readonly candidates: readonly ExplainCandidate[];
    }>();
    expectTypeOf<ExplainCandidate['tier']>().toEqualTypeOf<Tier>();
    expectTypeOf<ExplainCandidate['outcome']>().toEqualTypeOf<CandidateOutcome>();
    expectTypeOf<CandidateOutcome>().toEqualTypeOf<'won' | 'lost' | 'not-reached' | 'no-match' | 'shadowed'>();
    expectTypeOf<Tier>().toEqualTypeOf<'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend'>();
  });

  test('request normalization', () => {
    expectTypeOf(normalizeHost).toEqualTypeOf<(rawHost: string) => string>();
    expectTypeOf(normalizePath).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(normalizePath).returns.toEqualTypeOf<string>();
  });

  test('path matcher types', () => {
    expectTypeOf<PathMatcherFactory>().toEqualTypeOf<(rules: readonly PathRule[]) => PathMatcher>();
    expectTypeOf<PathMatcher['match']>().toEqualTypeOf<(path: string) => Route | undefined>();
    expectTypeOf<PathRule>().toEqualTypeOf<{ readonly path: string; readonly kind: PathMatchKind; readonly route: Route }>();
    expectTypeOf<PathMatchKind>().toEqualTypeOf<'exact' | 'prefix'>();
  });
});

describe('@switchyard/core: the model and reading it', () => {
  test('backend refs', () => {
    expectTypeOf<BackendRef>().toEqualTypeOf<ServiceBackendRef | ResourceBackendRef>();
    expectTypeOf(backendKey).toEqualTypeOf<(backend: BackendRef) => string>();
    expectTypeOf<ServiceBackendRef['service']['port']>().toEqualTypeOf<{ readonly number: number } | { readonly name: string }>();
  });

  test('manifests', () => {
    expectTypeOf(loadManifests).parameters.toEqualTypeOf<[text: string, options?: { readonly file?: string }]>();
    expectTypeOf(loadManifests).returns.toEqualTypeOf<LoadedManifests>();
    expectTypeOf<LoadedManifests>().toEqualTypeOf<{
      readonly objects: KubernetesObject[];
      readonly ingresses: Ingress[];
      readonly ingressClasses: IngressClass[];
      readonly diagnostics: Diagnostic[];
    }>();
    expectTypeOf(manifestSourceOf).toEqualTypeOf<(object: unknown, field?: string) => ManifestSource | undefined>();
    expectTypeOf<ManifestSource>().toEqualTypeOf<{ readonly file?: string; readonly document: number; readonly line?: number }>();
  });

  test('validation and class scope', () => {
    expectTypeOf(validateIngress).parameters.toEqualTypeOf<[ingress: Ingress, valid?: Ingress]>();
    expectTypeOf(validateIngress).returns.toEqualTypeOf<Diagnostic[]>();
    expectTypeOf(IngressClassScope).constructorParameters.toEqualTypeOf<[className: string | undefined, classes?: readonly IngressClass[]]>();
    expectTypeOf<IngressClassScope['decide']>().toEqualTypeOf<(ingress: Ingress) => ClassDecision>();
    expectTypeOf<ClassDecision>().toEqualTypeOf<{ readonly inScope: true } | { readonly inScope: false; readonly field: string; readonly reason: string }>();
  });

  test('diagnostics', () => {
    expectTypeOf<Diagnostic>().toEqualTypeOf<{
      readonly code: ErrorCode;
      readonly severity: Severity;
      readonly object: string;
      readonly field?: string;
      readonly message: string;
      readonly related?: { readonly object: string; readonly field?: string };
      readonly source?: ManifestSource;
    }>();
    expectTypeOf<Severity>().toEqualTypeOf<'error' | 'warning' | 'info'>();
  });

  test('constants keep their literal types', () => {
    expectTypeOf<typeof SERVICE_NAME_LABEL>().toEqualTypeOf<'kubernetes.io/service-name'>();
    expectTypeOf<typeof TLS_SECRET_TYPE>().toEqualTypeOf<'kubernetes.io/tls'>();
    expectTypeOf<Secret['data']>().toEqualTypeOf<Record<string, string> | undefined>();
  });
});

describe('@switchyard/core: errors', () => {
  test('every code of the registry, no more', () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof ERROR_CODES>();
    expectTypeOf<ErrorCode>().toEqualTypeOf<
      | 'SWY_REQUEST_BAD_PATH'
      | 'SWY_REQUEST_BAD_HOST'
      | 'SWY_COMPILE_INVALID_OPTIONS'
      | 'SWY_MANIFEST_INVALID_OPTIONS'
      | 'SWY_ROUTER_INVALID_OPTIONS'
      | 'SWY_DISCOVERY_CLOSED'
      | 'SWY_DISCOVERY_INVALID_OPTIONS'
      | 'SWY_ADDRESS_POLICY_INVALID'
      | 'SWY_BALANCER_INVALID_POLICY'
      | 'SWY_BALANCER_INVALID_OPTIONS'
      | 'SWY_DISCOVERY_SERVICE_NOT_FOUND'
      | 'SWY_DISCOVERY_PORT_NOT_FOUND'
      | 'SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED'
      | 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED'
      | 'SWY_DISCOVERY_ADDRESS_DENIED'
      | 'SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED'
      | 'SWY_DISCOVERY_RESOURCE_BACKEND'
      | 'SWY_MANIFEST_FILE_UNREADABLE'
      | 'SWY_MANIFEST_PARSER_FAILED'
      | 'SWY_MANIFEST_YAML_INVALID'
      | 'SWY_MANIFEST_OBJECT_INVALID'
      | 'SWY_MANIFEST_KIND_IGNORED'
      | 'SWY_MANIFEST_VERSION_UNSUPPORTED'
      | 'SWY_INGRESS_METADATA_INVALID'
      | 'SWY_INGRESS_SPEC_EMPTY'
      | 'SWY_INGRESS_FIELD_INVALID'
      | 'SWY_INGRESS_HOST_INVALID'
      | 'SWY_INGRESS_PATHS_EMPTY'
      | 'SWY_INGRESS_PATH_TYPE_INVALID'
      | 'SWY_INGRESS_PATH_INVALID'
      | 'SWY_INGRESS_BACKEND_INVALID'
      | 'SWY_INGRESS_SERVICE_NAME_INVALID'
      | 'SWY_INGRESS_SERVICE_PORT_INVALID'
      | 'SWY_INGRESS_RESOURCE_INVALID'
      | 'SWY_INGRESS_TLS_INVALID'
      | 'SWY_INGRESS_CLASS_INVALID'
      | 'SWY_GATEWAY_API_VERSION_UNSUPPORTED'
      | 'SWY_GATEWAY_API_METADATA_INVALID'
      | 'SWY_GATEWAYCLASS_FIELD_INVALID'
      | 'SWY_GATEWAY_FIELD_INVALID'
      | 'SWY_GATEWAY_LISTENER_PORT_INVALID'
      | 'SWY_GATEWAY_LISTENER_PROTOCOL_INVALID'
      | 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID'
      | 'SWY_GATEWAY_LISTENER_CONFLICT'
      | 'SWY_GATEWAY_LISTENER_TLS_INVALID'
      | 'SWY_GATEWAY_ADDRESS_INVALID'
      | 'SWY_HTTPROUTE_FIELD_INVALID'
      | 'SWY_HTTPROUTE_PARENT_REF_INVALID'
      | 'SWY_HTTPROUTE_HOSTNAME_INVALID'
      | 'SWY_HTTPROUTE_PATH_INVALID'
      | 'SWY_HTTPROUTE_MATCH_INVALID'
      | 'SWY_HTTPROUTE_FILTER_INVALID'
      | 'SWY_HTTPROUTE_BACKEND_REF_INVALID'
      | 'SWY_HTTPROUTE_TIMEOUT_INVALID'
      | 'SWY_GRPCROUTE_FIELD_INVALID'
      | 'SWY_GRPCROUTE_PARENT_REF_INVALID'
      | 'SWY_GRPCROUTE_HOSTNAME_INVALID'
      | 'SWY_GRPCROUTE_MATCH_INVALID'
      | 'SWY_GRPCROUTE_FILTER_INVALID'
      | 'SWY_GRPCROUTE_BACKEND_REF_INVALID'
      | 'SWY_REFERENCEGRANT_FIELD_INVALID'
      | 'SWY_GATEWAY_API_DUPLICATE'
      | 'SWY_INGRESS_DUPLICATE'
      | 'SWY_INGRESS_CLASS_SKIPPED'
      | 'SWY_INGRESS_PATH_UNMATCHABLE'
      | 'SWY_INGRESS_PATH_NORMALIZED'
      | 'SWY_ROUTE_CONFLICT'
      | 'SWY_ROUTE_DEFAULT_BACKEND_CONFLICT'
      | 'SWY_HOST_ROUTED_BY_BOTH'
      | 'SWY_GATEWAY_LISTENER_UNSUPPORTED'
      | 'SWY_GATEWAY_CERTIFICATE_REF_INVALID'
      | 'SWY_GATEWAY_PORT_CONFLICT'
      | 'SWY_HTTPROUTE_NOT_ACCEPTED'
      | 'SWY_HTTPROUTE_PARENT_UNKNOWN'
      | 'SWY_HTTPROUTE_BACKEND_UNRESOLVED'
      | 'SWY_HTTPROUTE_RULE_UNSUPPORTED'
      | 'SWY_HTTPROUTE_HEADER_IGNORED'
      | 'SWY_GRPCROUTE_NOT_ACCEPTED'
      | 'SWY_GRPCROUTE_PARENT_UNKNOWN'
      | 'SWY_GRPCROUTE_BACKEND_UNRESOLVED'
      | 'SWY_GRPCROUTE_HEADER_IGNORED'
      | 'SWY_GRPCROUTE_RULE_UNSUPPORTED'
    >();
  });

  test('SwitchyardError', () => {
    expectTypeOf<SwitchyardError>().toMatchTypeOf<Error>();
    expectTypeOf<SwitchyardError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<SwitchyardError<'SWY_X_Y'>['code']>().toEqualTypeOf<'SWY_X_Y'>();
    expectTypeOf<SwitchyardError['statusCode']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SwitchyardError['field']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(isSwitchyardError).guards.toEqualTypeOf<SwitchyardError>();
    expectTypeOf(isSwitchyardError).parameters.toEqualTypeOf<[value: unknown, code?: ErrorCode]>();
  });
});

describe('@switchyard/core: discovery and the router', () => {
  test('endpoint sets', () => {
    expectTypeOf<Endpoint>().toEqualTypeOf<{
      readonly address: string;
      readonly port: number;
      readonly ready: boolean;
      readonly serving: boolean;
      readonly terminating: boolean;
      readonly zone?: string;
      readonly weight?: number;
      readonly externalName?: string;
      readonly protocol?: UpstreamProtocol;
    }>();
    expectTypeOf<EndpointSet>().toEqualTypeOf<{
      readonly backendKey: string;
      readonly version: number;
      readonly endpoints: readonly Endpoint[];
      readonly problem?: DiscoveryProblem;
      readonly stale: boolean;
    }>();
    expectTypeOf<DiscoveryProblem>().toEqualTypeOf<{ readonly code: string; readonly message: string; readonly since: number }>();
    expectTypeOf(endpointKey).toEqualTypeOf<(endpoint: Endpoint) => string>();
    expectTypeOf(selectEndpoints).toEqualTypeOf<(set: EndpointSet | undefined, terminatingFallback?: boolean) => readonly Endpoint[]>();
  });

  test('Discovery, and the implementations core ships', () => {
    expectTypeOf<Discovery>().toEqualTypeOf<{
      watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void;
      ready(): Promise<void>;
      close(): Promise<void>;
    }>();
    expectTypeOf<StaticDiscovery>().toMatchTypeOf<Discovery>();
    expectTypeOf(StaticDiscovery).constructorParameters.toEqualTypeOf<[options?: StaticDiscoveryOptions]>();
    expectTypeOf<StaticDiscovery['update']>().toEqualTypeOf<(options: StaticDiscoveryOptions) => void>();
    expectTypeOf<StaticDiscoveryOptions['objects']>().toEqualTypeOf<ReadonlyArray<KubernetesObject | Service | EndpointSlice> | undefined>();
    expectTypeOf<StaticDiscoveryOptions['allowExternalNames']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<StaticDiscoveryOptions['addressPolicy']>().toEqualTypeOf<AddressPolicy | undefined>();
    expectTypeOf(toEndpoint).toEqualTypeOf<(input: EndpointInput) => Endpoint>();
    expectTypeOf<EndpointSetStore['subscribe']>().toEqualTypeOf<(backendKey: string, onChange: (set: EndpointSet) => void) => () => void>();
    expectTypeOf<EndpointSetStore['publish']>().toEqualTypeOf<
      (backendKey: string, endpoints: readonly Endpoint[], problem?: DiscoveryProblem, stale?: boolean) => void
    >();
  });

  test('ExternalName is opt-in; the address policy', () => {
    expectTypeOf(createExternalNameAllowList).toEqualTypeOf<(patterns?: readonly string[], field?: string) => ExternalNameAllowList>();
    expectTypeOf<ExternalNameAllowList>().toEqualTypeOf<{ readonly patterns: readonly string[]; allows(hostname: string): boolean }>();
    expectTypeOf(serviceBackendDiagnostics).toEqualTypeOf<(table: RouteTable, objects: readonly KubernetesObject[], options?: ServiceBackendDiagnosticsOptions) => Diagnostic[]>();
    expectTypeOf<ServiceBackendDiagnosticsOptions>().toEqualTypeOf<{ readonly allowExternalNames?: readonly string[] }>();
    expectTypeOf(AddressPolicy).constructorParameters.toEqualTypeOf<[options?: AddressPolicyOptions]>();
    expectTypeOf<AddressPolicyOptions>().toEqualTypeOf<{ readonly deny?: readonly string[] }>();
    expectTypeOf<AddressPolicy['check']>().toEqualTypeOf<(address: string) => AddressDenial | undefined>();
    expectTypeOf<AddressPolicy['denied']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<AddressDenial>().toEqualTypeOf<{ readonly address: string; readonly range: string; readonly message: string }>();
    expectTypeOf(DEFAULT_ADDRESS_POLICY).toEqualTypeOf<AddressPolicy>();
    expectTypeOf(LINK_LOCAL_RANGES).toEqualTypeOf<readonly string[]>();
  });

  test('Router: a backend\'s endpoints and balancer in one read', () => {
    expectTypeOf(Router).constructorParameters.toEqualTypeOf<[options: RouterOptions]>();
    expectTypeOf<RouterOptions>().toEqualTypeOf<{
      readonly table: RouteTable;
      readonly discovery: Discovery;
      readonly terminatingFallback?: boolean;
      readonly retainDroppedMs?: number;
      readonly balancing?: BalancingOptions;
    }>();
    expectTypeOf<BalancingOptions>().toEqualTypeOf<{
      readonly default?: BalancerPolicy;
      readonly backends?: Readonly<Record<string, BalancerPolicy>>;
      readonly outlierDetection?: OutlierDetectionOptions | false;
      readonly create?: BalancerFactory;
    }>();
    expectTypeOf<BalancerFactory>().toEqualTypeOf<(backendKey: string, policy: BalancerPolicy, options: BackendBalancerOptions) => BackendBalancer | undefined>();
    expectTypeOf<Router['table']>().toEqualTypeOf<RouteTable>();
    expectTypeOf<Router['update']>().parameters.toEqualTypeOf<[table: RouteTable]>();
    expectTypeOf<Router['backend']>().parameters.toEqualTypeOf<[route: Route]>();
    expectTypeOf<Router['backend']>().returns.toEqualTypeOf<RoutedBackend | undefined>();
    expectTypeOf<Router['backendByKey']>().returns.toEqualTypeOf<RoutedBackend | undefined>();
    expectTypeOf<Router['endpoints']>().parameters.toEqualTypeOf<[route: Route]>();
    expectTypeOf<Router['endpoints']>().returns.toEqualTypeOf<BackendEndpoints | undefined>();
    expectTypeOf<RoutedBackend>().toEqualTypeOf<{ readonly key: string; readonly endpoints: BackendEndpoints | undefined; readonly balancer: BackendBalancer }>();
    expectTypeOf<BackendEndpoints>().toHaveProperty('set').toEqualTypeOf<EndpointSet>();
    expectTypeOf<BackendEndpoints>().toHaveProperty('eligible').toEqualTypeOf<readonly RoutableEndpoint[]>();
    expectTypeOf<RoutableEndpoint>().toMatchTypeOf<Endpoint>();
    expectTypeOf<Pick<RoutableEndpoint, 'key' | 'authority' | 'origin'>>().toEqualTypeOf<{ readonly key: string; readonly authority: string; readonly origin: string }>();
    expectTypeOf<RoutableEndpoint['protocol']>().toEqualTypeOf<UpstreamProtocol>();
    expectTypeOf<Endpoint['protocol']>().toEqualTypeOf<UpstreamProtocol | undefined>();
    expectTypeOf<UpstreamProtocol>().toEqualTypeOf<'http1' | 'h2c'>();
    expectTypeOf(upstreamProtocolOf).toEqualTypeOf<(appProtocol: string | null | undefined) => UpstreamProtocol | undefined>();
  });
});

describe('@switchyard/core: balancers', () => {
  test('policies', () => {
    expectTypeOf<BalancerPolicy>().toEqualTypeOf<
      | { readonly kind: 'round-robin' }
      | { readonly kind: 'least-request'; readonly choices?: number }
      | { readonly kind: 'consistent-hash'; readonly on: HashOn }
    >();
    expectTypeOf<HashOn>().toEqualTypeOf<{ readonly header: string } | { readonly cookie: string } | { readonly clientAddress: true }>();
    expectTypeOf(parseBalancerPolicy).toEqualTypeOf<(value: unknown, field: string) => BalancerPolicy>();
    expectTypeOf(hashKeyOf).toEqualTypeOf<(on: HashOn, headers: RequestHeaders, clientAddress: string | undefined) => string | undefined>();
  });

  test('a backend balancer', () => {
    expectTypeOf(createBackendBalancer).parameters.toEqualTypeOf<[policy: BalancerPolicy, options?: BackendBalancerOptions]>();
    expectTypeOf(createBackendBalancer).returns.toEqualTypeOf<BackendBalancer>();
    expectTypeOf<BackendBalancer['pick']>().toEqualTypeOf<(eligible: readonly Endpoint[], hashKey?: string, exclude?: readonly Endpoint[]) => Endpoint | undefined>();
    expectTypeOf<BackendBalancer['finished']>().toEqualTypeOf<(endpoint: Endpoint, outcome: Outcome) => boolean>();
    expectTypeOf<Outcome>().toEqualTypeOf<'success' | 'failure'>();
  });

  test('outlier detection', () => {
    expectTypeOf(resolveOutlierDetection).toEqualTypeOf<(value: unknown, field?: string) => OutlierDetectionSettings | undefined>();
    expectTypeOf<OutlierDetectionOptions>().toEqualTypeOf<{
      readonly consecutiveFailures?: number;
      readonly baseEjectionMs?: number;
      readonly maxEjectionMs?: number;
      readonly maxEjectedPercent?: number;
    }>();
    expectTypeOf<OutlierDetectionSettings>().toEqualTypeOf<Required<OutlierDetectionOptions>>();
  });
});

describe('@switchyard/core/files', () => {
  test('load and watch', () => {
    expectTypeOf(loadManifestFiles).toEqualTypeOf<(paths: readonly string[]) => Promise<LoadedManifests>>();
    expectTypeOf(watchManifestFiles).toEqualTypeOf<
      (paths: readonly string[], onChange: (loaded: LoadedManifests) => void, options?: { readonly debounceMs?: number }) => Promise<ManifestWatch>
    >();
    expectTypeOf<ManifestWatch>().toEqualTypeOf<{ readonly initial: LoadedManifests; load(): Promise<LoadedManifests>; close(): void }>();
    expectTypeOf<ManifestFiles['load']>().toEqualTypeOf<() => Promise<LoadedManifests>>();
    expectTypeOf<ManifestFiles['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<ManifestFiles['paths']>().toEqualTypeOf<readonly string[]>();
  });
});

describe('@switchyard/core/path-matchers', () => {
  test('every factory is a PathMatcherFactory for compile()', () => {
    expectTypeOf(pathMatchers.createSegmentTrieMatcher).toMatchTypeOf<PathMatcherFactory>();
    expectTypeOf(pathMatchers.createPrefixHashMatcher).toMatchTypeOf<PathMatcherFactory>();
    expectTypeOf(pathMatchers.createFindMyWayMatcher).toMatchTypeOf<PathMatcherFactory>();
    expectTypeOf(pathMatchers.createSegmentTrieMatcher).toEqualTypeOf<PathMatcherFactory>();
    expectTypeOf(pathMatchers.createPrefixHashMatcher).toEqualTypeOf<PathMatcherFactory>();
    expectTypeOf(pathMatchers.createFindMyWayMatcher).toEqualTypeOf<PathMatcherFactory>();
    expectTypeOf<pathMatchers.SegmentTrieMatcher>().toMatchTypeOf<PathMatcher>();
    expectTypeOf<pathMatchers.PrefixHashMatcher>().toMatchTypeOf<PathMatcher>();
    expectTypeOf<pathMatchers.FindMyWayMatcher>().toMatchTypeOf<PathMatcher>();
    expectTypeOf<pathMatchers.PathMatcherFactory>().toEqualTypeOf<PathMatcherFactory>();
  });
});
