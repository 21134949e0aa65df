/** Valid Gateway API objects for the tests to change one field of. */

export const V1 = 'gateway.networking.k8s.io/v1';

export function httpRoute(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: V1,
    kind: 'HTTPRoute',
    metadata: { name: 'subject', namespace: 'web' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/app' } }], backendRefs: [{ name: 'svc', port: 8080 }] }], ...spec },
  };
}

/** An HTTPRoute of one rule. */
export function routeRule(rule: Record<string, unknown>): Record<string, unknown> {
  return httpRoute({ rules: [rule] });
}

/** An HTTPRoute whose one rule has one match. */
export function routeMatch(match: unknown): Record<string, unknown> {
  return routeRule({ matches: [match], backendRefs: [{ name: 'svc', port: 8080 }] });
}

/** An HTTPRoute whose one rule has these filters (and no backendRefs, so redirects fit). */
export function routeFilters(filters: unknown[], rule: Record<string, unknown> = {}): Record<string, unknown> {
  return routeRule({ matches: [{ path: { type: 'PathPrefix', value: '/app' } }], filters, ...rule });
}

export function gateway(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: V1,
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra' },
    spec: { gatewayClassName: 'switchyard', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], ...spec },
  };
}

export function gatewayListeners(...listeners: unknown[]): Record<string, unknown> {
  return gateway({ listeners });
}

export function gatewayClass(spec: Record<string, unknown> = { controllerName: 'switchyard.dev/gateway-controller' }): Record<string, unknown> {
  return { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec };
}

export function referenceGrant(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'grant', namespace: 'backends' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service' }], ...spec },
  };
}

export function namespace(metadata: Record<string, unknown> = { name: 'web', labels: { team: 'web' } }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}

export const HTTPS_TLS = { certificateRefs: [{ name: 'cert' }] };
