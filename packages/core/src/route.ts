import type { BackendRef } from './backend-ref.js';
import type { FilterActions, RuleTimeouts } from './gateway-api/compiled-filters.js';
import type { PathType } from './model.js';

/** The Kubernetes object a route came from. */
export interface RouteOrigin {
  readonly kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute';
  readonly namespace: string;
  readonly name: string;
}

/**
 * One compiled rule: made once at compile time, frozen, and returned by `lookup` as is,
 * so matching allocates nothing.
 */
export interface Route {
  readonly backend: BackendRef;
  /** `backendKey(backend)`, precomputed for discovery lookups. */
  readonly backendKey: string;
  /** The rule's host as written (`foo.com`, `*.foo.com`); undefined for rules without a host and the default backend. */
  readonly host: string | undefined;
  /** The rule's path, normalized; undefined for the default backend. */
  readonly path: string | undefined;
  /** The rule's pathType as written; undefined for the default backend. */
  readonly pathType: PathType | undefined;
  /** The object the rule came from: an Ingress, or an HTTPRoute. */
  readonly origin: RouteOrigin;
  /** Where in that Ingress: `spec.rules[0].http.paths[1]` or `spec.defaultBackend`. */
  readonly field: string;
  readonly isDefaultBackend: boolean;
  /** For a route compiled from an HTTPRoute or GRPCRoute backendRef: its rule (filters, timeouts, the other backends); undefined for Ingress rules. */
  readonly rule: RouteRule | undefined;
  /** The backendRef's own filters, applied after the rule's; undefined when it has none (and for Ingress rules). */
  readonly backendFilters: FilterActions | undefined;
}

/**
 * One HTTPRoute or GRPCRoute rule, compiled: what the proxy does with a request it matched. A request goes
 * to one of `backends`, picked by weight; an entry without a route (a reference that did not
 * resolve) gets its share answered 500, as the spec asks.
 */
export interface RouteRule {
  readonly origin: RouteOrigin;
  /** Its index in `spec.rules`. */
  readonly index: number;
  /** `spec.rules[i]`. */
  readonly field: string;
  readonly name: string | undefined;
  /**
   * A GRPCRoute rule: the requests it matched are gRPC calls, so the proxy answers its own
   * errors for them as gRPC statuses (a trailers-only response), not HTTP error pages.
   */
  readonly grpc: boolean;
  readonly filters: FilterActions;
  readonly timeouts: RuleTimeouts;
  readonly backends: readonly RuleBackend[];
  /** The sum of `backends` weights; 0 when no request can be sent anywhere. */
  readonly totalWeight: number;
  /** Why every request of this rule is answered 500 (an unsupported filter, no backend at all), or undefined. */
  readonly failure: string | undefined;
  /**
   * The route every request of this rule goes to, when forwarding there is all the rule does: no
   * failure, no filter (the rule's or that backendRef's own), no timeouts, and one backendRef that
   * takes traffic and resolved. Undefined otherwise: the proxy then reads `filters`, picks from
   * `backends` by weight and applies `timeouts`. Precomputed so that the common rule costs the
   * proxy one field read.
   */
  readonly direct: Route | undefined;
}

/** A backendRef of a rule: its route, or why it has none (its share of requests is answered 500). */
export interface RuleBackend {
  readonly route: Route | undefined;
  readonly weight: number;
  /** `spec.rules[i].backendRefs[j]`. */
  readonly field: string;
  /** The spec's reason when the reference did not resolve (`BackendNotFound`, `RefNotPermitted`, `InvalidKind`). */
  readonly problem: { readonly reason: string; readonly message: string } | undefined;
}

/** What `RouteTable.match` answers: the route, plus the normalized request it matched. */
export interface RouteMatch extends Route {
  readonly route: Route;
  /** The normalized Host that was matched. */
  readonly requestHost: string;
  /** The normalized path that was matched: what a proxy must forward. */
  readonly requestPath: string;
}
