import type { ObjectMeta } from '@switchyard/core';

/**
 * The few fields of the Gateway API objects (`gateway.networking.k8s.io/v1`) the reference
 * matcher reads, declared here as plain structural types, named as the API names them, until
 * `@switchyard/core` exports its own (then these go and the matcher imports core's). Every
 * field is as optional as a manifest written by hand leaves it: the CRD defaults are applied
 * by the matcher, not assumed here.
 */

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface AllowedRoutes {
  namespaces?: { from?: string; selector?: LabelSelector };
  kinds?: RouteGroupKind[];
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: AllowedRoutes;
}

export interface Gateway {
  metadata: ObjectMeta;
  spec?: { gatewayClassName?: string; listeners?: Listener[] };
}

export interface HTTPPathMatch {
  type?: string;
  value?: string;
}

export interface HTTPHeaderMatch {
  type?: string;
  name: string;
  value: string;
}

export interface HTTPQueryParamMatch {
  type?: string;
  name: string;
  value: string;
}

export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPQueryParamMatch[];
  method?: string;
}

export interface HTTPBackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  backendRefs?: HTTPBackendRef[];
}

export interface HTTPRoute {
  metadata: ObjectMeta;
  spec?: { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] };
}

export interface ReferenceGrant {
  metadata: ObjectMeta;
  spec?: { from?: Array<{ group: string; kind: string; namespace: string }>; to?: Array<{ group: string; kind: string; name?: string }> };
}

export interface Namespace {
  metadata: ObjectMeta;
}
