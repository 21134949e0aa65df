import { backendKey } from './backend-ref.js';
import type { Discovery } from './discovery/discovery.js';
import type { Endpoint, EndpointSet } from './discovery/endpoint-set.js';
import { selectEndpoints } from './discovery/select-endpoints.js';
import { SwitchyardError } from './errors.js';
import type { Route } from './route.js';
import { RouteTable } from './route-table/route-table.js';

/** A backend's current endpoints, as the router keeps them. */
export interface BackendEndpoints {
  /** The last set discovery pushed. */
  readonly set: EndpointSet;
  /**
   * The endpoints a request may go to, chosen once per pushed set (not per request): the
   * ready ones, or the serving and terminating ones when none is ready (unless the router
   * was made with `terminatingFallback: false`).
   */
  readonly eligible: readonly Endpoint[];
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
}

/** See `RouterOptions.retainDroppedMs`. */
export const DEFAULT_RETAIN_DROPPED_MS = 30_000;

/**
 * Joins a route table with a discovery: watches exactly the backends the current table
 * points at and keeps each one's latest endpoint set, so a request needs a table lookup and
 * one Map read. `update(table)` swaps the table atomically: it first watches the backends
 * the new table adds (so the new table's routes find their endpoints), then swaps, then stops
 * watching those it dropped, after `retainDroppedMs` (requests in flight on the old table).
 */
export class Router {
  private current: RouteTable;
  private readonly discovery: Discovery;
  private readonly terminatingFallback: boolean;
  private readonly endpointsByBackend = new Map<string, BackendEndpoints>();
  private readonly subscriptions = new Map<string, () => void>();
  /** Dropped backends still watched, with the timer that unwatches them. */
  private readonly retiring = new Map<string, NodeJS.Timeout>();
  private readonly retainDroppedMs: number;
  private closed = false;

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
    this.current = options.table;
    this.watchBackendsOf(options.table);
  }

  /** The table requests are matched against now. */
  get table(): RouteTable {
    return this.current;
  }

  /** The current endpoints of a matched route's backend (undefined until discovery has pushed a set). O(1). */
  endpoints(route: Route): BackendEndpoints | undefined {
    return this.endpointsByBackend.get(route.backendKey);
  }

  /**
   * The current endpoints of a backend by its key (`backendKey(backend)`), for listings and
   * metrics that walk `watchedBackends()`. Undefined for a backend not watched, or until
   * discovery has pushed a set for it. O(1).
   */
  endpointsOf(backendKey: string): BackendEndpoints | undefined {
    return this.endpointsByBackend.get(backendKey);
  }

  /** Swaps in a new table; backends it no longer references stop being watched after `retainDroppedMs`. */
  update(table: RouteTable): void {
    if (this.closed) throw new SwitchyardError('SWY_DISCOVERY_CLOSED', 'Router.update() after close()');
    if (!(table instanceof RouteTable)) throw new SwitchyardError('SWY_ROUTER_INVALID_OPTIONS', 'Router.update(table): table must be a RouteTable from compile()', { field: 'table' });
    const keep = this.watchBackendsOf(table);
    this.current = table;
    for (const key of [...this.subscriptions.keys()]) {
      if (keep.has(key) || this.retiring.has(key)) continue;
      if (this.retainDroppedMs === 0) {
        this.unwatch(key);
        continue;
      }
      const timer = setTimeout(() => this.unwatch(key), this.retainDroppedMs);
      // A retiring watch must not keep the process alive.
      timer.unref();
      this.retiring.set(key, timer);
    }
  }

  /** The backends watched now, by key (those a new table dropped included, until they retire). */
  watchedBackends(): string[] {
    return [...this.subscriptions.keys()];
  }

  /** Stops every watch. The discovery itself stays open: it may serve other routers. */
  close(): void {
    this.closed = true;
    for (const timer of this.retiring.values()) clearTimeout(timer);
    this.retiring.clear();
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.endpointsByBackend.clear();
  }

  private watchBackendsOf(table: RouteTable): Set<string> {
    const keys = new Set<string>();
    for (const backend of table.backends()) {
      const key = backendKey(backend);
      keys.add(key);
      if (this.subscriptions.has(key)) {
        // Referenced again before it retired: keep watching.
        const retiring = this.retiring.get(key);
        if (retiring !== undefined) {
          clearTimeout(retiring);
          this.retiring.delete(key);
        }
        continue;
      }
      // Marked as watched before `watch` returns: a discovery that knows the set pushes at once.
      this.subscriptions.set(key, NOTHING);
      this.subscriptions.set(key, this.discovery.watch(backend, (set) => this.onSet(key, set)));
    }
    return keys;
  }

  private unwatch(key: string): void {
    this.retiring.delete(key);
    this.subscriptions.get(key)?.();
    this.subscriptions.delete(key);
    this.endpointsByBackend.delete(key);
  }

  private onSet(key: string, set: EndpointSet): void {
    // A push racing an unsubscribe must not bring a dropped backend back.
    if (!this.subscriptions.has(key)) return;
    this.endpointsByBackend.set(key, { set, eligible: Object.freeze(selectEndpoints(set, this.terminatingFallback)) });
  }
}

const NOTHING = (): void => undefined;
