import type { BackendBalancer } from './balancer/backend-balancer.js';
import { Balancing, type BalancingOptions } from './balancer/balancing.js';
import type { Discovery } from './discovery/discovery.js';
import type { EndpointSet } from './discovery/endpoint-set.js';
import { toRoutableEndpoints, type RoutableEndpoint } from './discovery/routable-endpoint.js';
import { selectEndpoints } from './discovery/select-endpoints.js';
import { SwitchyardError } from './errors.js';
import type { BackendRef } from './backend-ref.js';
import type { Route } from './route.js';
import { backendSourcesOf, backendsOfSource, RouteTable, tableDelta, type TableDelta } from './route-table/route-table.js';

/** A backend's current endpoints, as the router keeps them: replaced whole on every push. */
export interface BackendEndpoints {
  /** The last set discovery pushed. */
  readonly set: EndpointSet;
  /**
   * The endpoints a request may go to, chosen once per pushed set (not per request): the
   * ready ones, or the serving and terminating ones when none is ready (unless the router
   * was made with `terminatingFallback: false`).
   */
  readonly eligible: readonly RoutableEndpoint[];
}

/**
 * One backend the router watches: its endpoints and its balancer, owned together. The object
 * stays the same while the backend is watched (a push replaces `endpoints`), and goes, balancer
 * and outlier state with it, when the router stops watching the backend.
 */
export interface RoutedBackend {
  /** `backendKey(backend)`. */
  readonly key: string;
  /** Undefined until discovery has pushed a set. */
  readonly endpoints: BackendEndpoints | undefined;
  /** The backend's balancer (`RouterOptions.balancing`), kept across pushes so in-flight counts and ejections survive them. */
  readonly balancer: BackendBalancer;
}

export interface RouterOptions {
  readonly table: RouteTable;
  readonly discovery: Discovery;
  /** Use serving+terminating endpoints when none is ready (kube-proxy's rule, KEP-1669). Default true. */
  readonly terminatingFallback?: boolean;
  /**
   * How long a backend a new table no longer references keeps being watched, so a request
   * matched against the old table just before the swap still finds its endpoints when it
   * picks one (an auth hook may await between the two). Default `DEFAULT_RETAIN_DROPPED_MS`;
   * 0 drops at once.
   */
  readonly retainDroppedMs?: number;
  /** The balancer policy of each backend, outlier detection, or a picker of your own. Default: round robin with outlier detection. */
  readonly balancing?: BalancingOptions;
}

/** See `RouterOptions.retainDroppedMs`. */
export const DEFAULT_RETAIN_DROPPED_MS = 30_000;

/** The router's own record of a watched backend. */
class BackendEntry implements RoutedBackend {
  endpoints: BackendEndpoints | undefined = undefined;
  /** Stops the discovery watch; a placeholder until `watch` has returned. */
  unwatch: () => void = NOTHING;
  /** Set while the backend is retiring: a newer table dropped it and the timer unwatches it. */
  retireTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly key: string,
    readonly balancer: BackendBalancer,
  ) {}
}

/**
 * Joins a route table with a discovery: watches exactly the backends the current table
 * points at and keeps, per backend, its latest endpoints and its balancer, so a request needs
 * a table lookup and one Map read. `update(table)` swaps the table atomically: it first
 * watches the backends the new table adds (so the new table's routes find their endpoints),
 * then swaps, then stops watching those it dropped, after `retainDroppedMs` (requests in
 * flight on the old table).
 */
export class Router {
  private current: RouteTable;
  private readonly discovery: Discovery;
  private readonly terminatingFallback: boolean;
  private readonly balancing: Balancing;
  private readonly backends = new Map<string, BackendEntry>();
  /** The current table's parts that point at backends (`backendSourcesOf`), this router's copy: a swap looks only at the parts that changed. */
  private sources = new Map<object, ReadonlyMap<string, BackendRef>>();
  /** How many of those parts point at each backend: one that no part points at any more retires. */
  private readonly references = new Map<string, number>();
  private readonly retainDroppedMs: number;
  private closed = false;

  /**
   * @throws SwitchyardError `SWY_ROUTER_INVALID_OPTIONS` (field named) for options of the wrong
   *   shape; `SWY_BALANCER_INVALID_POLICY` / `SWY_BALANCER_INVALID_OPTIONS` for bad balancing.
   */
  constructor(options: RouterOptions) {
    if (typeof options !== 'object' || options === null || !(options.table instanceof RouteTable)) {
      throw new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', 'new Router(options): options.table must be a RouteTable from compile()', { field: 'table' });
    }
    if (typeof options.discovery?.watch !== 'function') {
      throw new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', 'new Router(options): options.discovery must implement Discovery (watch, ready, close)', { field: 'discovery' });
    }
    const retain = options.retainDroppedMs ?? DEFAULT_RETAIN_DROPPED_MS;
    if (!Number.isInteger(retain) || retain < 0) {
      throw new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', `new Router(options): options.retainDroppedMs must be an integer >= 0, got ${JSON.stringify(retain)}`, { field: 'retainDroppedMs' });
    }
    this.retainDroppedMs = retain;
    this.discovery = options.discovery;
    this.terminatingFallback = options.terminatingFallback ?? true;
    this.balancing = new Balancing(options.balancing);
    this.current = options.table;
    this.swapSources(options.table)();
  }

