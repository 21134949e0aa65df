import type { ObjectMeta } from '@switchyard/core';
import type { Gateway, HTTPRoute, HTTPRouteMatch, HTTPRouteRule, LabelSelector, Listener, Namespace, ReferenceGrant } from './gateway-api-shapes.js';
import { ANY_HOST, hostnameMatches, intersectHostnames, isWildcard, requestHostOf } from './gateway-reference-hostnames.js';

/**
 * HTTPRoute matching (Gateway API v1) written straight from the doc comments of
 * `httproute_types.go`, `gateway_types.go` and `shared_types.go` as a linear scan over every
 * Gateway, listener, route, rule and match: deliberately simple and sharing no code with
 * core's compiler, so the compiled table, the CLI and this oracle can be checked against
 * each other. Where the spec leaves a choice open, the choice is named where it is made
 * (search for "Choice:").
 */

/** Everything matching reads: plain Gateway API objects, as in a manifest (CRD defaults not yet applied). */
export interface GatewayReferenceInput {
  readonly gateways: readonly Gateway[];
  readonly httpRoutes: readonly HTTPRoute[];
  /** For `allowedRoutes.namespaces.from: Selector`; a namespace not listed has only its automatic label. */
  readonly namespaces?: readonly Namespace[];
  /** Accepted for the same input as compile's; they govern backendRefs, never which rule matches. */
  readonly referenceGrants?: readonly ReferenceGrant[];
}

export interface GatewayReferenceRequest {
  /** The listener port the request arrived on. */
  readonly port: number;
  /** The Host header as sent: lowercased, port and a trailing dot dropped by the matcher. */
  readonly host: string;
  /** Already normalized (no query, no dot-segments, no doubled slashes). */
  readonly path: string;
  /** Default `GET`. Compared as sent: methods are case-sensitive. */
  readonly method?: string;
  /** Names in any case; a repeated header's values are joined with `, ` (RFC 9110 5.3). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Decoded `[name, value]` pairs in request order, or the raw query string (`a=1&b=2`, form-decoded). */
  readonly query?: ReadonlyArray<readonly [string, string]> | string;
}

export type GatewayReferenceAnswer =
  | {
      readonly kind: 'route';
      /** `namespace/name` of the Gateway whose listener took the request. */
      readonly gateway: string;
      readonly listener: string;
      /** `namespace/name` of the HTTPRoute. */
      readonly route: string;
      /** Index in `spec.rules` (0 for the defaulted rule of a route without rules). */
      readonly rule: number;
      /** Index in the rule's `matches` (0 for the defaulted match of a rule without matches). */
      readonly match: number;
    }
  | { readonly kind: 'not-found' };

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const NOT_FOUND: GatewayReferenceAnswer = { kind: 'not-found' };
/** The CRD default of `rules` and of `matches`: a PathPrefix match on `/`. */
const MATCH_EVERYTHING: HTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };

interface ChosenListener {
  readonly gateway: Gateway;
  readonly listener: Listener;
}

/** A match that the request satisfies, with everything precedence compares. */
interface Candidate {
  readonly route: HTTPRoute;
  readonly rule: number;
  readonly match: number;
  /** Characters of the matching non-wildcard hostname (0 when only a wildcard or no hostname matched). */
  readonly exactHostChars: number;
  /** Characters of the longest matching hostname (0 for a route and listener with no hostname). */
  readonly hostChars: number;
  /** 0 Exact, 1 PathPrefix, 2 RegularExpression. */
  readonly pathKind: number;
  /** Characters of a PathPrefix value as written; 0 for the other kinds. */
  readonly prefixChars: number;
  readonly hasMethod: boolean;
  readonly headerCount: number;
  readonly queryCount: number;
}

