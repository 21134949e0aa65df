import { backendKey, type BackendInterner } from '../backend-ref.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Service } from '../discovery/kubernetes-types.js';
import type { ErrorCode } from '../errors.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import { normalizePath } from '../request/normalize-path.js';
import type { Route, RouteOrigin, RouteRule, RuleBackend } from '../route.js';
import type { FilterActions, HeaderModifier, MirrorAction, PathModifier, RuleTimeouts } from './compiled-filters.js';
import { CompiledMatch, type GatewayPathType } from './compiled-match.js';
import { parseDuration } from './duration.js';
import type { BackendObjectReference, GRPCRoute, HTTPHeaderFilter, HTTPPathModifier, HTTPRoute, HTTPRouteFilter, HTTPRouteMatch } from './model.js';
import { routeEnd, type ReferenceGrants } from './reference-grants.js';
import { PROXY_OWNED_REQUEST_HEADERS, PROXY_OWNED_RESPONSE_HEADERS } from './proxy-owned-headers.js';
import { compileRegexTest } from './regex-test.js';
import { ExactValue, HeaderCondition, QueryCondition, type ValueTest } from './request-conditions.js';

/** What resolving backendRefs needs: grants, and the Services when known (undefined: not checked). */
export interface BackendContext {
  readonly grants: ReferenceGrants;
  readonly services: ReadonlyMap<string, Service> | undefined;
  readonly backends: BackendInterner;
}

/** The route kinds whose rules compile into `RouteRule`s. */
export type RouteKind = 'HTTPRoute' | 'GRPCRoute';

/** One HTTPRoute or GRPCRoute, its rules compiled. */
export interface CompiledRoute {
  readonly kind: RouteKind;
  readonly route: HTTPRoute | GRPCRoute;
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly createdAt: number;
  readonly rules: readonly RouteRule[];
  /** Every match of every rule kept, in rule and match order. */
  readonly matches: readonly CompiledMatch[];
  /** backendRefs (and mirrors) that did not resolve: `ResolvedRefs: False` with the first one's reason. */
  readonly unresolved: ReadonlyArray<{ readonly reason: string; readonly message: string }>;
  /** Rules left out or answering 500 for something unsupported: `Accepted: False` (all) or `PartiallyInvalid`. */
  readonly unsupported: readonly string[];
  /** Rules left out (their matches are not indexed). */
  readonly droppedRules: number;
}

/** One HTTPRoute, its rules compiled. */
export type CompiledHttpRoute = CompiledRoute;

/** The diagnostic codes of compiling a route, per kind (the same problems, named for the kind). */
export const ROUTE_CODES = {
  HTTPRoute: {
    unresolved: 'SWY_HTTPROUTE_BACKEND_UNRESOLVED',
    headerIgnored: 'SWY_HTTPROUTE_HEADER_IGNORED',
    unsupported: 'SWY_HTTPROUTE_RULE_UNSUPPORTED',
    notAccepted: 'SWY_HTTPROUTE_NOT_ACCEPTED',
    parentUnknown: 'SWY_HTTPROUTE_PARENT_UNKNOWN',
  },
  GRPCRoute: {
    unresolved: 'SWY_GRPCROUTE_BACKEND_UNRESOLVED',
    headerIgnored: 'SWY_GRPCROUTE_HEADER_IGNORED',
    unsupported: 'SWY_GRPCROUTE_RULE_UNSUPPORTED',
    notAccepted: 'SWY_GRPCROUTE_NOT_ACCEPTED',
    parentUnknown: 'SWY_GRPCROUTE_PARENT_UNKNOWN',
  },
} as const satisfies Record<RouteKind, Record<string, ErrorCode>>;

/** Compiles one `matches[k]` of a rule, or says why it cannot be. */
export type MatchCompiler<M> = (match: M, rule: RouteRule, index: number, createdAt: number, routeId: string) => CompiledMatch | string;

/** The parts of a rule the shared compiler reads (HTTPRouteRule and GRPCRouteRule both have them). */
interface RuleSpec<M> {
  readonly name?: string;
  readonly matches?: readonly M[];
  readonly filters?: readonly HTTPRouteFilter[];
  readonly backendRefs?: ReadonlyArray<BackendObjectReference & { weight?: number; filters?: HTTPRouteFilter[] }>;
  readonly timeouts?: { request?: string; backendRequest?: string };
}