  /** The table requests are matched against now. */
  get table(): RouteTable {
    return this.current;
  }

  /** A matched route's backend: its endpoints and its balancer. Undefined once the router stopped watching it. O(1). */
  backend(route: Route): RoutedBackend | undefined {
    return this.backends.get(route.backendKey);
  }

  /** A backend by its key (`backendKey(backend)`), for listings and metrics that walk `watchedBackends()`. O(1). */
  backendByKey(backendKey: string): RoutedBackend | undefined {
    return this.backends.get(backendKey);
  }

  /** The current endpoints of a matched route's backend (undefined until discovery has pushed a set). O(1). */
  endpoints(route: Route): BackendEndpoints | undefined {
    return this.backends.get(route.backendKey)?.endpoints;
  }

  /** The current endpoints of a backend by its key; undefined for a backend not watched, or until discovery has pushed a set for it. O(1). */
  endpointsOf(backendKey: string): BackendEndpoints | undefined {
    return this.backends.get(backendKey)?.endpoints;
  }

  /**
   * Swaps in a new table; backends it no longer references stop being watched after
   * `retainDroppedMs`. A table compiled with `previous` the compile of the table served now is
   * swapped by what it changed (its hosts compiled again), not by all its parts.
   */
  update(table: RouteTable): void {
    if (this.closed) throw new SwitchyardError('SWY_DISCOVERY_CLOSED', 'Router.update() after close()');
    if (!(table instanceof RouteTable)) throw new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', 'Router.update(table): table must be a RouteTable from compile()', { field: 'table' });
    // A table compiled from the current one says what it changed: only that is looked at.
    const delta = tableDelta(table);
    const release = delta !== undefined && delta.from.deref() === this.current ? this.swapDelta(delta) : this.swapSources(table);
    this.current = table;
    release();
  }

  /** The backends watched now, by key (those a new table dropped included, until they retire). */
  watchedBackends(): string[] {
    return [...this.backends.keys()];
  }

  /** Stops every watch. The discovery itself stays open: it may serve other routers. */
  close(): void {
    this.closed = true;
    for (const entry of [...this.backends.values()]) this.drop(entry);
  }

  /**
   * Watches the backends of `table`'s parts that the current table does not have, and returns
   * what stops watching (after `retainDroppedMs`) the backends only the parts it drops pointed
   * at: run it once `table` serves. Parts both tables share are not looked into.
   */
  private swapSources(table: RouteTable): () => void {
    const before = this.sources;
    const after = new Map(backendSourcesOf(table));
    // forEach, not for-of: this runs once per table, in V8's interpreter or baseline code, where
    // a for-of over a Map allocates an entry array and a result object per element.
    after.forEach((backends, source) => {
      if (!before.has(source)) backends.forEach((backend, key) => this.reference(key, backend));
    });
    this.sources = after;
    return () =>
      before.forEach((backends, source) => {
        if (!after.has(source)) backends.forEach((_backend, key) => this.release(key));
      });
  }

  /** `swapSources` for a table compiled from the current one: its delta's sources only. */
  private swapDelta(delta: TableDelta): () => void {
    for (const source of delta.added) {
      const backends = backendsOfSource(source);
      this.sources.set(source, backends);
      backends.forEach((backend, key) => this.reference(key, backend));
    }
    const removed = delta.removed.map((source) => {
      const backends = this.sources.get(source)!;
      this.sources.delete(source);
      return backends;
    });
    return () => {
      for (const backends of removed) backends.forEach((_backend, key) => this.release(key));
    };
  }

  private reference(key: string, backend: BackendRef): void {
    const count = this.references.get(key) ?? 0;
    this.references.set(key, count + 1);
    if (count !== 0) return;
    const known = this.backends.get(key);
    if (known === undefined) return this.watch(key, backend);
    // Referenced again before it retired: keep watching.
    clearTimeout(known.retireTimer);
    known.retireTimer = undefined;
  }

  private release(key: string): void {
    const count = this.references.get(key)! - 1;
    if (count !== 0) return void this.references.set(key, count);
    this.references.delete(key);
    const entry = this.backends.get(key);
    if (entry === undefined || entry.retireTimer !== undefined) return;
    if (this.retainDroppedMs === 0) return this.drop(entry);
    // A retiring watch must not keep the process alive.
    entry.retireTimer = setTimeout(() => this.drop(entry), this.retainDroppedMs).unref();
  }

  private watch(key: string, backend: BackendRef): void {
    const entry = new BackendEntry(key, this.balancing.balancerFor(key));
    // In the map before `watch` returns: a discovery that knows the set pushes at once.
    this.backends.set(key, entry);
    entry.unwatch = this.discovery.watch(backend, (set) => this.onSet(entry, set));
  }

  private drop(entry: BackendEntry): void {
    clearTimeout(entry.retireTimer);
    entry.retireTimer = undefined;
    if (this.backends.get(entry.key) === entry) this.backends.delete(entry.key);
    entry.unwatch();
    entry.endpoints = undefined;
  }

  private onSet(entry: BackendEntry, set: EndpointSet): void {
    // A push racing an unsubscribe must not bring a dropped backend back.
    if (this.backends.get(entry.key) !== entry) return;
    entry.endpoints = { set, eligible: toRoutableEndpoints(selectEndpoints(set, this.terminatingFallback)) };
  }
}

const NOTHING = (): void => undefined;
