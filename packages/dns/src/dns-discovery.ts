import type { EndpointSet, ExternalNameResolver } from '@switchyard/core';
import { isIP } from 'node:net';
import { Resolver } from 'node:dns/promises';
import { LRUCache } from 'lru-cache';
import { DnsError } from './errors.js';
import { NameWatch, type CachedAnswer, type NameWatcher } from './name-watch.js';
import { resolveOptions, type DnsDiscoveryOptions, type ResolvedDnsOptions } from './options.js';

/** Options of one `watchName` call. */
export interface WatchNameOptions {
  /** The `backendKey` the pushed sets carry. Default: `hostname:port`. */
  readonly backendKey?: string;
}

/**
 * DNS discovery: watches host names and pushes their A/AAAA addresses as `EndpointSet`s.
 * It is the `ExternalNameResolver` core's `StaticDiscovery` (and the Kubernetes discovery)
 * take for Services of type ExternalName, and resolves plain hostnames in static config.
 */
export interface DnsDiscovery extends ExternalNameResolver {
  /**
   * Resolves `hostname` now and whenever its TTL runs out, and pushes the full endpoint set
   * (every address at `port`, ready and serving) to `onChange`: at once if the name's answer
   * is already known, then on every change. An IP literal (`10.0.0.1`, `::1`, `[::1]`) is
   * its own answer, without DNS. Returns the function that stops this watch; the name's
   * loop stops with its last watcher. Throws `SWY_DNS_INVALID_ARGUMENT` or `SWY_DNS_CLOSED`.
   */
  watchName(hostname: string, port: number, onChange: (set: EndpointSet) => void, options?: WatchNameOptions): () => void;
  /** Resolves once every name watched now has had its first answer (or failure) pushed. Never rejects. */
  ready(): Promise<void>;
  /** Stops every loop and timer, cancels queries in flight and forgets every answer. */
  close(): Promise<void>;
}

/** Creates a DNS discovery; `options` are validated here (`SWY_DNS_INVALID_OPTIONS`). */
export function createDnsDiscovery(options?: DnsDiscoveryOptions): DnsDiscovery {
  return new Discovery(resolveOptions(options));
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const MAX_NAME_LENGTH = 253;

class Discovery implements DnsDiscovery {
  private readonly resolver: Resolver;
  /** The names someone watches, each with its loop. */
  private readonly watches = new Map<string, NameWatch>();
  /** Answers of names nobody watches any more, bounded by `maxNames`. */
  private readonly idle: LRUCache<string, CachedAnswer> | undefined;
  private closed = false;

  constructor(private readonly options: ResolvedDnsOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
    if (options.servers !== undefined) this.resolver.setServers(options.servers);
    this.idle = options.maxNames > 0 ? new LRUCache({ max: options.maxNames }) : undefined;
  }

  watchName(hostname: string, port: number, onChange: (set: EndpointSet) => void, options: WatchNameOptions = {}): () => void {
    if (this.closed) throw new DnsError('SWY_DNS_CLOSED', `watchName(${JSON.stringify(hostname)}) after close()`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw argument('port', `port must be an integer from 1 to 65535, got ${String(port)}`);
    if (typeof onChange !== 'function') throw argument('onChange', 'onChange must be a function');
    if (typeof options !== 'object' || options === null) throw argument('options', 'options must be an object');
    if (options.backendKey !== undefined && (typeof options.backendKey !== 'string' || options.backendKey === '')) {
      throw argument('backendKey', 'backendKey must be a non-empty string');
    }
    const name = normalizeName(hostname);
    const backendKey = options.backendKey ?? `${hostname}:${port}`;

    const literal = ipLiteral(name);
    if (literal !== undefined) {
      onChange(
        Object.freeze({
          backendKey,
          version: 1,
          endpoints: Object.freeze([Object.freeze({ address: literal, port, ready: true, serving: true, terminating: false })]),
          stale: false,
        }),
      );
      return () => {};
    }

    let watch = this.watches.get(name);
    if (watch === undefined) {
      const cached = this.idle?.get(name);
      this.idle?.delete(name);
      watch = new NameWatch(name, this.resolver, this.options, reportWatcherError, cached);
      this.watches.set(name, watch);
    }
    const watcher: NameWatcher = { port, backendKey, onChange };
    watch.add(watcher);
    const owner = watch;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      owner.watchers.delete(watcher);
      if (owner.watchers.size > 0 || this.watches.get(name) !== owner) return;
      owner.stop();
      this.watches.delete(name);
      const answer = owner.cachedAnswer();
      if (answer !== undefined && !this.closed) this.idle?.set(name, answer);
    };
  }

  async ready(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => watch.settled));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
    this.idle?.clear();
    this.resolver.cancel();
  }
}

/** Lowercases, strips brackets of an IPv6 literal and one trailing dot; throws on a malformed name. */
function normalizeName(hostname: unknown): string {
  if (typeof hostname !== 'string') throw argument('hostname', 'hostname must be a string');
  const bracketed = /^\[(.*)\]$/.exec(hostname);
  if (bracketed !== null && isIP(bracketed[1] ?? '') === 6) return bracketed[1] as string;
  if (isIP(hostname) !== 0) return hostname;
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !name.split('.').every((label) => LABEL.test(label))) {
    throw argument('hostname', `hostname is not a DNS name or IP address: ${JSON.stringify(hostname)}`);
  }
  return name;
}

function ipLiteral(name: string): string | undefined {
  return isIP(name) === 0 ? undefined : name;
}

function argument(field: string, message: string): DnsError {
  return new DnsError('SWY_DNS_INVALID_ARGUMENT', `watchName(): ${message}`, { field });
}

function reportWatcherError(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : new Error(String(error)));
}