const NO_FILTERS: FilterActions = Object.freeze({ requestHeaders: undefined, responseHeaders: undefined, redirect: undefined, rewrite: undefined, mirrors: Object.freeze([]) });
const SUPPORTED_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror']);

/**
 * Compiles the rules of a validated HTTPRoute (CRD defaults applied): matches into
 * `CompiledMatch`es, filters into `FilterActions`, backendRefs into weighted `RuleBackend`s with
 * one `Route` each. Problems become diagnostics and the counts the route's conditions are made
 * from; a rule whose match cannot be compiled is left out, a rule with an unsupported filter
 * answers 500 (skipping a filter could skip an auth check).
 */
export function compileHttpRouteRules(route: HTTPRoute, createdAt: number, context: BackendContext, diagnostics: Diagnostic[]): CompiledHttpRoute {
  return compileRouteRules<HTTPRouteMatch>('HTTPRoute', route, route.spec?.rules ?? [], compileMatch, createdAt, context, diagnostics);
}

/**
 * The rule compiler HTTPRoutes and GRPCRoutes share: filters, backendRefs (resolution,
 * ReferenceGrants from `kind`, weights), timeouts, conditions' counts; `compileOne` compiles the
 * kind's matches. A route without a rule compiles to no rule (GRPCRoute allows none).
 */
export function compileRouteRules<M>(
  kind: RouteKind,
  route: HTTPRoute | GRPCRoute,
  specs: readonly RuleSpec<M>[],
  compileOne: MatchCompiler<M>,
  createdAt: number,
  context: BackendContext,
  diagnostics: Diagnostic[],
): CompiledRoute {
  const namespace = route.metadata.namespace || 'default';
  const id = `${namespace}/${route.metadata.name}`;
  const codes = ROUTE_CODES[kind];
  const origin: RouteOrigin = Object.freeze({ kind, namespace, name: route.metadata.name ?? '' });
  const report = (code: ErrorCode, field: string, message: string): void => {
    const source = manifestSourceOf(route, field);
    diagnostics.push({ code, severity: 'warning', object: id, field, message, ...(source ? { source } : {}) });
  };
  const rules: RouteRule[] = [];
  const matches: CompiledMatch[] = [];
  const unresolved: Array<{ reason: string; message: string }> = [];
  const unsupported: string[] = [];
  let droppedRules = 0;

  specs.forEach((spec, i) => {
    const field = `spec.rules[${i}]`;
    const unresolvedRef = (reason: string, message: string, at: string): void => {
      unresolved.push({ reason, message });
      report(codes.unresolved, at, `${message} (${reason})`);
    };
    const ignoredHeader = (at: string, name: string): void =>
      report(codes.headerIgnored, at, `header ${name} is the proxy's own (framing, Host, X-Forwarded-*, X-Request-Id); this entry is ignored${name.toLowerCase() === 'host' ? ' (URLRewrite.hostname changes the Host sent upstream)' : ''}`);
    const filters = compileFilters(spec.filters ?? [], `${field}.filters`, kind, namespace, context, unresolvedRef, ignoredHeader);
    let failure: string | undefined;
    if (filters.unsupported !== undefined) {
      failure = filters.unsupported;
      unsupported.push(failure);
      report(codes.unsupported, filters.unsupportedField!, `${failure}; the rule answers ${kind === 'GRPCRoute' ? 'an error' : '500'} rather than skip the filter`);
    }
    const timeouts = compileTimeouts(spec.timeouts);

    const backends: RuleBackend[] = [];
    const rule: RouteRule = {
      origin,
      index: i,
      field,
      name: spec.name,
      grpc: kind === 'GRPCRoute',
      filters: filters.actions,
      timeouts,
      backends,
      totalWeight: 0,
      failure,
      direct: undefined,
    };
    (spec.backendRefs ?? []).forEach((ref, j) => {
      const at = `${field}.backendRefs[${j}]`;
      const weight = ref.weight ?? 1;
      const resolved = resolveBackend(ref, kind, namespace, context);
      if (!resolved.ok) {
        unresolvedRef(resolved.reason, resolved.message, at);
        backends.push({ route: undefined, weight, field: at, problem: { reason: resolved.reason, message: resolved.message } });
        return;
      }
      const own = compileFilters(ref.filters ?? [], `${at}.filters`, kind, namespace, context, unresolvedRef, ignoredHeader);
      if (own.unsupported !== undefined) {
        // The filter would be skipped for this backend's share: that share answers 500 instead.
        unsupported.push(own.unsupported);
        report(codes.unsupported, own.unsupportedField!, `${own.unsupported}; requests sent to this backend are answered ${kind === 'GRPCRoute' ? 'an error' : '500'}`);
        backends.push({ route: undefined, weight, field: at, problem: { reason: 'UnsupportedValue', message: own.unsupported } });
        return;
      }
      const backend = resolved.backend;
      const backendRoute: Route = Object.freeze({
        backend,
        backendKey: backendKey(backend),
        host: undefined,
        path: undefined,
        pathType: undefined,
        origin,
        field: at,
        isDefaultBackend: false,
        rule,
        backendFilters: ref.filters === undefined || ref.filters.length === 0 ? undefined : own.actions,
      });
      backends.push({ route: backendRoute, weight, field: at, problem: undefined });
    });
    const totalWeight = backends.reduce((sum, b) => sum + b.weight, 0);
    if (failure === undefined && filters.actions.redirect === undefined) {
      if (backends.length === 0) failure = 'the rule has no backendRefs and no RequestRedirect';
      else if (totalWeight === 0) failure = 'every backendRef of the rule has weight 0';
    }
    // The totals are known only now: the backends' routes, made above, point back at the rule.
    Object.assign(rule, { totalWeight, failure, direct: failure === undefined && forwardsOnly(filters.actions, timeouts) ? soleRoute(backends) : undefined });
    Object.freeze(backends);

    // Matches: one refused expression leaves the whole rule out.
    const compiled: CompiledMatch[] = [];
    let refused: string | undefined;
    (spec.matches ?? []).forEach((match, k) => {
      if (refused !== undefined) return;
      const result = compileOne(match, rule, k, createdAt, id);
      if (typeof result === 'string') {
        refused = result;
        report(codes.unsupported, `${field}.matches[${k}]`, `${result}; the rule is left out`);
      } else compiled.push(result);
    });
    if (refused !== undefined) {
      unsupported.push(refused);
      droppedRules++;
      return;
    }
    rules.push(Object.freeze(rule));
    matches.push(...compiled);
  });
  return { kind, route, id, namespace, createdAt, rules, matches, unresolved, unsupported, droppedRules };
}

