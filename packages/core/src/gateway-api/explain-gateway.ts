import type { BackendRef } from '../backend-ref.js';
import { normalizeHost } from '../request/normalize-host.js';
import { normalizePath } from '../request/normalize-path.js';
import type { RouteRule } from '../route.js';
import type { RouteTable } from '../route-table/route-table.js';
import type { FilterActions, HeaderModifier, PathModifier } from './compiled-filters.js';
import { byMatchPrecedence, type CompiledMatch, type GatewayPathType } from './compiled-match.js';
import { byGrpcPrecedence, isGrpcRequest } from './grpc-method-match.js';
import { hostnameMatches } from './hostnames.js';
import type { ListenerRoutes } from './listener-index.js';
import type { PathIndex } from './path-index.js';
import { ExactValue, firstQueryValue, type GatewayRequest, type ValueTest } from './request-conditions.js';

/**
 * Why a request to a Gateway listener port goes where it goes: the listeners of the port and
 * the one the Host selects, every match of that listener in precedence order with why it won,
 * lost or did not match, and the winning rule (filters, weighted backends, timeouts).
 *
 * For people and tools: it scans every match of the listener, which `GatewayPort.find` never
 * does, and it must give the same winner (a test holds the two together on every spec case).
 */

/** The request to explain: what a client sends to a Gateway listener port. */
export interface GatewayExplainRequest {
  /** The listener port (`spec.listeners[].port`). */
  readonly port: number;
  /** The Host header as sent (a port and upper case are normalized away). */
  readonly host: string;
  /** The request target: a path with an optional query (`/a?x=1`), normalized as the gateway does. */
  readonly path: string;
  /** Default `GET`. */
  readonly method?: string;
  /** Header values by name (any case); a repeated header as an array. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

/** How the Host decided about one listener of the port. */
export type GatewayListenerOutcome = 'selected' | 'not-selected' | 'no-match' | 'not-serving';

export interface GatewayListenerExplanation {
  /** `namespace/name` of its Gateway. */
  readonly gateway: string;
  readonly name: string;
  readonly protocol: string;
  /** Null: any host. */
  readonly hostname: string | null;
  readonly outcome: GatewayListenerOutcome;
  readonly reason: string;
}

/** The hostname tier of a listener's routes a match is indexed under (route hostnames intersected with the listener's). */
export type GatewayHostnameTier = 'exact-hostname' | 'wildcard-hostname' | 'any-hostname';

export type GatewayCandidateOutcome = 'won' | 'lost' | 'no-match' | 'not-reached';

/** Which part of a match the request failed. */
export interface GatewayFailedCondition {
  readonly field: 'path' | 'method' | 'header' | 'query';
  /** The header or query parameter name; null for path and method. */
  readonly name: string | null;
}

/** One `matches[k]` of an HTTPRoute or GRPCRoute rule, named. */
export interface GatewayMatchRef {
  /** `namespace/name` of the HTTPRoute or GRPCRoute. */
  readonly route: string;
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
  readonly rule: number;
  readonly ruleName: string | null;
  readonly match: number;
  /** `spec.rules[i].matches[k]`. */
  readonly field: string;
}

export interface GatewayExplainCandidate extends GatewayMatchRef {
  readonly tier: GatewayHostnameTier;
  /** The effective hostname the match is indexed under; null: any host. */
  readonly hostname: string | null;
  /** For a GRPCRoute match, what it matches told as a path (`/pkg.Service/Method`, `/pkg.Service/*`…). */
  readonly pathType: GatewayPathType;
  readonly pathValue: string;
  /** A GRPCRoute match's service/method match (null: an HTTPRoute match); null parts match any. */
  readonly grpc: { readonly type: 'Exact' | 'RegularExpression'; readonly service: string | null; readonly method: string | null } | null;
  readonly method: string | null;
  /** The header and query parameter names the match tests (lowercase headers). */
  readonly headers: readonly string[];
  readonly queryParams: readonly string[];
  readonly outcome: GatewayCandidateOutcome;
  /** The first condition the request failed, for `no-match`. */
  readonly failed: GatewayFailedCondition | null;
  readonly reason: string;
}

/** A filter of the winning rule or of one of its backendRefs. */
export interface GatewayFilterExplanation {
  readonly type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite' | 'RequestMirror';
  readonly detail: string;
}

export interface GatewayBackendExplanation {
  /** `spec.rules[i].backendRefs[j]`. */
  readonly field: string;
  /** `namespace/service:port`; null when the reference did not resolve. */
  readonly backendKey: string | null;
  readonly backend: BackendRef | null;
  readonly weight: number;
  /** The share of the rule's requests it receives, 0 to 1 (0 when the rule's weights sum to 0). */
  readonly share: number;
  /** Why it did not resolve (its share is answered 500), in the spec's reasons. */
  readonly problem: { readonly reason: string; readonly message: string } | null;
  readonly filters: readonly GatewayFilterExplanation[];
}

/** The rule a request goes to, as the proxy will apply it. */
export interface GatewayRuleExplanation extends GatewayMatchRef {
  readonly filters: readonly GatewayFilterExplanation[];
  readonly backends: readonly GatewayBackendExplanation[];
  readonly timeouts: { readonly requestMs: number | null; readonly backendRequestMs: number | null };
  /** Why every request of the rule is answered 500; null when it serves. */
  readonly failure: string | null;
}

/** What `explainGatewayRequest` answers: plain data, ready for JSON. */
export interface GatewayExplanation {
  readonly port: number;
  /** The normalized request: Host, path, query (with its `?`, or ''), method. */
  readonly host: string;
  readonly path: string;
  readonly query: string;
  readonly method: string;
  /** Every listener on the port, served or not, with how the Host decided about it. */
  readonly listeners: readonly GatewayListenerExplanation[];
  /** The listener the Host selects; null when none does (404). */
  readonly listener: { readonly gateway: string; readonly name: string; readonly hostname: string | null; readonly reason: string } | null;
  /** Every match of the selected listener whose hostname tier the Host reaches, in precedence order. */
  readonly candidates: readonly GatewayExplainCandidate[];
  /** The winning rule; null when nothing matches (404). */
  readonly winner: GatewayRuleExplanation | null;
  /** One sentence: what the gateway does with the request. */
  readonly summary: string;
}

const TIER_NAMES: Record<GatewayHostnameTier, string> = {
  'exact-hostname': 'the exact hostname',
  'wildcard-hostname': 'a wildcard hostname',
  'any-hostname': 'routes for any host',
};

const PATH_TYPE_RANK: Record<GatewayPathType, number> = { Exact: 0, PathPrefix: 1, RegularExpression: 2 };

/**
 * Explains a request to a Gateway listener port of `table`. Pure; scans the listener's matches
 * (keep it off the hot path). Agrees with `table.gatewayPort(port).find(...)` on the winner.
 *
 * @throws SwitchyardError `SWY_REQUEST_BAD_PATH` or `SWY_REQUEST_BAD_HOST` (status 400), as matching does.
 */
export function explainGatewayRequest(table: RouteTable, request: GatewayExplainRequest): GatewayExplanation {
  const host = normalizeHost(request.host);
  const path = normalizePath(request.path);
  const queryStart = request.path.indexOf('?');
  const query = queryStart < 0 ? '' : request.path.slice(queryStart).split('#', 1)[0]!;
  const method = (request.method ?? 'GET').toUpperCase();
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const gatewayRequest: GatewayRequest = { method, headers, query };
  const base = { port: request.port, host, path, query, method };

  const port = table.gatewayPort(request.port);
  const notServing = (table.gatewayApi?.listeners ?? [])
    .filter((listener) => listener.port === request.port && !listener.ready)
    .map((listener): GatewayListenerExplanation => {
      const why = listener.conditions.find((c) => c.type === 'Conflicted' && c.status === 'True') ?? listener.conditions.find((c) => c.type === 'Programmed' && c.status !== 'True');
      return { gateway: listener.gatewayName, name: listener.name, protocol: listener.protocol, hostname: listener.hostname ?? null, outcome: 'not-serving', reason: `does not serve: ${why ? `${why.reason}: ${why.message}` : 'not programmed'}` };
    });
  if (port === undefined) {
    const summary = `no served Gateway listener uses port ${request.port}${notServing.length > 0 ? ' (its listeners do not serve)' : ''}: no route (404)`;
    return { ...base, listeners: notServing, listener: null, candidates: [], winner: null, summary };
  }

  const selected = port.select(host);
  const entries = port.listeners.entries();
  const listeners: GatewayListenerExplanation[] = orderBySpecificity(entries, host).map(([hostname, routes]) => {
    const info = routes.listener;
    const shown = { gateway: info.gateway, name: info.name, protocol: info.protocol, hostname: hostname ?? null };
    if (routes === selected) return { ...shown, outcome: 'selected' as const, reason: selectionReason(hostname) };
    if (hostname !== undefined && !hostnameMatches(hostname, host)) return { ...shown, outcome: 'no-match' as const, reason: `hostname ${hostname} does not match the Host` };
    return { ...shown, outcome: 'not-selected' as const, reason: `matches the Host, but listener ${selected!.listener.name} of ${selected!.listener.gateway} is more specific (listener isolation: only the most specific listener serves a request)` };
  });
  listeners.push(...notServing);
  if (selected === undefined) {
    return { ...base, listeners, listener: null, candidates: [], winner: null, summary: `no listener on port ${request.port} takes the Host ${host || '(none)'}: the gateway answers 404` };
  }
  const selectedHostname = selected.listener.hostname;
  const listener = { gateway: selected.listener.gateway, name: selected.listener.name, hostname: selectedHostname ?? null, reason: selectionReason(selectedHostname) };

  const candidates: GatewayExplainCandidate[] = [];
  let winner: CompiledMatch | undefined;
  let winnerTier: string | undefined;
  for (const { tier, hostname, paths } of routeTiers(selected, host)) {
    for (const { match, failed } of orderedMatches(paths, path, gatewayRequest)) {
      const ref = matchRef(match);
      const shown = describeMatch(match);
      const facts = {
        ...ref,
        tier,
        hostname: hostname ?? null,
        pathType: match.pathType,
        pathValue: match.pathValue,
        grpc: match.grpc === undefined ? null : { type: match.grpc.type, service: match.grpc.service ?? null, method: match.grpc.method ?? null },
        method: match.method ?? null,
        headers: match.headers.map((h) => h.name),
        queryParams: match.queryParams.map((q) => q.name),
      };
      if (failed !== undefined) {
        candidates.push({ ...facts, outcome: 'no-match', failed, reason: `${shown} does not match: ${failureReason(match, failed, path, gatewayRequest)}` });
      } else if (winner === undefined) {
        winner = match;
        winnerTier = hostname ?? '';
        candidates.push({ ...facts, outcome: 'won', failed: null, reason: `${shown} matches and comes first in ${TIER_NAMES[tier]}${hostname ? ` ${hostname}` : ''}` });
      } else if (winnerTier === (hostname ?? '')) {
        candidates.push({ ...facts, outcome: 'lost', failed: null, reason: `${shown} matches, but ${describeMatch(winner)} comes first: ${whyFirst(winner, match)}` });
      } else {
        candidates.push({ ...facts, outcome: 'not-reached', failed: null, reason: `${shown} matches, but a more specific hostname (${winnerTier || 'any host'}) matched first` });
      }
    }
  }
  const rule = winner === undefined ? null : explainRule(winner);
  const summary =
    rule === null
      ? `no match of listener ${selected.listener.name} takes the request: the gateway answers 404`
      : rule.failure !== null
        ? `${rule.route} ${rule.field.replace(/\.matches\[\d+\]$/, '')} wins, but answers 500: ${rule.failure}`
        : `${rule.route} spec.rules[${rule.rule}] wins`;
  return { ...base, listeners, listener, candidates, winner: rule, summary };
}

/** The hostname entries of `index` that match `host`, most specific first (as `HostnameIndex.first` tries them), then the others. */
function orderBySpecificity<T>(entries: Array<[string | undefined, T]>, host: string): Array<[string | undefined, T]> {
  const rank = ([hostname]: [string | undefined, T]): number => {
    if (hostname === undefined) return 1e6;
    if (!hostnameMatches(hostname, host)) return 2e6;
    // Exact first, then wildcards by the length of their domain, longest first.
    return hostname.startsWith('*.') ? 1e5 - hostname.length : 0;
  };
  return [...entries].sort((a, b) => rank(a) - rank(b));
}

function selectionReason(hostname: string | undefined): string {
  if (hostname === undefined) return 'no listener hostname matches the Host more specifically; this listener takes any host';
  if (hostname.startsWith('*.')) return `${hostname} is the longest wildcard hostname matching the Host, and no listener names the Host exactly`;
  return `hostname ${hostname} is the Host exactly`;
}

/** The hostname tiers of the listener's routes the Host reaches, in the order `ListenerRoutes.find` tries them. */
function routeTiers(routes: ListenerRoutes, host: string): Array<{ tier: GatewayHostnameTier; hostname: string | undefined; paths: PathIndex }> {
  return orderBySpecificity(routes.hosts.entries(), host)
    .filter(([hostname]) => hostname === undefined || hostnameMatches(hostname, host))
    .map(([hostname, paths]) => ({ tier: hostname === undefined ? 'any-hostname' : hostname.startsWith('*.') ? 'wildcard-hostname' : 'exact-hostname', hostname, paths }));
}

/**
 * Every match of one hostname tier: those whose path matches first, in the order
 * `PathIndex.find` tries them (Exact, PathPrefix longest first, RegularExpression; then
 * `byMatchPrecedence`; GRPCRoute matches after, by `byGrpcPrecedence`), then those whose path
 * does not match.
 */
function orderedMatches(paths: PathIndex, path: string, request: GatewayRequest): Array<{ match: CompiledMatch; failed: GatewayFailedCondition | undefined }> {
  const judged = paths.all().map((match) => ({ match, pathMatches: pathMatches(match, path) }));
  judged.sort((a, b) => {
    if (a.pathMatches !== b.pathMatches) return a.pathMatches ? -1 : 1;
    const grpc = (a.match.grpc === undefined ? 0 : 1) - (b.match.grpc === undefined ? 0 : 1);
    if (grpc !== 0) return grpc;
    if (a.match.grpc !== undefined) return byGrpcPrecedence(a.match, b.match);
    const type = PATH_TYPE_RANK[a.match.pathType] - PATH_TYPE_RANK[b.match.pathType];
    if (type !== 0) return type;
    // Prefixes that match one path are nested: the longer value is tried first.
    if (a.match.pathType === 'PathPrefix' && a.match.pathValue.length !== b.match.pathValue.length) return b.match.pathValue.length - a.match.pathValue.length;
    return byMatchPrecedence(a.match, b.match);
  });
  return judged.map(({ match, pathMatches }) => ({ match, failed: pathMatches ? failedCondition(match, request) : { field: 'path', name: null } }));
}

/** The path test of a match, from the spec (PathPrefix by whole elements, a trailing slash ignored). */
function pathMatches(match: CompiledMatch, path: string): boolean {
  if (match.grpc !== undefined) return match.grpc.matchesPath(path);
  const value = match.pathValue;
  switch (match.pathType) {
    case 'Exact':
      return path === value;
    case 'PathPrefix':
      return value === '/' || path === value || path.startsWith(`${value}/`);
    case 'RegularExpression':
      return match.pathRegex!.test(path);
  }
}

function failedCondition(match: CompiledMatch, request: GatewayRequest): GatewayFailedCondition | undefined {
  if (match.method !== undefined && request.method !== match.method) return { field: 'method', name: null };
  if (match.grpc !== undefined && !isGrpcRequest(request)) return { field: 'header', name: 'content-type' };
  for (const header of match.headers) if (!header.holds(request)) return { field: 'header', name: header.name };
  for (const param of match.queryParams) if (!param.holds(request)) return { field: 'query', name: param.name };
  return undefined;
}

function failureReason(match: CompiledMatch, failed: GatewayFailedCondition, path: string, request: GatewayRequest): string {
  switch (failed.field) {
    case 'path':
      if (match.grpc !== undefined) return `the path ${path} is not a gRPC call to ${match.grpc.describe()}`;
      return match.pathType === 'Exact'
        ? `the path ${path} is not exactly ${match.pathValue}`
        : match.pathType === 'PathPrefix'
          ? `${match.pathValue} is not a prefix of the path ${path} by whole elements`
          : `the path ${path} does not match the regular expression ${match.pathValue}`;
    case 'method':
      return `the method is ${request.method}, not ${match.method}`;
    case 'header': {
      if (match.grpc !== undefined && failed.name === 'content-type') return 'the request is not a gRPC call (content-type application/grpc)';
      const header = match.headers.find((h) => h.name === failed.name)!;
      return request.headers[header.name] === undefined ? `header ${header.name} is missing` : `header ${header.name} is not ${describeValue(header.value)}`;
    }
    case 'query': {
      const param = match.queryParams.find((q) => q.name === failed.name)!;
      return firstQueryValue(request.query, param.name) === undefined ? `query parameter ${param.name} is missing` : `query parameter ${param.name} is not ${describeValue(param.value)}`;
    }
  }
}

/** Why `winner` precedes `loser` when both match (same hostname tier). */
function whyFirst(winner: CompiledMatch, loser: CompiledMatch): string {
  if (winner.grpc !== undefined && loser.grpc !== undefined) return whyFirstGrpc(winner, loser);
  if (winner.pathType !== loser.pathType) return `${winner.pathType} comes before ${loser.pathType}`;
  if (winner.pathType === 'PathPrefix' && winner.pathValue.length !== loser.pathValue.length) return 'its prefix is longer';
  if (winner.prefixLength !== loser.prefixLength) return 'its prefix as written is longer';
  if ((winner.method === undefined) !== (loser.method === undefined)) return 'it matches the method';
  if (winner.headers.length !== loser.headers.length) return `it matches more headers (${winner.headers.length} against ${loser.headers.length})`;
  if (winner.queryParams.length !== loser.queryParams.length) return `it matches more query parameters (${winner.queryParams.length} against ${loser.queryParams.length})`;
  if (winner.routeCreatedAt !== loser.routeCreatedAt) return 'its route is older (creationTimestamp)';
  if (winner.routeId !== loser.routeId) return `its route comes first by namespace/name (${winner.routeId} before ${loser.routeId})`;
  if (winner.rule.index !== loser.rule.index) return 'its rule comes first in the route';
  return 'its match comes first in the rule';
}

/** `whyFirst` for two GRPCRoute matches, in `byGrpcPrecedence`'s order. */
function whyFirstGrpc(winner: CompiledMatch, loser: CompiledMatch): string {
  const [w, l] = [winner.grpc!, loser.grpc!];
  if (w.kind !== l.kind) return w.type !== l.type ? 'an Exact method match comes before a RegularExpression' : `it names ${w.kind === 'exact' ? 'the service and the method' : w.kind === 'service' ? 'the service' : 'the method'}`;
  if ((w.service?.length ?? 0) !== (l.service?.length ?? 0)) return 'its service has more characters';
  if ((w.method?.length ?? 0) !== (l.method?.length ?? 0)) return 'its method has more characters';
  if (winner.headers.length !== loser.headers.length) return `it matches more headers (${winner.headers.length} against ${loser.headers.length})`;
  if (winner.routeCreatedAt !== loser.routeCreatedAt) return 'its route is older (creationTimestamp)';
  if (winner.routeId !== loser.routeId) return `its route comes first by namespace/name (${winner.routeId} before ${loser.routeId})`;
  if (winner.rule.index !== loser.rule.index) return 'its rule comes first in the route';
  return 'its match comes first in the rule';
}

function matchRef(match: CompiledMatch): GatewayMatchRef {
  return { route: match.routeId, kind: match.rule.origin.kind === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute', rule: match.rule.index, ruleName: match.rule.name ?? null, match: match.index, field: `${match.rule.field}.matches[${match.index}]` };
}

function describeMatch(match: CompiledMatch): string {
  if (match.grpc !== undefined) {
    const headers = match.headers.map((h) => `header ${h.name} ${describeValue(h.value)}`);
    return `gRPC ${match.grpc.type === 'RegularExpression' ? 'RegularExpression ' : ''}${match.grpc.describe()}${headers.length === 0 ? '' : ` with ${headers.join(', ')}`} (GRPCRoute ${match.routeId} ${match.rule.field}.matches[${match.index}])`;
  }
  const conditions = [
    ...(match.method === undefined ? [] : [`method ${match.method}`]),
    ...match.headers.map((h) => `header ${h.name} ${describeValue(h.value)}`),
    ...match.queryParams.map((q) => `query ${q.name} ${describeValue(q.value)}`),
  ];
  return `${match.pathType} ${match.pathValue}${conditions.length === 0 ? '' : ` with ${conditions.join(', ')}`} (${match.routeId} ${match.rule.field}.matches[${match.index}])`;
}

function describeValue(test: ValueTest): string {
  return test instanceof ExactValue ? JSON.stringify(test.value) : 'the regular expression';
}

function explainRule(match: CompiledMatch): GatewayRuleExplanation {
  const rule: RouteRule = match.rule;
  return {
    ...matchRef(match),
    filters: explainFilters(rule.filters),
    backends: rule.backends.map((backend) => ({
      field: backend.field,
      backendKey: backend.route?.backendKey ?? null,
      backend: backend.route?.backend ?? null,
      weight: backend.weight,
      share: rule.totalWeight === 0 ? 0 : backend.weight / rule.totalWeight,
      problem: backend.problem === undefined ? null : { reason: backend.problem.reason, message: backend.problem.message },
      filters: backend.route?.backendFilters === undefined ? [] : explainFilters(backend.route.backendFilters),
    })),
    timeouts: { requestMs: rule.timeouts.requestMs ?? null, backendRequestMs: rule.timeouts.backendRequestMs ?? null },
    failure: rule.failure ?? null,
  };
}

function explainFilters(actions: FilterActions): GatewayFilterExplanation[] {
  const filters: GatewayFilterExplanation[] = [];
  if (actions.requestHeaders) filters.push({ type: 'RequestHeaderModifier', detail: describeHeaders(actions.requestHeaders) });
  if (actions.responseHeaders) filters.push({ type: 'ResponseHeaderModifier', detail: describeHeaders(actions.responseHeaders) });
  const redirect = actions.redirect;
  if (redirect) {
    const parts = [
      `${redirect.statusCode}`,
      ...(redirect.scheme ? [`scheme ${redirect.scheme}`] : []),
      ...(redirect.hostname ? [`hostname ${redirect.hostname}`] : []),
      ...(redirect.port === undefined ? [] : [`port ${redirect.port}`]),
      ...(redirect.path ? [describePath(redirect.path)] : []),
    ];
    filters.push({ type: 'RequestRedirect', detail: parts.join(', ') });
  }
  const rewrite = actions.rewrite;
  if (rewrite) filters.push({ type: 'URLRewrite', detail: [...(rewrite.hostname ? [`hostname ${rewrite.hostname}`] : []), ...(rewrite.path ? [describePath(rewrite.path)] : [])].join(', ') || 'nothing' });
  for (const mirror of actions.mirrors) filters.push({ type: 'RequestMirror', detail: `${Math.round(mirror.fraction * 1000) / 10}% to ${mirror.backendKey}` });
  return filters;
}

function describeHeaders(modifier: HeaderModifier): string {
  const parts = [
    ...modifier.set.map(([name, value]) => `set ${name}: ${value}`),
    ...modifier.add.map(([name, value]) => `add ${name}: ${value}`),
    ...modifier.remove.map((name) => `remove ${name}`),
  ];
  return parts.join('; ') || 'nothing';
}

function describePath(path: PathModifier): string {
  return path.type === 'ReplaceFullPath' ? `path replaced by ${path.value}` : `matched prefix replaced by ${path.value}`;
}
