import type { RouteRule } from '../route.js';
import type { GrpcMethodCondition } from './grpc-method-match.js';
import type { GatewayRequest, HeaderCondition, QueryCondition, ValueTest } from './request-conditions.js';

/** How a match compares the path. */
export type GatewayPathType = 'Exact' | 'PathPrefix' | 'RegularExpression';

/**
 * One `matches[k]` entry of an HTTPRoute or GRPCRoute rule, compiled: the path it is indexed
 * under, and the method, header and query conditions tested per request once host and path led
 * to it. A GRPCRoute match has `grpc` (its service/method match, which indexes it), method
 * `POST`, and a path shown for people (`pathType`/`pathValue` describe what it matches).
 */
export class CompiledMatch {
  constructor(
    readonly rule: RouteRule,
    /** Its index in the rule's `matches`. */
    readonly index: number,
    readonly pathType: GatewayPathType,
    /** Exact: the path; PathPrefix: the prefix without a trailing slash (`/` for the root); RegularExpression: the source. */
    readonly pathValue: string,
    readonly pathRegex: ValueTest | undefined,
    /**
     * PathPrefix: the prefix's length as written, a trailing slash included (`/foo/` counts one
     * more character than `/foo`, as "largest number of characters" reads); 0 for other types.
     */
    readonly prefixLength: number,
    readonly method: string | undefined,
    readonly headers: readonly HeaderCondition[],
    readonly queryParams: readonly QueryCondition[],
    /** The route's creationTimestamp (ms; +Infinity when absent) and `namespace/name`: the last tie-breaks of precedence. */
    readonly routeCreatedAt: number,
    readonly routeId: string,
    /** GRPCRoute matches only: the service and method match; the match is indexed by it, not by path. */
    readonly grpc: GrpcMethodCondition | undefined = undefined,
  ) {}

  /** The method, header and query conditions hold for `request` (the path was checked by the index). */
  holds(request: GatewayRequest): boolean {
    if (this.method !== undefined && request.method !== this.method) return false;
    const headers = this.headers;
    for (let i = 0; i < headers.length; i++) if (!headers[i]!.holds(request)) return false;
    const query = this.queryParams;
    for (let i = 0; i < query.length; i++) if (!query[i]!.holds(request)) return false;
    return true;
  }
}

/**
 * Precedence among matches indexed under the same host and path, as `HTTPRouteRule`'s doc
 * comment orders it after hostname and path: the longer prefix as written, then a method match, then more header matches, then
 * more query matches, then the oldest route, then `namespace/name`, then rule order (and, within
 * a rule, match order).
 */
export function byMatchPrecedence(a: CompiledMatch, b: CompiledMatch): number {
  if (a.prefixLength !== b.prefixLength) return b.prefixLength - a.prefixLength;
  const method = (a.method === undefined ? 1 : 0) - (b.method === undefined ? 1 : 0);
  if (method !== 0) return method;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  if (a.queryParams.length !== b.queryParams.length) return b.queryParams.length - a.queryParams.length;
  if (a.routeCreatedAt !== b.routeCreatedAt) return a.routeCreatedAt < b.routeCreatedAt ? -1 : 1;
  if (a.routeId !== b.routeId) return a.routeId < b.routeId ? -1 : 1;
  if (a.rule.index !== b.rule.index) return a.rule.index - b.rule.index;
  return a.index - b.index;
}