/** No filter acts and no timeout applies: the rule's requests are forwarded as they came. */
function forwardsOnly(actions: FilterActions, timeouts: RuleTimeouts): boolean {
  const { requestHeaders, responseHeaders, redirect, rewrite, mirrors } = actions;
  const noFilter = requestHeaders === undefined && responseHeaders === undefined && redirect === undefined && rewrite === undefined && mirrors.length === 0;
  return noFilter && timeouts.requestMs === undefined && timeouts.backendRequestMs === undefined;
}

/** The route of the one backendRef that takes traffic, when it resolved and has no filters of its own. */
function soleRoute(backends: readonly RuleBackend[]): Route | undefined {
  const taking = backends.filter((backend) => backend.weight > 0);
  if (taking.length !== 1) return undefined;
  const route = taking[0]!.route;
  return route !== undefined && route.backendFilters === undefined ? route : undefined;
}

/** A match compiled, or why it cannot be. */
function compileMatch(match: HTTPRouteMatch, rule: RouteRule, index: number, createdAt: number, routeId: string): CompiledMatch | string {
  const path = match.path ?? { type: 'PathPrefix', value: '/' };
  const type = (path.type ?? 'PathPrefix') as GatewayPathType;
  let value = path.value ?? '/';
  const prefixLength = type === 'PathPrefix' ? value.length : 0;
  let pathRegex: ValueTest | undefined;
  if (type === 'RegularExpression') {
    const compiled = compileRegexTest(value);
    if (!compiled.ok) return `path regular expression ${JSON.stringify(value)} is refused: ${compiled.reason}`;
    pathRegex = compiled.test;
  } else {
    try {
      value = normalizePath(value);
    } catch {
      return `path ${JSON.stringify(value)} cannot be normalized`;
    }
    if (type === 'PathPrefix' && value.length > 1 && value.endsWith('/')) value = value.slice(0, -1);
  }
  const headers: HeaderCondition[] = [];
  const seenHeaders = new Set<string>();
  for (const header of match.headers ?? []) {
    const name = header.name.toLowerCase();
    // The spec: only the first entry of an equivalent name counts.
    if (seenHeaders.has(name)) continue;
    seenHeaders.add(name);
    const test = valueTest(header.type, header.value);
    if (typeof test === 'string') return `header ${header.name} ${test}`;
    headers.push(new HeaderCondition(name, test));
  }
  const queryParams: QueryCondition[] = [];
  const seenQuery = new Set<string>();
  for (const param of match.queryParams ?? []) {
    if (seenQuery.has(param.name)) continue;
    seenQuery.add(param.name);
    const test = valueTest(param.type, param.value);
    if (typeof test === 'string') return `query parameter ${param.name} ${test}`;
    queryParams.push(new QueryCondition(param.name, test));
  }
  return new CompiledMatch(rule, index, type, value, pathRegex, prefixLength, match.method, Object.freeze(headers), Object.freeze(queryParams), createdAt, routeId);
}

