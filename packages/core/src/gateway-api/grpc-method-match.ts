import type { CompiledMatch } from './compiled-match.js';
import type { GatewayRequest, ValueTest } from './request-conditions.js';

/**
 * Where a GRPCRoute method match is indexed, which is also its place in precedence: an Exact
 * service and method (the path `/service/method`), an Exact service (any method), an Exact
 * method (any service), a RegularExpression, then no method match at all (any call).
 */
export type GrpcMethodKind = 'exact' | 'service' | 'method' | 'regex' | 'any';

const KIND_RANK: Readonly<Record<GrpcMethodKind, number>> = { exact: 0, service: 1, method: 2, regex: 3, any: 4 };

/**
 * The `method` of a GRPCRoute match, compiled: a gRPC call is `POST /<service>/<method>`, so
 * the Exact kinds are looked up in Maps and only RegularExpression ones are tested one by one.
 */
export class GrpcMethodCondition {
  readonly kind: GrpcMethodKind;

  constructor(
    readonly type: 'Exact' | 'RegularExpression',
    /** The service (Exact) or its expression (RegularExpression); undefined: any service. */
    readonly service: string | undefined,
    /** The method (Exact) or its expression; undefined: any method. */
    readonly method: string | undefined,
    /** RegularExpression only: the compiled tests. */
    readonly serviceTest: ValueTest | undefined,
    readonly methodTest: ValueTest | undefined,
  ) {
    this.kind =
      service === undefined && method === undefined
        ? 'any'
        : type === 'RegularExpression'
          ? 'regex'
          : service === undefined
            ? 'method'
            : method === undefined
              ? 'service'
              : 'exact';
  }

  /** The call's service and method satisfy it. */
  test(service: string, method: string): boolean {
    if (this.kind === 'regex') return (this.serviceTest === undefined || this.serviceTest.test(service)) && (this.methodTest === undefined || this.methodTest.test(method));
    return (this.service === undefined || this.service === service) && (this.method === undefined || this.method === method);
  }

  /** The same test on a normalized path (for explanations and listings; the index splits the path once itself). */
  matchesPath(path: string): boolean {
    const call = splitGrpcPath(path);
    return call !== undefined && this.test(call.service, call.method);
  }

  /** `/pkg.Service/Method` with `*` for an omitted part; expressions in parentheses. */
  describe(): string {
    const part = (value: string | undefined): string => (value === undefined ? '*' : this.type === 'RegularExpression' ? `(${value})` : value);
    return `/${part(this.service)}/${part(this.method)}`;
  }
}

/** The service and method of a gRPC path (`/pkg.Service/Method`), or undefined when it is not one. */
export function splitGrpcPath(path: string): { readonly service: string; readonly method: string } | undefined {
  const slash = grpcPathSlash(path);
  return slash < 0 ? undefined : { service: path.slice(1, slash), method: path.slice(slash + 1) };
}

/**
 * The index of the slash between service and method in `/service/method` (both non-empty, no
 * other slash), or -1 when the path is not a gRPC call's.
 */
export function grpcPathSlash(path: string): number {
  if (path.charCodeAt(0) !== 0x2f) return -1;
  const slash = path.indexOf('/', 1);
  if (slash <= 1 || slash === path.length - 1 || path.indexOf('/', slash + 1) >= 0) return -1;
  return slash;
}

/**
 * A gRPC request: `POST` with content-type `application/grpc`, alone or followed by `+format`
 * or parameters (the gRPC over HTTP/2 spec). gRPC-Web (`application/grpc-web`) is another
 * protocol and does not count. Media types are case-insensitive; clients send lowercase, so
 * lowercasing is paid only when the fast test fails.
 */
export function isGrpcRequest(request: GatewayRequest): boolean {
  if (request.method !== 'POST') return false;
  const contentType = request.headers['content-type'];
  return typeof contentType === 'string' && isGrpcContentType(contentType);
}

export function isGrpcContentType(value: string): boolean {
  if (!value.startsWith('application/grpc')) {
    if (value.length < 16 || value.charCodeAt(0) === 0x61 /* a: already lowercase */) return false;
    value = value.toLowerCase();
    if (!value.startsWith('application/grpc')) return false;
  }
  if (value.length === 16) return true;
  const next = value.charCodeAt(16);
  return next === 0x2b /* + */ || next === 0x3b /* ; */ || next === 0x20 /* space before ; */;
}

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
  const rank = KIND_RANK[ga.kind] - KIND_RANK[gb.kind];
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
