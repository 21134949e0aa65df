import { copyPruned } from './copy-pruned.js';
import {
  GATEWAY_API_GROUP,
  type BackendObjectReference,
  type Gateway,
  type GatewayClass,
  type GRPCRoute,
  type HTTPRoute,
  type HTTPRouteFilter,
  type HTTPRouteMatch,
  type HTTPRouteRule,
  type Namespace,
  type ReferenceGrant,
} from './model.js';

/**
 * The defaults the Gateway API CRDs declare (`+kubebuilder:default`), which the API server
 * fills in on write and manifests read from files lack. Each function takes a valid object and
 * returns a new one (nulls pruned, as the API server prunes them); its input is never changed.
 * Applying them twice gives the same object.
 */

/** `PathPrefix /`: a rule without matches, or a match without a path, matches every request. */
export const DEFAULT_PATH_MATCH = Object.freeze({ type: 'PathPrefix', value: '/' } as const);

/** GatewayClass declares no defaults routing reads; the copy prunes nulls. */
export function withGatewayClassDefaults(gatewayClass: GatewayClass): GatewayClass {
  return copyPruned(gatewayClass);
}

export function withGatewayDefaults(gateway: Gateway): Gateway {
  const copy = copyPruned(gateway);
  const spec = copy.spec as (Gateway['spec'] & Record<string, unknown>) | undefined;
  if (spec === undefined) return copy;
  for (const listener of spec.listeners ?? []) {
    const allowedRoutes = (listener.allowedRoutes ??= {});
    const namespaces = (allowedRoutes.namespaces ??= {});
    namespaces.from ??= 'Same';
    for (const kind of allowedRoutes.kinds ?? []) kind.group ??= GATEWAY_API_GROUP;
    if (listener.tls !== undefined) {
      listener.tls.mode ??= 'Terminate';
      for (const ref of listener.tls.certificateRefs ?? []) secretRefDefaults(ref);
    }
  }
  for (const address of spec.addresses ?? []) address.type ??= 'IPAddress';
  const allowedListeners = record(spec.allowedListeners);
  if (allowedListeners !== undefined) {
    const namespaces = (allowedListeners.namespaces ??= {}) as Record<string, unknown>;
    namespaces.from ??= 'None';
  }
  const tls = record(spec.tls);
  const clientCertificateRef = record(record(tls?.backend)?.clientCertificateRef);
  if (clientCertificateRef !== undefined) secretRefDefaults(clientCertificateRef);
  const frontend = record(tls?.frontend);
  const defaultValidation = record(record(frontend?.default)?.validation);
  if (defaultValidation !== undefined) defaultValidation.mode ??= 'AllowValidOnly';
  for (const perPort of Array.isArray(frontend?.perPort) ? frontend.perPort : []) {
    const validation = record(record(record(perPort)?.tls)?.validation);
    if (validation !== undefined) validation.mode ??= 'AllowValidOnly';
  }
  return copy;
}

export function withHTTPRouteDefaults(route: HTTPRoute): HTTPRoute {
  const copy = copyPruned(route);
  const spec = copy.spec;
  if (spec === undefined) return copy;
  parentRefDefaults(spec.parentRefs);
  spec.rules ??= [{}];
  for (const rule of spec.rules) ruleDefaults(rule);
  return copy;
}

/**
 * GRPCRoute's defaults: parentRef group and kind, method match type `Exact`, header match type
 * `Exact`, backendRef group, kind and weight 1. Rules and matches get none: a route without
 * rules routes nothing, a rule without matches matches every gRPC request.
 */
export function withGRPCRouteDefaults(route: GRPCRoute): GRPCRoute {
  const copy = copyPruned(route);
  const spec = copy.spec;
  if (spec === undefined) return copy;
  parentRefDefaults(spec.parentRefs);
  for (const rule of spec.rules ?? []) {
    for (const match of rule.matches ?? []) {
      if (match.method !== undefined) match.method.type ??= 'Exact';
      for (const header of match.headers ?? []) header.type ??= 'Exact';
    }
    for (const filter of rule.filters ?? []) filterDefaults(filter);
    for (const backendRef of rule.backendRefs ?? []) {
      backendRefDefaults(backendRef);
      backendRef.weight ??= 1;
      for (const filter of backendRef.filters ?? []) filterDefaults(filter);
    }
  }
  return copy;
}

/** ReferenceGrant declares no defaults; the copy prunes nulls. */
export function withReferenceGrantDefaults(grant: ReferenceGrant): ReferenceGrant {
  return copyPruned(grant);
}

export function withNamespaceDefaults(namespace: Namespace): Namespace {
  return copyPruned(namespace);
}

function ruleDefaults(rule: HTTPRouteRule): void {
  // An empty list is read as none: Go clients drop it (`omitempty`), and the spec's "no matches" is every request.
  if (rule.matches === undefined || rule.matches.length === 0) rule.matches = [{}];
  for (const match of rule.matches) matchDefaults(match);
  for (const filter of rule.filters ?? []) filterDefaults(filter);
  for (const backendRef of rule.backendRefs ?? []) {
    backendRefDefaults(backendRef);
    backendRef.weight ??= 1;
    for (const filter of backendRef.filters ?? []) filterDefaults(filter);
  }
}

function matchDefaults(match: HTTPRouteMatch): void {
  const path = (match.path ??= {});
  path.type ??= DEFAULT_PATH_MATCH.type;
  path.value ??= DEFAULT_PATH_MATCH.value;
  for (const header of match.headers ?? []) header.type ??= 'Exact';
  for (const query of match.queryParams ?? []) query.type ??= 'Exact';
}

function filterDefaults(filter: HTTPRouteFilter): void {
  if (filter.requestMirror !== undefined) {
    backendRefDefaults(filter.requestMirror.backendRef);
    if (filter.requestMirror.fraction !== undefined) filter.requestMirror.fraction.denominator ??= 100;
  }
  if (filter.requestRedirect !== undefined) filter.requestRedirect.statusCode ??= 302;
  const cors = record(filter.cors);
  if (cors !== undefined) cors.maxAge ??= 5;
}

function backendRefDefaults(ref: BackendObjectReference): void {
  ref.group ??= '';
  ref.kind ??= 'Service';
}

function secretRefDefaults(ref: { group?: unknown; kind?: unknown }): void {
  ref.group ??= '';
  ref.kind ??= 'Secret';
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A route's parentRefs: group `gateway.networking.k8s.io` and kind `Gateway` (HTTPRoute and GRPCRoute alike). */
function parentRefDefaults(parentRefs: Array<{ group?: string; kind?: string }> | undefined): void {
  for (const parentRef of parentRefs ?? []) {
    parentRef.group ??= GATEWAY_API_GROUP;
    parentRef.kind ??= 'Gateway';
  }
}
