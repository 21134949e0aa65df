import { backendKey, type BackendRef } from '../backend-ref.js';
import type { CompiledGatewayApi } from '../gateway-api/compile-gateway-api.js';
import type { GatewayApiStatus } from '../gateway-api/conditions.js';
import type { GatewayPort } from '../gateway-api/listener-index.js';
import type { PathMatcher } from '../path-matcher/path-matcher.js';
import { isIpHost, normalizeHost } from '../request/normalize-host.js';
import { normalizePath } from '../request/normalize-path.js';
import type { Route, RouteMatch } from '../route.js';
import type { CompiledRule, Tier } from './compiled-rule.js';
import { explainRequest, type Explanation } from './explain.js';

/** What `compile` hands the table; not built by users. */
export interface RouteTableParts {
  readonly version: number;
  /** The path matcher of each exact host. */
  readonly exactHosts: ReadonlyMap<string, PathMatcher>;
  /** The path matcher of each wildcard, keyed by the parent domain: `*.foo.com` under `foo.com`. */
  readonly wildcardHosts: ReadonlyMap<string, PathMatcher>;
  readonly anyHost: PathMatcher | undefined;
  /**
   * For `explain` and listings, kept apart from the matchers so lookups touch less memory:
   * every rule, conflict losers included, in compile order, by rule host as written
   * (`foo.com`, `*.foo.com`, '' for none).
   */
  readonly rulesByHost: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly defaultBackends: readonly CompiledRule[];
  /** Gateways and HTTPRoutes, when compiled with any. */
  readonly gatewayApi?: CompiledGatewayApi | undefined;
}

/**
 * An immutable, versioned route table. A lookup is two Map reads for the host tiers and a
 * path matcher walk per tier tried; nothing in it scans the rules. A new configuration
 * means a new table, swapped whole.
 */
export class RouteTable {
  /** Increases with every compiled table in this process, unless the caller set it. */
  readonly version: number;
  /** The winning default backend, if any Ingress has one. */
  readonly defaultRoute: Route | undefined;
  private readonly exactHosts: ReadonlyMap<string, PathMatcher>;
  private readonly wildcardHosts: ReadonlyMap<string, PathMatcher>;
  private readonly anyHost: PathMatcher | undefined;
  private readonly parts: RouteTableParts;

  constructor(parts: RouteTableParts) {
    this.parts = parts;
    this.version = parts.version;
    this.exactHosts = parts.exactHosts;
    this.wildcardHosts = parts.wildcardHosts;
    this.anyHost = parts.anyHost;
    this.defaultRoute = parts.defaultBackends.find((rule) => rule.shadowedBy === undefined)?.route;
    PARTS.set(this, parts);
    Object.freeze(this);
  }

  /** The Gateway listeners of `port` and their routes, or undefined when no served listener uses it. */
  gatewayPort(port: number): GatewayPort | undefined {
    return this.parts.gatewayApi?.ports.get(port);
  }

