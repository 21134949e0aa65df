import { Resolver } from 'node:dns/promises';
import { DnsError } from './errors.js';

/** Which address records a name resolves to. */
export type AddressFamily = 'ipv4' | 'ipv6' | 'both';

/** Options of `createDnsDiscovery`; every one has a default (the `DEFAULT_*` constants). */
export interface DnsDiscoveryOptions {
  /**
   * DNS servers to ask, as `setServers` takes them (`'10.0.0.10'`, `'127.0.0.1:5353'`,
   * `'[::1]:53'`). Default: the system's servers (`/etc/resolv.conf`).
   */
  readonly servers?: readonly string[];
  /** The shortest refresh interval: record TTLs below it (TTL 0 included) are raised to it. */
  readonly minTtlMs?: number;
  /** The longest refresh interval: record TTLs above it are lowered to it. */
  readonly maxTtlMs?: number;
  /**
   * How long the last good answer is served (with `stale: true`) while the server fails or
   * times out, counted from that answer. After it the set is emptied. 0 serves nothing stale.
   */
  readonly staleForMs?: number;
  /** How long a negative answer (NXDOMAIN, NODATA) stands before the name is asked again. */
  readonly negativeTtlMs?: number;
  /** Timeout of the first try of a query; node:dns (c-ares) doubles it on each further try. */
  readonly timeoutMs?: number;
  /** Tries per query (per server) before it counts as timed out. */
  readonly tries?: number;
  /**
   * How many names nobody watches any more are kept with their last answer, so watching them
   * again starts from it (least recently used go first). Watched names are never evicted.
   */
  readonly maxNames?: number;
  /** Address records to ask for: A (`'ipv4'`), AAAA (`'ipv6'`) or both. */
  readonly family?: AddressFamily;
}

/** `DnsDiscoveryOptions` with every default filled in. */
export interface ResolvedDnsOptions {
  readonly servers: readonly string[] | undefined;
  readonly minTtlMs: number;
  readonly maxTtlMs: number;
  readonly staleForMs: number;
  readonly negativeTtlMs: number;
  readonly timeoutMs: number;
  readonly tries: number;
  readonly maxNames: number;
  readonly family: AddressFamily;
}

/** Default `minTtlMs`: at most one query per name every 5 s, whatever the TTL (Envoy's default refresh rate). */
export const DEFAULT_MIN_TTL_MS = 5_000;
/** Default `maxTtlMs`: a name is asked again at least every 5 minutes. */
export const DEFAULT_MAX_TTL_MS = 300_000;
/** Default `staleForMs`: the last good answer outlives a failing server by 5 minutes at most. */
export const DEFAULT_STALE_FOR_MS = 300_000;
/** Default `negativeTtlMs`: a missing name is asked again after 5 s. */
export const DEFAULT_NEGATIVE_TTL_MS = 5_000;
/** Default `timeoutMs` of the first try. */
export const DEFAULT_TIMEOUT_MS = 2_000;
/** Default `tries`: 2 tries take 2 s + 4 s at most. */
export const DEFAULT_TRIES = 2;
/** Default `maxNames` kept without a watcher. */
export const DEFAULT_MAX_NAMES = 1_000;
/** Default `family`: A records only, which every network can reach. */
export const DEFAULT_FAMILY: AddressFamily = 'ipv4';

/** The longest delay `setTimeout` takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6', 'both'];
const KNOWN = new Set(['servers', 'minTtlMs', 'maxTtlMs', 'staleForMs', 'negativeTtlMs', 'timeoutMs', 'tries', 'maxNames', 'family']);

/** Validates `options` once and fills in the defaults; throws `SWY_DNS_INVALID_OPTIONS` naming the field. */
export function resolveOptions(options: DnsDiscoveryOptions | undefined): ResolvedDnsOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options', 'options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw invalid(key, `unknown option ${JSON.stringify(key)}`);
  }
  const resolved: ResolvedDnsOptions = {
    servers: servers(options.servers),
    minTtlMs: integer(options, 'minTtlMs', DEFAULT_MIN_TTL_MS, 1),
    maxTtlMs: integer(options, 'maxTtlMs', DEFAULT_MAX_TTL_MS, 1),
    staleForMs: integer(options, 'staleForMs', DEFAULT_STALE_FOR_MS, 0),
    negativeTtlMs: integer(options, 'negativeTtlMs', DEFAULT_NEGATIVE_TTL_MS, 1),
    timeoutMs: integer(options, 'timeoutMs', DEFAULT_TIMEOUT_MS, 1),
    tries: integer(options, 'tries', DEFAULT_TRIES, 1, 100),
    maxNames: integer(options, 'maxNames', DEFAULT_MAX_NAMES, 0, Number.MAX_SAFE_INTEGER),
    family: family(options.family),
  };
  if (resolved.maxTtlMs < resolved.minTtlMs) {
    throw invalid('maxTtlMs', `maxTtlMs (${resolved.maxTtlMs}) must not be below minTtlMs (${resolved.minTtlMs})`);
  }
  return resolved;
}

function integer(options: DnsDiscoveryOptions, field: keyof DnsDiscoveryOptions, fallback: number, min: number, max = MAX_TIMER_MS): number {
  const value: unknown = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `${field} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function servers(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw invalid('servers', 'servers must be a non-empty array of addresses');
  const probe = new Resolver();
  value.forEach((server: unknown, index) => {
    const field = `servers[${index}]`;
    if (typeof server !== 'string' || server === '') throw invalid(field, `${field} must be an address string`);
    try {
      probe.setServers([server]);
    } catch (cause) {
      throw invalid(field, `${field} is not an IP address with an optional port: ${JSON.stringify(server)}`, cause);
    }
  });
  return Object.freeze([...(value as string[])]);
}

function family(value: unknown): AddressFamily {
  if (value === undefined) return DEFAULT_FAMILY;
  if (!FAMILIES.includes(value as AddressFamily)) throw invalid('family', `family must be one of ${FAMILIES.join(', ')}`);
  return value as AddressFamily;
}

function invalid(field: string, message: string, cause?: unknown): DnsError {
  return new DnsError('SWY_DNS_INVALID_OPTIONS', `createDnsDiscovery(): ${message}`, cause === undefined ? { field } : { field, cause });
}
