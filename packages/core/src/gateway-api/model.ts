import type { ObjectMeta } from '../model.js';

/**
 * The subset of the Kubernetes Gateway API (`gateway.networking.k8s.io/v1`, ReferenceGrant also
 * `v1beta1`) that routing reads, as plain data, field names as the API spells them. Objects
 * from YAML or the API server are untrusted: the validators check every field the compiler
 * relies on, and the CRD defaults (which the API server would fill in) are applied by us.
 */

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io' as const;

/** A reference to a Kubernetes object of a kind in a group (`''` is the core group). */
export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
}

export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A `gateway.networking.k8s.io/v1` GatewayClass. */
export interface GatewayClass {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { controllerName?: string; description?: string; parametersRef?: unknown };
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | (string & {});

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface AllowedRoutes {
  namespaces?: { from?: 'All' | 'Same' | 'Selector' | (string & {}); selector?: LabelSelector };
  kinds?: RouteGroupKind[];
}

export interface GatewayTLSConfig {
  mode?: 'Terminate' | 'Passthrough' | (string & {});
  certificateRefs?: SecretObjectReference[];
  options?: Record<string, string>;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: ListenerProtocol;
  tls?: GatewayTLSConfig;
  allowedRoutes?: AllowedRoutes;
}

/** A `gateway.networking.k8s.io/v1` Gateway. */
export interface Gateway {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    gatewayClassName?: string;
    listeners?: Listener[];
    addresses?: Array<{ type?: string; value?: string }>;
  };
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';
export type StringMatchType = 'Exact' | 'RegularExpression';

export interface HTTPPathMatch {
  type?: PathMatchType | (string & {});
  value?: string;
}

export interface HTTPHeaderMatch {
  type?: StringMatchType | (string & {});
  name: string;
  value: string;
}

export interface HTTPQueryParamMatch {
  type?: StringMatchType | (string & {});
  name: string;
  value: string;
}

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPQueryParamMatch[];
  method?: string;
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}

export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch' | (string & {});
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}

export interface HTTPRequestRedirectFilter {
  scheme?: 'http' | 'https' | (string & {});
  hostname?: string;
  path?: HTTPPathModifier;
  port?: number;
  statusCode?: 301 | 302 | 303 | 307 | 308 | number;
}

export interface HTTPURLRewriteFilter {
  hostname?: string;
  path?: HTTPPathModifier;
}

export interface HTTPRequestMirrorFilter {
  backendRef: BackendObjectReference;
  percent?: number;
  fraction?: { numerator: number; denominator?: number };
}

export type HTTPRouteFilterType =
  | 'RequestHeaderModifier'
  | 'ResponseHeaderModifier'
  | 'RequestMirror'
  | 'RequestRedirect'
  | 'URLRewrite'
  | 'CORS'
  | 'ExternalAuth'
  | 'ExtensionRef';

export interface HTTPRouteFilter {
  type: HTTPRouteFilterType | (string & {});
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestMirror?: HTTPRequestMirrorFilter;
  requestRedirect?: HTTPRequestRedirectFilter;
  urlRewrite?: HTTPURLRewriteFilter;
  [other: string]: unknown;
}

export interface HTTPBackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}

export interface HTTPRouteTimeouts {
  /** A Gateway API Duration (GEP-2257): `10s`, `1h30m`, `500ms`; `0s` means none. */
  request?: string;
  backendRequest?: string;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: HTTPBackendRef[];
  timeouts?: HTTPRouteTimeouts;
}

/** A `gateway.networking.k8s.io/v1` HTTPRoute. */
export interface HTTPRoute {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: HTTPRouteRule[];
  };
}

export type GRPCMethodMatchType = 'Exact' | 'RegularExpression';

/** A gRPC service and/or method match: at least one of `service` and `method` is set. */
export interface GRPCMethodMatch {
  type?: GRPCMethodMatchType | (string & {});
  service?: string;
  method?: string;
}

export interface GRPCRouteMatch {
  method?: GRPCMethodMatch;
  headers?: HTTPHeaderMatch[];
}

export type GRPCRouteFilterType = 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestMirror' | 'ExtensionRef';

/** A GRPCRoute filter: the HTTPRoute filter schema restricted to the types GRPCRoute allows. */
export interface GRPCRouteFilter extends HTTPRouteFilter {
  type: GRPCRouteFilterType | (string & {});
}

export interface GRPCBackendRef extends BackendObjectReference {
  weight?: number;
  filters?: GRPCRouteFilter[];
}

export interface GRPCRouteRule {
  name?: string;
  matches?: GRPCRouteMatch[];
  filters?: GRPCRouteFilter[];
  backendRefs?: GRPCBackendRef[];
}

/** A `gateway.networking.k8s.io/v1` GRPCRoute. */
export interface GRPCRoute {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: GRPCRouteRule[];
  };
}

export interface ReferenceGrantFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface ReferenceGrantTo {
  group: string;
  kind: string;
  name?: string;
}

/** A `gateway.networking.k8s.io/v1` (or v1beta1) ReferenceGrant. */
export interface ReferenceGrant {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { from?: ReferenceGrantFrom[]; to?: ReferenceGrantTo[] };
}

/** A core/v1 Namespace: its labels, for `allowedRoutes.namespaces.selector`. */
export interface Namespace {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}
