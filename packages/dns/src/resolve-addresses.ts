import type { Resolver } from 'node:dns/promises';
import type { AddressFamily } from './options.js';

/**
 * One lookup of a name's addresses through a `node:dns` `Resolver`, turned into an outcome
 * the resolution loop acts on. Never rejects.
 */

/** What one lookup found. */
export type LookupOutcome =
  /** Addresses (sorted, deduplicated) and the smallest TTL along the answer, in seconds. */
  | { readonly kind: 'answer'; readonly addresses: readonly string[]; readonly ttlSeconds: number }
  /** A negative answer: NXDOMAIN or NODATA (`reason` is node's code, ENOTFOUND or ENODATA). */
  | { readonly kind: 'not-found'; readonly reason: string }
  /** The server failed or did not answer (`reason` is node's code, such as ESERVFAIL). */
  | { readonly kind: 'failed'; readonly code: 'SWY_DNS_TIMEOUT' | 'SWY_DNS_SERVER_FAILED'; readonly reason: string }
  /** The resolver was cancelled (the discovery is closing). */
  | { readonly kind: 'cancelled' };

/** How many CNAMEs we follow ourselves when a server sends one without its target's records. */
export const MAX_CNAME_HOPS = 8;

const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);
const CANCELLED = new Set(['ECANCELLED', 'EDESTRUCTION']);

/** Resolves `hostname` to the addresses of `family`. */
export async function resolveAddresses(resolver: Resolver, hostname: string, family: AddressFamily): Promise<LookupOutcome> {
  if (family !== 'both') return lookup(resolver, hostname, family);
  const [v4, v6] = await Promise.all([lookup(resolver, hostname, 'ipv4'), lookup(resolver, hostname, 'ipv6')]);
  return combine(v4, v6);
}

/**
 * Both families at once: the addresses of whichever answered, so a name with only A records
 * still resolves. With no address at all, a failure wins over a negative answer (it says less
 * about the name); a cancel wins over both.
 */
function combine(v4: LookupOutcome, v6: LookupOutcome): LookupOutcome {
  if (v4.kind === 'cancelled' || v6.kind === 'cancelled') return { kind: 'cancelled' };
  if (v4.kind === 'answer' && v6.kind === 'answer') {
    return { kind: 'answer', addresses: [...v4.addresses, ...v6.addresses].sort(compareAddresses), ttlSeconds: Math.min(v4.ttlSeconds, v6.ttlSeconds) };
  }
  if (v4.kind === 'answer') return v4;
  if (v6.kind === 'answer') return v6;
  if (v4.kind === 'failed') return v4;
  return v6;
}

async function lookup(resolver: Resolver, hostname: string, family: 'ipv4' | 'ipv6'): Promise<LookupOutcome> {
  let name = hostname;
  try {
    for (let hop = 0; ; hop++) {
      const records = family === 'ipv4' ? await resolver.resolve4(name, { ttl: true }) : await resolver.resolve6(name, { ttl: true });
      if (records.length > 0) {
        const addresses = [...new Set(records.map((r) => r.address))].sort(compareAddresses);
        return { kind: 'answer', addresses, ttlSeconds: Math.min(...records.map((r) => r.ttl)) };
      }
      // c-ares follows a CNAME chain that is in the answer (a recursive server sends it whole)
      // but not one that stops at a CNAME: it then returns no records and no error. Follow
      // that CNAME ourselves. Its TTL is not known (resolveCname has no `ttl`), so the target's
      // TTL counts; the refresh clamps it anyway.
      if (hop >= MAX_CNAME_HOPS) return { kind: 'not-found', reason: 'ENODATA' };
      const [target] = await resolver.resolveCname(name);
      if (target === undefined) return { kind: 'not-found', reason: 'ENODATA' };
      name = target;
    }
  } catch (error) {
    return classify(error);
  }
}

function classify(error: unknown): LookupOutcome {
  const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'EUNKNOWN';
  if (NEGATIVE.has(code)) return { kind: 'not-found', reason: code };
  if (CANCELLED.has(code)) return { kind: 'cancelled' };
  if (code === 'ETIMEOUT') return { kind: 'failed', code: 'SWY_DNS_TIMEOUT', reason: code };
  return { kind: 'failed', code: 'SWY_DNS_SERVER_FAILED', reason: code };
}

/** Orders addresses by code unit: stable, and IPv4 before IPv6 in practice. */
export function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
