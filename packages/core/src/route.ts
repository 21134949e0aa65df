import type { BackendRef } from './backend-ref.js';
import type { PathType } from './model.js';

/** The Kubernetes object a route came from. */
export interface RouteOrigin {
  readonly kind: 'Ingress' | 'HTTPRoute';
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
}

/** What `RouteTable.match` answers: the route, plus the normalized request it matched. */
export interface RouteMatch extends Route {
  readonly route: Route;
  /** The normalized Host that was matched. */
  readonly requestHost: string;
  /** The normalized path that was matched: what a proxy must forward. */
  readonly requestPath: string;
}
