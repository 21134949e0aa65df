import { hostnameCovers } from './hostnames.js';
import type { RouteKind } from './http-route-rules.js';
import type { ResolvedListener } from './listeners.js';

interface Claim {
  readonly route: string;
  /** Effective hostnames on the listener; `[]`: any host. */
  readonly hostnames: readonly string[];
}

/**
 * The spec's rule between HTTPRoutes and GRPCRoutes (GRPCRouteSpec.hostnames): a listener that
 * has a route of one kind attached does not also take a route of the other kind whose hostnames
 * intersect; the older route (creationTimestamp, then `namespace/name`) is accepted. Routes are
 * attached oldest first, so the first claim on a hostname is the one that stands.
 */
export class RouteKindClaims {
  /** Each listener's claims, by the kind that made them: a route is checked against the other kind's only (none, mostly). */
  private readonly byListener = new Map<ResolvedListener, Map<RouteKind, Claim[]>>();

  /** The route of the other kind that already holds an intersecting hostname on `listener`, if any. */
  conflict(listener: ResolvedListener, kind: RouteKind, hostnames: readonly string[]): string | undefined {
    const byKind = this.byListener.get(listener);
    if (byKind === undefined) return undefined;
    for (const [claimKind, claims] of byKind) {
      if (claimKind === kind) continue;
      for (const claim of claims) if (hostnamesIntersect(claim.hostnames, hostnames)) return claim.route;
    }
    return undefined;
  }

  claim(listener: ResolvedListener, kind: RouteKind, route: string, hostnames: readonly string[]): void {
    let byKind = this.byListener.get(listener);
    if (byKind === undefined) this.byListener.set(listener, (byKind = new Map()));
    let claims = byKind.get(kind);
    if (claims === undefined) byKind.set(kind, (claims = []));
    claims.push({ route, hostnames });
  }
}

/** Two effective hostname lists (`[]`: any host) share a host. */
function hostnamesIntersect(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.some((x) => b.some((y) => hostnameCovers(x, y) || hostnameCovers(y, x)));
}
