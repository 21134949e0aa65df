import type { Diagnostic } from '../diagnostics.js';
import type { Service } from '../discovery/kubernetes-types.js';
import { sameObjects } from '../same-objects.js';
import type { CompiledMatch } from './compiled-match.js';
import type { CompiledRoute } from './http-route-rules.js';
import type { PathIndex } from './path-index.js';
import type { GRPCRoute, HTTPRoute, ReferenceGrant } from './model.js';
import type { Validated } from './validated.js';

/** A route's compiled rules, with the diagnostics compiling it gave. */
export interface CompiledRouteEntry {
  readonly compiled: CompiledRoute;
  readonly diagnostics: readonly Diagnostic[];
}

/** One listener hostname's sealed path index, and the matches it was made of, in the order added. */
export interface PathIndexEntry {
  readonly matches: readonly CompiledMatch[];
  readonly index: PathIndex;
}

/**
 * What one compile's Gateway API part made per object, kept for the next compile
 * (`CompileOptions.previous`): each object's validation by the object as given (a validator
 * reads nothing else), and each route's compiled rules by its validated copy, which hold while
 * the ReferenceGrants and Services they were resolved against are the same objects; and each
 * listener hostname's path index by listener and hostname, which holds while the same matches
 * (the same objects: a route compiled again has new ones) are added in the same order. Holds
 * only what this compile used, so it never grows past one configuration.
 */
export class GatewayApiReuse {
  readonly validations = new Map<unknown, Validated<unknown>>();
  readonly routes = new Map<HTTPRoute | GRPCRoute, CompiledRouteEntry>();
  /** By `pathIndexKey`. */
  readonly paths = new Map<string, PathIndexEntry>();
  /** What the routes were compiled against: the validated ReferenceGrants and the Services given. */
  referenceGrants: readonly ReferenceGrant[] = [];
  services: readonly Service[] | undefined = undefined;

  /** The routes' compiled rules hold for these ReferenceGrants and Services. */
  sameRouteContext(referenceGrants: readonly ReferenceGrant[], services: readonly Service[] | undefined): boolean {
    if ((services === undefined) !== (this.services === undefined)) return false;
    return sameObjects(referenceGrants, this.referenceGrants) && (services === undefined || sameObjects(services, this.services!));
  }
}

/** The reuse of one compile: what the last one kept (if any), and what this one keeps. */
export interface GatewayReuseStep {
  readonly before: GatewayApiReuse | undefined;
  readonly now: GatewayApiReuse;
}

/** A listener hostname's key in `GatewayApiReuse.paths`. */
export function pathIndexKey(gateway: string, listener: string, port: number, hostname: string | undefined): string {
  return `${gateway} ${listener} ${port} ${hostname ?? '*'}`;
}