/** An Exact or RegularExpression value test, or why the expression is refused. */
export function valueTest(type: string | undefined, value: string): ValueTest | string {
  if (type === undefined || type === 'Exact') return new ExactValue(value);
  const compiled = compileRegexTest(value);
  return compiled.ok ? compiled.test : `regular expression ${JSON.stringify(value)} is refused: ${compiled.reason}`;
}

type ResolvedBackend = { readonly ok: true; readonly backend: Route['backend'] } | { readonly ok: false; readonly reason: string; readonly message: string };

/** A backendRef (or mirror backendRef) to a Service: kind, ReferenceGrant, the Service and its port when known. */
function resolveBackend(ref: BackendObjectReference, routeKind: RouteKind, routeNamespace: string, context: BackendContext): ResolvedBackend {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const namespace = ref.namespace ?? routeNamespace;
  if (group !== '' || kind !== 'Service') return { ok: false, reason: 'InvalidKind', message: `backendRef ${ref.name} is a ${group === '' ? '' : `${group}/`}${kind}; only Services are supported` };
  if (!context.grants.permits(routeEnd(routeKind, routeNamespace), { group: '', kind: 'Service', namespace }, ref.name)) {
    return { ok: false, reason: 'RefNotPermitted', message: `Service ${namespace}/${ref.name} is in another namespace and no ReferenceGrant there permits ${routeKind}s of ${routeNamespace} to use it` };
  }
  if (ref.port === undefined) return { ok: false, reason: 'UnsupportedValue', message: `backendRef ${ref.name} has no port` };
  const services = context.services;
  if (services !== undefined) {
    const service = services.get(`${namespace}/${ref.name}`);
    if (service === undefined) return { ok: false, reason: 'BackendNotFound', message: `Service ${namespace}/${ref.name} is not found` };
    const isExternal = service.spec?.type === 'ExternalName';
    if (!isExternal && !(service.spec?.ports ?? []).some((port) => port.port === ref.port)) {
      return { ok: false, reason: 'BackendNotFound', message: `Service ${namespace}/${ref.name} has no port ${ref.port}` };
    }
  }
  return { ok: true, backend: context.backends.intern(namespace, { service: { name: ref.name, port: { number: ref.port } } }) };
}

interface CompiledFilters {
  readonly actions: FilterActions;
  /** Why the filters cannot be applied (an unsupported type), and where. */
  readonly unsupported: string | undefined;
  readonly unsupportedField: string | undefined;
}

