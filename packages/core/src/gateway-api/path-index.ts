import { byMatchPrecedence, type CompiledMatch } from './compiled-match.js';
import { GrpcMethodIndex } from './grpc-method-index.js';
import type { GatewayRequest } from './request-conditions.js';

/**
 * The matches of one hostname tier of a listener, indexed by path: Exact paths in a Map,
 * PathPrefix values in a Map tried from the request path's longest prefix to `/` (one lookup
 * per path element, never a scan of the rules), RegularExpression matches last. Each entry
 * holds its matches in precedence order; `find` returns the first whose method, header and
 * query conditions hold.
 *
 * Where the spec leaves room: RegularExpression paths come after every Exact and PathPrefix
 * match of the tier, among themselves in the same precedence order.
 *
 * GRPCRoute matches of the tier live in a `GrpcMethodIndex` of their own, tried after the
 * HTTPRoute ones (the spec forbids merging the two kinds: a listener hostname takes routes of
 * one kind, so a tier normally holds only one; see `RouteKindClaims`).
 */
export class PathIndex {
  private readonly exact = new Map<string, CompiledMatch[]>();
  private readonly prefixes = new Map<string, CompiledMatch[]>();
  /** The lengths of the prefix keys: a parent path of any other length is skipped without making its string. */
  private readonly prefixLengths = new Set<number>();
  private readonly regexes: CompiledMatch[] = [];
  private grpc: GrpcMethodIndex | undefined = undefined;

  add(match: CompiledMatch): void {
    if (match.grpc !== undefined) {
      (this.grpc ??= new GrpcMethodIndex()).add(match);
      return;
    }
    if (match.pathType === 'RegularExpression') {
      this.regexes.push(match);
      return;
    }
    if (match.pathType === 'PathPrefix') this.prefixLengths.add(match.pathValue.length);
    const map = match.pathType === 'Exact' ? this.exact : this.prefixes;
    const list = map.get(match.pathValue);
    if (list === undefined) map.set(match.pathValue, [match]);
    else list.push(match);
  }

  /** Orders every entry by precedence; called once when the index is complete. */
  seal(): this {
    for (const list of this.exact.values()) list.sort(byMatchPrecedence);
    for (const list of this.prefixes.values()) list.sort(byMatchPrecedence);
    this.regexes.sort(byMatchPrecedence);
    this.grpc?.seal();
    return this;
  }

  /** Every match, in the order `find` tries them for some path (for listings). */
  all(): CompiledMatch[] {
    return [...[...this.exact.values()].flat(), ...[...this.prefixes.values()].flat(), ...this.regexes, ...(this.grpc?.all() ?? [])];
  }

  /** The first match (in precedence order) whose path and conditions hold for a normalized path. */
  find(path: string, request: GatewayRequest): CompiledMatch | undefined {
    const exact = this.exact.get(path);
    if (exact !== undefined) {
      const hit = firstHolding(exact, request);
      if (hit !== undefined) return hit;
    }
    if (this.prefixes.size !== 0) {
      // Longest prefix first: the path itself (a trailing slash ignored), then each parent.
      const lengths = this.prefixLengths;
      let end = path.length > 1 && path.charCodeAt(path.length - 1) === 0x2f ? path.length - 1 : path.length;
      for (;;) {
        // `end` 0 is the root, whose key is '/' (length 1).
        if (lengths.has(end === 0 ? 1 : end)) {
          const list = this.prefixes.get(end === path.length ? path : end === 0 ? '/' : path.slice(0, end));
          if (list !== undefined) {
            const hit = firstHolding(list, request);
            if (hit !== undefined) return hit;
          }
        }
        if (end <= 1) break;
        end = path.lastIndexOf('/', end - 1);
      }
    }
    const regexes = this.regexes;
    for (let i = 0; i < regexes.length; i++) {
      const match = regexes[i]!;
      if (match.pathRegex!.test(path) && match.holds(request)) return match;
    }
    return this.grpc?.find(path, request);
  }
}

function firstHolding(list: readonly CompiledMatch[], request: GatewayRequest): CompiledMatch | undefined {
  for (let i = 0; i < list.length; i++) {
    const match = list[i]!;
    if (match.holds(request)) return match;
  }
  return undefined;
}
