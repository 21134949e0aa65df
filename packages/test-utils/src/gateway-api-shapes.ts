/**
 * The Gateway API objects the reference matcher reads: core's model types (plain data, as
 * written; the matcher applies the CRD defaults itself, sharing no code with the compiler).
 */
export type {
  AllowedRoutes,
  Gateway,
  HTTPBackendRef,
  HTTPHeaderMatch,
  HTTPPathMatch,
  HTTPQueryParamMatch,
  HTTPRoute,
  HTTPRouteMatch,
  HTTPRouteRule,
  LabelSelector,
  Listener,
  Namespace,
  ParentReference,
  ReferenceGrant,
  RouteGroupKind,
} from '@switchyard/core';
