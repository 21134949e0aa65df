import type { CompiledMatch } from './compiled-match.js';
import { GRPC_KIND_RANK } from './grpc-method-match.js';

/**
 * Precedence among GRPCRoute matches of one hostname, as `GRPCRouteRule`'s doc comment orders
 * it after hostname: more characters in the service, then in the method, then more header
 * matches, then the oldest route, `namespace/name`, rule order (and match order). Where the
 * spec leaves room (RegularExpression is implementation-specific): every Exact kind comes
 * before every RegularExpression, and an expression counts its source's characters.
 */
export function byGrpcPrecedence(a: CompiledMatch, b: CompiledMatch): number {
  const ga = a.grpc!;
  const gb = b.grpc!;
  const rank = GRPC_KIND_RANK[ga.kind] - GRPC_KIND_RANK[gb.kind];
  if (rank !== 0) return rank;
  const service = (gb.service?.length ?? 0) - (ga.service?.length ?? 0);
  if (service !== 0) return service;
  const method = (gb.method?.length ?? 0) - (ga.method?.length ?? 0);
  if (method !== 0) return method;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  if (a.routeCreatedAt !== b.routeCreatedAt) return a.routeCreatedAt < b.routeCreatedAt ? -1 : 1;
  if (a.routeId !== b.routeId) return a.routeId < b.routeId ? -1 : 1;
  if (a.rule.index !== b.rule.index) return a.rule.index - b.rule.index;
  return a.index - b.index;
}
