import type { Gateway, HTTPRoute } from '@switchyard/core';

/**
 * The Gateway API counterpart of the churn table: 10,000 HTTPRoute paths, 1,000 HTTPRoutes of
 * 10 rules (one PathPrefix match each) on 100 hostnames, all attached to one HTTP listener.
 * Revision r of route i renames its last path.
 */
export const ROUTE_COUNT = 1000;
const RULES_PER_ROUTE = 10;
const HOSTNAMES = 100;

export const CHURN_GATEWAY = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'churn', namespace: 'churn' },
  spec: { gatewayClassName: 'switchyard', listeners: [{ name: 'web', port: 8080, protocol: 'HTTP' }] },
} as unknown as Gateway;

export function churnRouteHost(route: number): string {
  return `app-${route % HOSTNAMES}.routes.test`;
}

/** The path route `route`'s last rule has at `revision`. */
export function churnRoutePath(route: number, revision: number): string {
  return `/team-${route}/ep-${RULES_PER_ROUTE - 1}${revision === 0 ? '' : `-v${revision}`}`;
}

export function churnRoute(route: number, revision: number): HTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: `team-${route}`, namespace: 'churn', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      parentRefs: [{ name: 'churn' }],
      hostnames: [churnRouteHost(route)],
      rules: Array.from({ length: RULES_PER_ROUTE }, (_, j) => ({
        matches: [{ path: { type: 'PathPrefix', value: j === RULES_PER_ROUTE - 1 ? churnRoutePath(route, revision) : `/team-${route}/ep-${j}` } }],
        backendRefs: [{ name: `team-${route}`, port: 80 }],
      })),
    },
  } as unknown as HTTPRoute;
}