function compileFilters(
  filters: readonly HTTPRouteFilter[],
  field: string,
  kind: RouteKind,
  routeNamespace: string,
  context: BackendContext,
  unresolved: (reason: string, message: string, field: string) => void,
  ignored: (field: string, name: string) => void,
): CompiledFilters {
  if (filters.length === 0) return { actions: NO_FILTERS, unsupported: undefined, unsupportedField: undefined };
  let requestHeaders: HeaderModifier | undefined;
  let responseHeaders: HeaderModifier | undefined;
  let redirect: FilterActions['redirect'];
  let rewrite: FilterActions['rewrite'];
  const mirrors: MirrorAction[] = [];
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i]!;
    const at = `${field}[${i}]`;
    if (!SUPPORTED_FILTERS.has(filter.type)) {
      return { actions: NO_FILTERS, unsupported: `filter ${filter.type} is not supported`, unsupportedField: `${at}.type` };
    }
    switch (filter.type) {
      case 'RequestHeaderModifier':
        requestHeaders = headerModifier(filter.requestHeaderModifier ?? {}, PROXY_OWNED_REQUEST_HEADERS, `${at}.requestHeaderModifier`, ignored);
        break;
      case 'ResponseHeaderModifier':
        responseHeaders = headerModifier(filter.responseHeaderModifier ?? {}, PROXY_OWNED_RESPONSE_HEADERS, `${at}.responseHeaderModifier`, ignored);
        break;
      case 'RequestRedirect': {
        const spec = filter.requestRedirect ?? {};
        redirect = Object.freeze({
          scheme: spec.scheme === 'http' || spec.scheme === 'https' ? (spec.scheme as 'http' | 'https') : undefined,
          hostname: spec.hostname,
          path: pathModifier(spec.path),
          port: spec.port,
          statusCode: (spec.statusCode ?? 302) as 301 | 302 | 303 | 307 | 308,
        });
        break;
      }
      case 'URLRewrite': {
        const spec = filter.urlRewrite ?? {};
        rewrite = Object.freeze({ hostname: spec.hostname, path: pathModifier(spec.path) });
        break;
      }
      case 'RequestMirror': {
        const spec = filter.requestMirror!;
        const resolved = resolveBackend(spec.backendRef, kind, routeNamespace, context);
        if (!resolved.ok) {
          // The copy is not sent; the request itself is unaffected.
          unresolved(resolved.reason, `mirror ${resolved.message}`, `${at}.requestMirror.backendRef`);
          break;
        }
        const fraction = spec.fraction !== undefined ? spec.fraction.numerator / (spec.fraction.denominator ?? 100) : (spec.percent ?? 100) / 100;
        mirrors.push(Object.freeze({ backend: resolved.backend, backendKey: backendKey(resolved.backend), fraction: Math.min(1, Math.max(0, fraction)) }));
        break;
      }
    }
  }
  return { actions: Object.freeze({ requestHeaders, responseHeaders, redirect, rewrite, mirrors: Object.freeze(mirrors) }), unsupported: undefined, unsupportedField: undefined };
}

/**
 * A header modifier with lowercase names; entries for headers the proxy owns are left out (the
 * proxy would ignore them) and reported through `ignored`.
 */
function headerModifier(spec: HTTPHeaderFilter, owned: ReadonlySet<string>, field: string, ignored: (field: string, name: string) => void): HeaderModifier {
  const keep = (list: 'set' | 'add' | 'remove', index: number, name: string): boolean => {
    if (!owned.has(name.toLowerCase())) return true;
    ignored(`${field}.${list}[${index}]`, name);
    return false;
  };
  const set = (spec.set ?? []).filter((h, i) => keep('set', i, h.name)).map((h) => Object.freeze([h.name.toLowerCase(), h.value] as const));
  const add = (spec.add ?? []).filter((h, i) => keep('add', i, h.name)).map((h) => Object.freeze([h.name.toLowerCase(), h.value] as const));
  const remove = (spec.remove ?? []).filter((name, i) => keep('remove', i, name)).map((name) => name.toLowerCase());
  const names = new Set([...set.map(([n]) => n), ...add.map(([n]) => n), ...remove]);
  return Object.freeze({ set: Object.freeze(set), add: Object.freeze(add), remove: Object.freeze(remove), names });
}

function pathModifier(spec: HTTPPathModifier | undefined): PathModifier | undefined {
  if (spec === undefined) return undefined;
  if (spec.type === 'ReplaceFullPath') return Object.freeze({ type: 'ReplaceFullPath', value: spec.replaceFullPath ?? '/' });
  return Object.freeze({ type: 'ReplacePrefixMatch', value: spec.replacePrefixMatch ?? '/' });
}

function compileTimeouts(spec: { request?: string; backendRequest?: string } | undefined): RuleTimeouts {
  const ms = (value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    // Validated against the Duration format already; the spec: a zero duration turns the timeout off.
    const parsed = parseDuration(value);
    return parsed === 0 ? undefined : parsed;
  };
  return Object.freeze({ requestMs: ms(spec?.request), backendRequestMs: ms(spec?.backendRequest) });
}
