import type { CompiledMatch } from './compiled-match.js';
import { PathIndex } from './path-index.js';
import type { GatewayRequest } from './request-conditions.js';

/**
 * An index by Gateway API hostname: exact names in a Map, wildcards in a Map keyed by their
 * domain (`*.example.com` under `example.com`) looked up from the longest parent domain of the
 * host to the shortest (wildcards match one or more labels), then the entry for any host. A
 * lookup is at most one Map read per label of the host.
 */
export class HostnameIndex<T> {
  readonly exact = new Map<string, T>();
  /** Keyed by the wildcard's domain: `*.example.com` under `example.com`. */
  readonly wildcards = new Map<string, T>();
  /**
   * The lengths of the wildcard domains: a parent domain of the host of any other length is no
   * key, so the walk skips it without making its string (most misses make none).
   */
  readonly wildcardLengths = new Set<number>();
  any: T | undefined = undefined;

  /** The entry for `hostname` (`foo.com`, `*.foo.com`, or undefined for any host), made by `create` the first time. */
  entry(hostname: string | undefined, create: () => T): T {
    if (hostname === undefined) return (this.any ??= create());
    const map = hostname.startsWith('*.') ? this.wildcards : this.exact;
    const key = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
    if (map === this.wildcards) this.wildcardLengths.add(key.length);
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = create()));
    return value;
  }

  /** The most specific entry matching `host`: the exact name, the longest wildcard, else any. */
  first(host: string): T | undefined {
    if (host.length !== 0) {
      const exact = this.exact.get(host);
      if (exact !== undefined) return exact;
      if (this.wildcards.size !== 0) {
        const lengths = this.wildcardLengths;
        for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
          if (!lengths.has(host.length - dot - 1)) continue;
          const wildcard = this.wildcards.get(host.slice(dot + 1));
          if (wildcard !== undefined) return wildcard;
        }
      }
    }
    return this.any;
  }

  /** Every entry with its hostname as written (`*.` for wildcards, undefined for any). */
  entries(): Array<[string | undefined, T]> {
    return [...[...this.exact].map(([k, v]): [string, T] => [k, v]), ...[...this.wildcards].map(([k, v]): [string, T] => [`*.${k}`, v]), ...(this.any === undefined ? [] : [[undefined, this.any] as [undefined, T]])];
  }

  /** Calls `visit` on every entry. */
  forEach(visit: (value: T) => void): void {
    for (const value of this.exact.values()) visit(value);
    for (const value of this.wildcards.values()) visit(value);
    if (this.any !== undefined) visit(this.any);
  }
}

/** A listener as the data plane sees it. */
export interface GatewayListenerInfo {
  /** `namespace/name` of its Gateway. */
  readonly gateway: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly hostname: string | undefined;
}

/**
 * The routes attached to one listener, indexed by their effective hostnames (route hostnames
 * intersected with the listener's), each hostname's matches by path. Precedence across them:
 * hostname specificity first (the exact name, then the longest wildcard, then routes for any
 * host), then path, then the rest (`byMatchPrecedence`).
 */
export class ListenerRoutes {
  readonly hosts = new HostnameIndex<PathIndex>();

  constructor(readonly listener: GatewayListenerInfo) {}

  /** Sets a hostname's paths whole: a `PathIndex` sealed already, perhaps the last compile's (see `buildPorts`). */
  setPaths(hostname: string | undefined, paths: PathIndex): void {
    this.hosts.entry(hostname, () => paths);
  }

  /** The winning match for a normalized host and path, or undefined (404). Tiers fall through in hostname precedence. */
  find(host: string, path: string, request: GatewayRequest): CompiledMatch | undefined {
    const hosts = this.hosts;
    if (host.length !== 0) {
      const exact = hosts.exact.get(host)?.find(path, request);
      if (exact !== undefined) return exact;
      if (hosts.wildcards.size !== 0) {
        const lengths = hosts.wildcardLengths;
        for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
          if (!lengths.has(host.length - dot - 1)) continue;
          const match = hosts.wildcards.get(host.slice(dot + 1))?.find(path, request);
          if (match !== undefined) return match;
        }
      }
    }
    return hosts.any?.find(path, request);
  }
}

/**
 * Every listener on one port (of every served Gateway: they share the socket), indexed by
 * listener hostname. A request is served only by the listener its Host selects (the most
 * specific: exact, then the longest wildcard, then the one without hostname): listener isolation.
 */
export class GatewayPort {
  readonly listeners = new HostnameIndex<ListenerRoutes>();

  constructor(
    readonly port: number,
    /** HTTP or HTTPS: every listener on a port has the same protocol (others are conflicts). */
    readonly protocol: string,
  ) {}

  /** The listener a normalized Host selects, or undefined when none does (404). */
  select(host: string): ListenerRoutes | undefined {
    return this.listeners.first(host);
  }

  /** Listener selection, then that listener's routes. */
  find(host: string, path: string, request: GatewayRequest): CompiledMatch | undefined {
    return this.listeners.first(host)?.find(host, path, request);
  }
}
