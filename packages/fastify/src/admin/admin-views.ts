import { endpointKey, type BackendEndpoints, type ExplainCandidate, type Explanation, type GatewayApiStatus, type GatewayExplanation, type Route, type RouteTable, type Router } from '@switchyard/core';

/**
 * The JSON the admin endpoints answer with. Plain objects with `null` for absent values, so
 * a consumer sees every field whatever the route or set.
 */

export interface RouteView {
  readonly host: string | null;
  readonly path: string | null;
  readonly pathType: string | null;
  readonly backend: string;
  /** The object the rule came from. */
  readonly origin: { readonly kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute'; readonly namespace: string; readonly name: string };
  readonly field: string;
  readonly isDefaultBackend: boolean;
}

export interface EndpointView {
  readonly address: string;
  readonly port: number;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly zone: string | null;
  readonly weight: number | null;
  /** Whether a request may go to it now (see `BackendEndpoints.eligible`). */
  readonly eligible: boolean;
}

export interface BackendView {
  readonly backend: string;
  /** False until discovery has pushed a set for this backend. */
  readonly discovered: boolean;
  readonly version: number | null;
  readonly stale: boolean;
  readonly problem: { readonly code: string; readonly message: string; readonly since: string } | null;
  readonly endpoints: readonly EndpointView[];
}

export function routeView(route: Route): RouteView {
  return {
    host: route.host ?? null,
    path: route.path ?? null,
    pathType: route.pathType ?? null,
    backend: route.backendKey,
    origin: { kind: route.origin.kind, namespace: route.origin.namespace, name: route.origin.name },
    field: route.field,
    isDefaultBackend: route.isDefaultBackend,
  };
}

export function backendView(backend: string, current: BackendEndpoints | undefined): BackendView {
  if (current === undefined) return { backend, discovered: false, version: null, stale: false, problem: null, endpoints: [] };
  const { set } = current;
  // `eligible` holds the router's copies of the set's endpoints, known by `address:port`.
  const eligible = new Set(current.eligible.map((endpoint) => endpoint.key));
  return {
    backend,
    discovered: true,
    version: set.version,
    stale: set.stale,
    problem: set.problem === undefined ? null : { code: set.problem.code, message: set.problem.message, since: new Date(set.problem.since).toISOString() },
    endpoints: set.endpoints.map((endpoint) => ({
      address: endpoint.address,
      port: endpoint.port,
      ready: endpoint.ready,
      serving: endpoint.serving,
      terminating: endpoint.terminating,
      zone: endpoint.zone ?? null,
      weight: endpoint.weight ?? null,
      eligible: eligible.has(endpointKey(endpoint)),
    })),
  };
}

/**
 * /routes: every reachable route of the table with its backend's endpoints: the Ingress rules,
 * then one per resolved HTTPRoute or GRPCRoute backendRef (`origin.kind`, `field`
 * `spec.rules[i].backendRefs[j]`); and the status of the Gateway API objects (null when the
 * table holds none).
 */
export function routesView(
  router: Router,
  table: RouteTable,
): { tableVersion: number; routes: Array<RouteView & { endpoints: BackendView }>; gatewayStatus: GatewayApiStatus | null } {
  const backends = new Map<string, BackendView>();
  const viewOf = (key: string): BackendView => {
    let view = backends.get(key);
    if (view === undefined) backends.set(key, (view = backendView(key, router.endpointsOf(key))));
    return view;
  };
  const routes = [...table.routes(), ...(table.gatewayApi?.routes ?? [])];
  return {
    tableVersion: table.version,
    routes: routes.map((route) => ({ ...routeView(route), endpoints: viewOf(route.backendKey) })),
    gatewayStatus: table.gatewayApi === undefined ? null : table.gatewayStatus,
  };
}

/** /explain with `port`: `explainGatewayRequest`'s plain data, plus the endpoints of each resolved backend of the winning rule. */
export function gatewayExplainView(router: Router, table: RouteTable, explanation: GatewayExplanation): GatewayExplanation & { tableVersion: number; endpoints: BackendView[] } {
  const keys = [...new Set((explanation.winner?.backends ?? []).flatMap((backend) => (backend.backendKey === null ? [] : [backend.backendKey])))];
  return { tableVersion: table.version, ...explanation, endpoints: keys.map((key) => backendView(key, router.endpointsOf(key))) };
}

export interface ExplainView {
  readonly tableVersion: number;
  readonly host: string;
  readonly path: string;
  readonly winner: RouteView | null;
  /** The winner's backend endpoints; null without a winner. */
  readonly endpoints: BackendView | null;
  readonly candidates: ReadonlyArray<{ readonly route: RouteView; readonly tier: ExplainCandidate['tier']; readonly outcome: ExplainCandidate['outcome']; readonly elements: number; readonly reason: string }>;
}

/** /explain: `RouteTable.explain` with routes as views, plus the winner's endpoints. */
export function explainView(router: Router, table: RouteTable, explanation: Explanation): ExplainView {
  const { winner } = explanation;
  return {
    tableVersion: table.version,
    host: explanation.host,
    path: explanation.path,
    winner: winner === undefined ? null : routeView(winner),
    endpoints: winner === undefined ? null : backendView(winner.backendKey, router.endpointsOf(winner.backendKey)),
    candidates: explanation.candidates.map((candidate) => ({
      route: routeView(candidate.route),
      tier: candidate.tier,
      outcome: candidate.outcome,
      elements: candidate.elements,
      reason: candidate.reason,
    })),
  };
}