/** Which listener, route, rule and match take `request`, or not-found (HTTP 404). */
export function referenceGatewayMatch(input: GatewayReferenceInput, request: GatewayReferenceRequest): GatewayReferenceAnswer {
  const host = requestHostOf(request.host);
  const chosen = chooseListener(input.gateways, request.port, host);
  // Listener isolation: no listener for this host means 404, and once one is chosen only the
  // routes attached to it are considered, even when a less specific listener's would match.
  if (!chosen) return NOT_FOUND;

  const candidates: Candidate[] = [];
  for (const route of input.httpRoutes) {
    if (!attachesTo(route, chosen, input.namespaces ?? [])) continue;
    const hostnames = intersectHostnames(chosen.listener.hostname, route.spec?.hostnames);
    const matching = hostnames.filter((hostname) => hostnameMatches(hostname, host));
    if (matching.length === 0) continue;
    const exactHostChars = Math.max(0, ...matching.filter((h) => h !== ANY_HOST && !isWildcard(h)).map((h) => h.length));
    const hostChars = Math.max(0, ...matching.filter((h) => h !== ANY_HOST).map((h) => h.length));
    rulesOf(route).forEach((rule, ruleIndex) => {
      // Choice: a rule with a match type we do not know or a regular expression that does not
      // compile is dropped whole (the spec's "invalid Route rules can be ignored"); the route's
      // other rules still match.
      if (!isSupportedRule(rule)) return;
      matchesOf(rule).forEach((match, matchIndex) => {
        if (!requestSatisfies(match, request)) return;
        const path = pathOf(match);
        candidates.push({
          route,
          rule: ruleIndex,
          match: matchIndex,
          exactHostChars,
          hostChars,
          pathKind: path.type === 'Exact' ? 0 : path.type === 'PathPrefix' ? 1 : 2,
          prefixChars: path.type === 'PathPrefix' ? path.value.length : 0,
          hasMethod: match.method !== undefined,
          headerCount: firstOfEachName(match.headers ?? [], (name) => name.toLowerCase()).length,
          queryCount: firstOfEachName(match.queryParams ?? [], (name) => name).length,
        });
      });
    });
  }
  const winner = candidates.sort(byPrecedence)[0];
  if (!winner) return NOT_FOUND;
  return {
    kind: 'route',
    gateway: nameOf(chosen.gateway.metadata),
    listener: chosen.listener.name,
    route: nameOf(winner.route.metadata),
    rule: winner.rule,
    match: winner.match,
  };
}

// ---------------------------------------------------------------------------------------------
// Listeners

/**
 * The one listener that takes a request on `port` for `host`: among the HTTP and HTTPS
 * listeners on that port whose hostname matches, an exact hostname first, then the wildcard
 * with the longest domain (for wildcards matching the same host, longest = most dots, the
 * spec's measure), then a listener without hostname.
 *
 * Choice: HTTPS listeners are matched like HTTP ones on their port (TLS and SNI are not the
 * matcher's business); TCP, TLS and UDP listeners never take an HTTP request.
 * Choice: listeners of several Gateways on one port are merged (the spec lets an
 * implementation merge compatible Gateways); two equally specific listeners (the same
 * hostname on two Gateways) go to the oldest Gateway, then `namespace/name`, then listener
 * order. GatewayClasses are not consulted: every Gateway given is ours.
 */
function chooseListener(gateways: readonly Gateway[], port: number, host: string): ChosenListener | undefined {
  const onPort: ChosenListener[] = [];
  for (const gateway of [...gateways].sort(olderFirst)) {
    for (const listener of gateway.spec?.listeners ?? []) {
      if (listener.port !== port) continue;
      if (listener.protocol !== 'HTTP' && listener.protocol !== 'HTTPS') continue;
      if (!hostnameMatches(listener.hostname ?? ANY_HOST, host)) continue;
      onPort.push({ gateway, listener });
    }
  }
  // A stable sort keeps Gateway age and listener order among equals.
  return onPort.sort((a, b) => listenerSpecificity(b.listener) - listenerSpecificity(a.listener))[0];
}

/** Higher is more specific: any exact hostname beats any wildcard, which beats none. */
function listenerSpecificity(listener: Listener): number {
  const hostname = listener.hostname;
  if (hostname === undefined) return 0;
  if (isWildcard(hostname)) return 1 + hostname.length;
  return 1_000_000;
}

// ---------------------------------------------------------------------------------------------
// Attachment

/**
 * Does the route attach to the chosen listener? A parentRef must name its Gateway (group and
 * kind defaulting to the Gateway API's Gateway, namespace to the route's) and, when given,
 * the listener by `sectionName` and by `port`; the listener's `allowedRoutes` must admit the
 * route's namespace and kind. Hostnames are checked by the caller (an empty intersection
 * means the route does not attach).
 */