  /** The ports Gateway listeners serve, ascending. */
  gatewayPorts(): number[] {
    return [...(this.parts.gatewayApi?.ports.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The status of every Gateway API object compiled (empty lists without any). */
  get gatewayStatus(): GatewayApiStatus {
    return this.parts.gatewayApi?.status ?? EMPTY_STATUS;
  }

  /** What compiling the Gateway API objects produced (listeners, routes), or undefined. */
  get gatewayApi(): CompiledGatewayApi | undefined {
    return this.parts.gatewayApi;
  }

  /**
   * Matches a raw Host and request target path (query allowed): normalizes both, then
   * looks up. Returns undefined when no rule matches and there is no default backend.
   *
   * @throws SwitchyardError `SWY_REQUEST_BAD_PATH` or `SWY_REQUEST_BAD_HOST` (status 400).
   */
  match(host: string, path: string): RouteMatch | undefined {
    const requestPath = normalizePath(path);
    // A raw Host that is a key of the exact-host index is in normal form already.
    const requestHost = this.exactHosts.has(host) ? host : normalizeHost(host);
    const route = this.lookup(requestHost, requestPath);
    if (route === undefined) return undefined;
    return {
      route,
      requestHost,
      requestPath,
      backend: route.backend,
      backendKey: route.backendKey,
      host: route.host,
      path: route.path,
      pathType: route.pathType,
      origin: route.origin,
      field: route.field,
      isDefaultBackend: route.isDefaultBackend,
      rule: route.rule,
      backendFilters: route.backendFilters,
    };
  }

  /**
   * The hot-path lookup for a host and path already normalized by `normalizeHost` and
   * `normalizePath`: returns the compiled route itself and allocates nothing.
   * Tiers, each falling through to the next when none of its paths match: the exact host,
   * the `*.` wildcard on its parent domain (one label), rules without a host, the default
   * backend. An IP or empty host only reaches rules without a host.
   */
  lookup(host: string, path: string): Route | undefined {
    if (host.length !== 0 && !isIpHost(host)) {
      const exact = this.exactHosts.get(host);
      if (exact !== undefined) {
        const route = exact.match(path);
        if (route !== undefined) return route;
      }
      if (this.wildcardHosts.size !== 0) {
        const dot = host.indexOf('.');
        if (dot > 0) {
          const wildcard = this.wildcardHosts.get(host.slice(dot + 1));
          if (wildcard !== undefined) {
            const route = wildcard.match(path);
            if (route !== undefined) return route;
          }
        }
      }
    }
    if (this.anyHost !== undefined) {
      const route = this.anyHost.match(path);
      if (route !== undefined) return route;
    }
    return this.defaultRoute;
  }

  /**
   * Every candidate rule for a request in precedence order, and why each won, lost or did
   * not match. For people and tools; it scans the rules, so keep it off the hot path.
   */
  explain(host: string, path: string): Explanation {
    const requestHost = normalizeHost(host);
    const requestPath = normalizePath(path);
    const tiers: Array<{ tier: Tier; rules: readonly CompiledRule[] }> = [];
    const rulesOf = this.parts.rulesByHost;
    if (requestHost.length !== 0 && !isIpHost(requestHost)) {
      const exact = rulesOf.get(requestHost);
      if (exact && !requestHost.startsWith('*.')) tiers.push({ tier: 'exact-host', rules: exact });
      const dot = requestHost.indexOf('.');
      const wildcard = dot > 0 ? rulesOf.get('*' + requestHost.slice(dot)) : undefined;
      if (wildcard) tiers.push({ tier: 'wildcard-host', rules: wildcard });
    }
    const anyHost = rulesOf.get('');
    if (anyHost) tiers.push({ tier: 'any-host', rules: anyHost });
    if (this.parts.defaultBackends.length > 0) tiers.push({ tier: 'default-backend', rules: this.parts.defaultBackends });
    return explainRequest(requestHost, requestPath, this.lookup(requestHost, requestPath), tiers);
  }

  /** Every rule of the table in index order (exact hosts, wildcards, no host, default backends), losers of conflicts included. */
  rules(): CompiledRule[] {
    const rules: CompiledRule[] = [];
    for (const group of this.ruleGroups()) for (const rule of group) rules.push(rule);
    return rules;
  }

  /** The rules by host in index order, then the default backends: no list of every rule made. */
  private ruleGroups(): ReadonlyArray<readonly CompiledRule[]> {
    return ruleGroupsOf(this.parts);
  }

  /** Every distinct backend the reachable routes point at: Ingress rules, the default backend, HTTPRoute backendRefs and mirrors. */
  backends(): BackendRef[] {
    const byKey = new Map<string, BackendRef>();
    for (const backends of backendSourcesOf(this).values()) for (const [key, backend] of backends) byKey.set(key, backend);
    return [...byKey.values()];
  }

  /**
   * How many routes `routes()` gives, without making the list: a reload reports it, and an
   * incremental compile shares the rule groups of the hosts it did not touch, whose counts are kept.
   */
  routeCount(): number {
    let count = ROUTE_COUNTS.get(this);
    if (count === undefined) ROUTE_COUNTS.set(this, (count = countRoutes(this)));
    return count;
  }

  /** The routes requests can reach (conflict losers left out), in index order. */
  routes(): Route[] {
    const routes: Route[] = [];
    for (const group of this.ruleGroups()) for (const rule of group) if (rule.shadowedBy === undefined) routes.push(rule.route);
    return routes;
  }
}

/** Each table's parts, for the functions of this module that are not its methods. */
const PARTS = new WeakMap<RouteTable, RouteTableParts>();

/**
 * What a table compiled with `previous` changed from that table (`recordTableDelta`): the
 * sources of `backendSourcesOf` it no longer has and those it has anew. The table before is
 * held weakly, so a table does not keep every table before it alive.
 */
export interface TableDelta {
  readonly from: WeakRef<RouteTable>;
  readonly removed: readonly object[];
  readonly added: readonly object[];
}

const DELTAS = new WeakMap<RouteTable, TableDelta>();

/**
 * Records what `table` changed from `from`, by comparing their parts (a host's rule group, the
 * default backends, the Gateway API part) by identity: an incremental compile shares the parts
 * it did not touch, so a router swapping `from` for `table` looks only at these.
 */
export function recordTableDelta(table: RouteTable, from: RouteTable): void {
  const now = PARTS.get(table)!;
  const then = PARTS.get(from)!;
  const removed: object[] = [];
  const added: object[] = [];
  now.rulesByHost.forEach((rules, host) => {
    const before = then.rulesByHost.get(host);
    if (before === rules) return;
    added.push(rules);
    if (before !== undefined) removed.push(before);
  });
  then.rulesByHost.forEach((rules, host) => {
    if (!now.rulesByHost.has(host)) removed.push(rules);
  });
  if (now.defaultBackends !== then.defaultBackends) {
    added.push(now.defaultBackends);
    removed.push(then.defaultBackends);
  }
  if (now.gatewayApi !== then.gatewayApi) {
    if (now.gatewayApi !== undefined) added.push(now.gatewayApi);
    if (then.gatewayApi !== undefined) removed.push(then.gatewayApi);
  }
  DELTAS.set(table, { from: new WeakRef(from), removed, added });
}

/** What `table` changed from the table it was compiled from, when it was compiled with `previous`. */
export function tableDelta(table: RouteTable): TableDelta | undefined {
  return DELTAS.get(table);
}

/** The backends of one of the sources `backendSourcesOf` lists (a rule group or a Gateway API part), by key. */
export function backendsOfSource(source: object): ReadonlyMap<string, BackendRef> {
  return Array.isArray(source) ? backendsOfGroup(source as readonly CompiledRule[]) : gatewayBackendsOf(source as CompiledGatewayApi);
}

/** Each table's `routeCount()`, counted once. */
const ROUTE_COUNTS = new WeakMap<RouteTable, number>();

/** The reachable routes of `table`: from the count of the table it was compiled from and what changed, when that count is known. */
function countRoutes(table: RouteTable): number {
  const delta = DELTAS.get(table);
  const from = delta?.from.deref();
  const known = from === undefined ? undefined : ROUTE_COUNTS.get(from);
  let count = 0;
  if (known !== undefined) {
    count = known;
    // The Gateway API part is not a rule group: routeCount() counts Ingress rules.
    for (const source of delta!.removed) if (Array.isArray(source)) count -= reachableCountOf(source as readonly CompiledRule[]);
    for (const source of delta!.added) if (Array.isArray(source)) count += reachableCountOf(source as readonly CompiledRule[]);
    return count;
  }
  const groups = ruleGroupsOf(PARTS.get(table)!);
  for (let i = 0; i < groups.length; i++) count += reachableCountOf(groups[i]!);
  return count;
}

/** Each table's rule groups (`ruleGroupsOf`), made once: a table does not change. */
const RULE_GROUPS = new WeakMap<RouteTableParts, ReadonlyArray<readonly CompiledRule[]>>();

function ruleGroupsOf(parts: RouteTableParts): ReadonlyArray<readonly CompiledRule[]> {
  let groups = RULE_GROUPS.get(parts);
  if (groups === undefined) {
    // Exact hosts, then wildcards, then no host: the tiers in the order `rules()` lists them.
    const exact: Array<readonly CompiledRule[]> = [];
    const wildcard: Array<readonly CompiledRule[]> = [];
    const none: Array<readonly CompiledRule[]> = [];
    parts.rulesByHost.forEach((rules, host) => (host === '' ? none : host.startsWith('*.') ? wildcard : exact).push(rules));
    groups = [...exact, ...wildcard, ...none, parts.defaultBackends];
    RULE_GROUPS.set(parts, groups);
  }
  return groups;
}

/**
 * The parts of `table` that point at backends, each with the backends it points at by key: its
 * rule groups (one per host, and the default backends) and its Gateway API part. An incremental
 * compile shares the parts it did not touch with the table before, as the same objects, so a
 * router that swaps tables compares parts and looks only at the backends of those that changed.
 */
export function backendSourcesOf(table: RouteTable): ReadonlyMap<object, ReadonlyMap<string, BackendRef>> {
  let sources = SOURCES.get(table);
  if (sources === undefined) {
    const parts = PARTS.get(table)!;
    const made = new Map<object, ReadonlyMap<string, BackendRef>>();
    const groups = ruleGroupsOf(parts);
    for (let i = 0; i < groups.length; i++) made.set(groups[i]!, backendsOfGroup(groups[i]!));
    if (parts.gatewayApi !== undefined) made.set(parts.gatewayApi, gatewayBackendsOf(parts.gatewayApi));
    SOURCES.set(table, (sources = made));
  }
  return sources;
}

const SOURCES = new WeakMap<RouteTable, ReadonlyMap<object, ReadonlyMap<string, BackendRef>>>();

/** The backends of a Gateway API part, by the part (shared by the tables that reuse it). */
const GATEWAY_BACKENDS = new WeakMap<CompiledGatewayApi, ReadonlyMap<string, BackendRef>>();

function gatewayBackendsOf(gatewayApi: CompiledGatewayApi): ReadonlyMap<string, BackendRef> {
  let backends = GATEWAY_BACKENDS.get(gatewayApi);
  if (backends === undefined) {
    const byKey = new Map<string, BackendRef>();
    for (const route of gatewayApi.routes) byKey.set(route.backendKey, route.backend);
    for (const backend of gatewayApi.mirrorBackends) byKey.set(backendKey(backend), backend);
    GATEWAY_BACKENDS.set(gatewayApi, (backends = byKey));
  }
  return backends;
}

/** Each rule group's backends, by the group (a compile-time array, shared by the tables an incremental compile makes). */
const GROUP_BACKENDS = new WeakMap<readonly CompiledRule[], ReadonlyMap<string, BackendRef>>();

/** The backends the reachable rules of one group point at, by key, in rule order. */
function backendsOfGroup(group: readonly CompiledRule[]): ReadonlyMap<string, BackendRef> {
  let backends = GROUP_BACKENDS.get(group);
  if (backends === undefined) {
    const byKey = new Map<string, BackendRef>();
    for (const rule of group) if (rule.shadowedBy === undefined) byKey.set(rule.route.backendKey, rule.route.backend);
    GROUP_BACKENDS.set(group, (backends = byKey));
  }
  return backends;
}

/** Each rule group's count of reachable rules, by the group (see `GROUP_BACKENDS`). */
const GROUP_REACHABLE = new WeakMap<readonly CompiledRule[], number>();

function reachableCountOf(group: readonly CompiledRule[]): number {
  let count = GROUP_REACHABLE.get(group);
  if (count === undefined) {
    count = 0;
    for (const rule of group) if (rule.shadowedBy === undefined) count++;
    GROUP_REACHABLE.set(group, count);
  }
  return count;
}

const EMPTY_STATUS: GatewayApiStatus = Object.freeze({ gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [] });
