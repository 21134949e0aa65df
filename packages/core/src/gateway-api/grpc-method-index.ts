import type { CompiledMatch } from './compiled-match.js';
import { byGrpcPrecedence, grpcPathSlash, isGrpcRequest } from './grpc-method-match.js';
import type { GatewayRequest } from './request-conditions.js';

/**
 * The GRPCRoute matches of one hostname tier of a listener, indexed by what their method match
 * names: the whole path `/service/method` (Exact service and method), the service, the method,
 * each in a Map; RegularExpression matches, then matches without a method, in lists. `find`
 * tries them in that order, which is precedence order (`byGrpcPrecedence`): a request costs at
 * most three Map reads before the expressions, never a scan of the Exact matches.
 */
export class GrpcMethodIndex {
  private readonly exact = new Map<string, CompiledMatch[]>();
  private readonly services = new Map<string, CompiledMatch[]>();
  private readonly methods = new Map<string, CompiledMatch[]>();
  private readonly regexes: CompiledMatch[] = [];
  private readonly any: CompiledMatch[] = [];

  add(match: CompiledMatch): void {
    const grpc = match.grpc!;
    switch (grpc.kind) {
      case 'exact':
        return push(this.exact, `/${grpc.service}/${grpc.method}`, match);
      case 'service':
        return push(this.services, grpc.service!, match);
      case 'method':
        return push(this.methods, grpc.method!, match);
      case 'regex':
        this.regexes.push(match);
        return;
      case 'any':
        this.any.push(match);
    }
  }

  seal(): this {
    for (const map of [this.exact, this.services, this.methods]) for (const list of map.values()) list.sort(byGrpcPrecedence);
    this.regexes.sort(byGrpcPrecedence);
    this.any.sort(byGrpcPrecedence);
    return this;
  }

  /** Every match, in precedence order by kind (for listings and explanations). */
  all(): CompiledMatch[] {
    return [...[...this.exact.values()].flat(), ...[...this.services.values()].flat(), ...[...this.methods.values()].flat(), ...this.regexes, ...this.any].sort(byGrpcPrecedence);
  }

  /** The first match whose method and header conditions hold for a gRPC request; undefined for any other request. */
  find(path: string, request: GatewayRequest): CompiledMatch | undefined {
    if (!isGrpcRequest(request)) return undefined;
    const slash = grpcPathSlash(path);
    if (slash < 0) return undefined;
    let hit = firstHolding(this.exact.get(path), request);
    if (hit !== undefined) return hit;
    // The service and method strings are made only when a Map or an expression needs them.
    if (this.services.size !== 0) {
      hit = firstHolding(this.services.get(path.slice(1, slash)), request);
      if (hit !== undefined) return hit;
    }
    if (this.methods.size !== 0) {
      hit = firstHolding(this.methods.get(path.slice(slash + 1)), request);
      if (hit !== undefined) return hit;
    }
    const regexes = this.regexes;
    if (regexes.length !== 0) {
      const service = path.slice(1, slash);
      const method = path.slice(slash + 1);
      for (let i = 0; i < regexes.length; i++) {
        const match = regexes[i]!;
        if (match.grpc!.test(service, method) && match.holds(request)) return match;
      }
    }
    return firstHolding(this.any, request);
  }
}

function push(map: Map<string, CompiledMatch[]>, key: string, match: CompiledMatch): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [match]);
  else list.push(match);
}

function firstHolding(list: readonly CompiledMatch[] | undefined, request: GatewayRequest): CompiledMatch | undefined {
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const match = list[i]!;
    if (match.holds(request)) return match;
  }
  return undefined;
}