function attachesTo(route: HTTPRoute, chosen: ChosenListener, namespaces: readonly Namespace[]): boolean {
  const routeNamespace = namespaceOf(route.metadata);
  const gatewayNamespace = namespaceOf(chosen.gateway.metadata);
  const referenced = (route.spec?.parentRefs ?? []).some(
    (ref) =>
      (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP &&
      (ref.kind ?? 'Gateway') === 'Gateway' &&
      (ref.namespace ?? routeNamespace) === gatewayNamespace &&
      ref.name === chosen.gateway.metadata.name &&
      (ref.sectionName === undefined || ref.sectionName === chosen.listener.name) &&
      (ref.port === undefined || ref.port === chosen.listener.port),
  );
  if (!referenced) return false;
  return namespaceAllowed(chosen, routeNamespace, namespaces) && kindAllowed(chosen.listener);
}

/** `allowedRoutes.namespaces.from`, default `Same`. */
function namespaceAllowed(chosen: ChosenListener, routeNamespace: string, namespaces: readonly Namespace[]): boolean {
  const from = chosen.listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === namespaceOf(chosen.gateway.metadata);
  if (from === 'Selector') {
    const selector = chosen.listener.allowedRoutes?.namespaces?.selector;
    // Choice: `Selector` without a selector admits no namespace (the API requires one).
    return selector !== undefined && selectorMatches(selector, labelsOfNamespace(routeNamespace, namespaces));
  }
  return false; // an unknown value admits nothing
}

/**
 * The labels of a namespace. The API server gives every namespace `kubernetes.io/metadata.name`
 * = its name; choice: we add it too, and a namespace without a Namespace object in the input
 * has that label only.
 */
function labelsOfNamespace(name: string, namespaces: readonly Namespace[]): Record<string, string> {
  const object = namespaces.find((namespace) => namespace.metadata.name === name);
  return { ...object?.metadata.labels, 'kubernetes.io/metadata.name': name };
}

/** A metav1.LabelSelector: every matchLabels entry and every expression must hold; `{}` selects all. */
function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    if (operator === 'In' && !(has && values.includes(value!))) return false;
    if (operator === 'NotIn' && has && values.includes(value!)) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) return false;
  }
  return true;
}

/** `allowedRoutes.kinds`; when empty, the protocol decides, and HTTP and HTTPS take HTTPRoutes. */
function kindAllowed(listener: Listener): boolean {
  const kinds = listener.allowedRoutes?.kinds ?? [];
  if (kinds.length === 0) return true;
  return kinds.some((kind) => (kind.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && kind.kind === 'HTTPRoute');
}

// ---------------------------------------------------------------------------------------------
// Matches

/** `spec.rules`, CRD default: one rule matching every request. */
function rulesOf(route: HTTPRoute): readonly HTTPRouteRule[] {
  const rules = route.spec?.rules ?? [];
  return rules.length > 0 ? rules : [{ matches: [MATCH_EVERYTHING] }];
}

/** `rule.matches`, CRD default: a PathPrefix match on `/`. */
function matchesOf(rule: HTTPRouteRule): readonly HTTPRouteMatch[] {
  const matches = rule.matches ?? [];
  return matches.length > 0 ? matches : [MATCH_EVERYTHING];
}

/** `match.path` with its CRD defaults: type PathPrefix, value `/`. */
function pathOf(match: HTTPRouteMatch): { type: string; value: string } {
  return { type: match.path?.type ?? 'PathPrefix', value: match.path?.value ?? '/' };
}

function isSupportedRule(rule: HTTPRouteRule): boolean {
  return matchesOf(rule).every((match) => {
    const path = pathOf(match);
    if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(path.type)) return false;
    if (path.type === 'RegularExpression' && !compiles(path.value)) return false;
    const conditions = [...(match.headers ?? []), ...(match.queryParams ?? [])];
    return conditions.every((condition) => {
      const type = condition.type ?? 'Exact';
      return type === 'Exact' || (type === 'RegularExpression' && compiles(condition.value));
    });
  });
}

/** All fields of one match hold (they are ANDed; the matches of a rule are ORed by the caller). */
function requestSatisfies(match: HTTPRouteMatch, request: GatewayReferenceRequest): boolean {
  const path = pathOf(match);
  if (!pathMatches(path.type, path.value, request.path)) return false;
  if (match.method !== undefined && match.method !== (request.method ?? 'GET')) return false;
  // If a match names a header (or query parameter) twice, only the first entry counts.
  for (const header of firstOfEachName(match.headers ?? [], (name) => name.toLowerCase())) {
    const value = headerValue(request.headers ?? {}, header.name);
    if (value === undefined || !valueMatches(header.type ?? 'Exact', header.value, value)) return false;
  }
  for (const param of firstOfEachName(match.queryParams ?? [], (name) => name)) {
    const value = queryValue(request.query ?? [], param.name);
    if (value === undefined || !valueMatches(param.type ?? 'Exact', param.value, value)) return false;
  }
  return true;
}

/**
 * Exact: byte for byte. PathPrefix: element by element, a trailing `/` on the value ignored
 * (`/abc` matches `/abc`, `/abc/`, `/abc/def`, not `/abcd`). RegularExpression: see valueMatches.
 */
function pathMatches(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  if (type === 'PathPrefix') {
    const prefixElements = elementsOf(value);
    const pathElements = elementsOf(path);
    return prefixElements.every((element, i) => pathElements[i] === element);
  }
  return valueMatches('RegularExpression', value, path);
}

/**
 * Exact: case-sensitive equality. RegularExpression: choice: JavaScript RegExp syntax, no
 * flags, matching the WHOLE value (`^(?:…)$`), as RE2's FullMatch and Envoy's safe_regex do.
 */
function valueMatches(type: string, expected: string, actual: string): boolean {
  if (type === 'Exact') return actual === expected;
  return new RegExp(`^(?:${expected})$`).test(actual);
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The request's value of a header, its name compared case-insensitively. Choice: a header sent
 * several times (an array, or names differing in case) is matched as its values joined with
 * `, `, the combined field value RFC 9110 section 5.3 defines.
 */
function headerValue(headers: Readonly<Record<string, string | readonly string[]>>, name: string): string | undefined {
  const values: string[] = [];
  for (const [sentName, sent] of Object.entries(headers)) {
    if (sentName.toLowerCase() === name.toLowerCase()) values.push(...(typeof sent === 'string' ? [sent] : sent));
  }
  return values.length === 0 ? undefined : values.join(', ');
}

/**
 * The request's value of a query parameter, its name compared case-sensitively. Choice (the
 * spec's recommendation; it leaves repeats undefined): a repeated parameter matches by its
 * FIRST value. A parameter without `=` has the value `''`.
 */
function queryValue(query: ReadonlyArray<readonly [string, string]> | string, name: string): string | undefined {
  const pairs = typeof query === 'string' ? [...new URLSearchParams(query)] : query;
  return pairs.find(([sentName]) => sentName === name)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Precedence

/**
 * The spec's order, continuing on ties: the route hostname with the most characters among
 * exact ones, then among all (HTTPRouteSpec.hostnames); an Exact path; a PathPrefix with the
 * most characters; a method; the most headers; the most query parameters (HTTPRouteRule.matches);
 * the oldest route, then `namespace/name` alphabetically; the first rule in the route, then its
 * first match.
 *
 * Choice: the hostnames compared are the route's hostnames as intersected with the listener's
 * (a route without hostnames on a `*.example.com` listener counts as `*.example.com`, the same as
 * a route that names `*.example.com`), since those are the hostnames the route answers on.
 * Choice: RegularExpression paths (whose precedence the spec leaves to implementations) come
 * after every Exact and PathPrefix match, all regular expressions equal to each other.
 * Choice: a PathPrefix's characters are counted as written, as the spec words it: `/foo/` has
 * one more than `/foo`, so it wins though both match the same paths.
 * Choice: a route without creationTimestamp counts as newer than every route with one.
 */
function byPrecedence(a: Candidate, b: Candidate): number {
  return (
    b.exactHostChars - a.exactHostChars ||
    b.hostChars - a.hostChars ||
    a.pathKind - b.pathKind ||
    b.prefixChars - a.prefixChars ||
    Number(b.hasMethod) - Number(a.hasMethod) ||
    b.headerCount - a.headerCount ||
    b.queryCount - a.queryCount ||
    olderFirst(a.route, b.route) ||
    a.rule - b.rule ||
    a.match - b.match
  );
}

/** Oldest `creationTimestamp` first, then `namespace/name` ascending. */
function olderFirst(a: { metadata: ObjectMeta }, b: { metadata: ObjectMeta }): number {
  const at = timeOf(a.metadata);
  const bt = timeOf(b.metadata);
  if (at !== bt) return at < bt ? -1 : 1;
  const an = nameOf(a.metadata);
  const bn = nameOf(b.metadata);
  return an === bn ? 0 : an < bn ? -1 : 1;
}

function timeOf(metadata: ObjectMeta): number {
  const value = metadata.creationTimestamp;
  if (value === undefined) return Number.POSITIVE_INFINITY;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function namespaceOf(metadata: ObjectMeta): string {
  return metadata.namespace || 'default';
}

function nameOf(metadata: ObjectMeta): string {
  return `${namespaceOf(metadata)}/${metadata.name ?? ''}`;
}

function elementsOf(path: string): string[] {
  return path.split('/').filter((element) => element !== '');
}

/** The first entry of each name (names compared through `key`), in order. */
function firstOfEachName<T extends { name: string }>(entries: readonly T[], key: (name: string) => string): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const k = key(entry.name);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
