import { normalizeHost, normalizePath } from '@switchyard/core';
import type { AnswerKey } from './answer-key.js';
import type { OracleAnswer } from './oracle.js';
import { createRandom, deriveSeed, type Random } from './prng.js';
import { SERVICES, TRAILING_ELEMENTS, UNKNOWN_ELEMENTS } from './vocabulary.js';
import type { HostPlan, PathEntry, Workload } from './workload.js';

/** What a request was drawn to exercise. */
export type HitCategory = 'exact-host' | 'prefix-deeper' | 'wildcard-host' | 'fall-through';
export type MissCategory = 'unknown-host' | 'unknown-path';
/** Gateway API requests (`gateway-requests.ts`): hits by what the answering match tests besides the path. */
export type GatewayHitCategory = 'path-only' | 'header' | 'method' | 'header-and-method';
export type GatewayMissCategory = 'unknown-host' | 'unknown-path' | 'wrong-header' | 'wrong-method';
export type RequestCategory = HitCategory | MissCategory | GatewayHitCategory | GatewayMissCategory;

/** One request of the sample, with the answer the reference matcher gave for it. */
export interface BenchRequest {
  /** Host and path as a client sends them (already in normal form, as most traffic is). */
  readonly host: string;
  readonly path: string;
  readonly category: RequestCategory;
  readonly expected: AnswerKey;
  /**
   * The rule host whose rules answer (`*.zone-2.example.net` for a wildcard hit), or the
   * request's host for a miss: raw find-my-way has no host tiers, so it is handed the
   * router to ask instead of working it out.
   */
  readonly routerKey: string;
  /** Gateway API requests only: the method, and the headers by lowercase name (Node's `IncomingMessage.headers`). */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestSample {
  /** Requests some rule answers. */
  readonly hits: readonly BenchRequest[];
  /** Requests no rule answers (the workload has no default backend): `match` returns undefined. */
  readonly misses: readonly BenchRequest[];
}

export const DEFAULT_SAMPLE_SIZE = 2_048;

const HIT_MIX: ReadonlyArray<readonly [HitCategory, number]> = [
  ['exact-host', 0.45],
  ['prefix-deeper', 0.2],
  ['wildcard-host', 0.25],
  ['fall-through', 0.1],
];
const MISS_MIX: ReadonlyArray<readonly [MissCategory, number]> = [
  ['unknown-host', 0.5],
  ['unknown-path', 0.5],
];

/**
 * Draws `count` hits and `count` misses for a workload, deterministically. Each draw aims at
 * a category; the oracle (the reference matcher) then says what it really is, and a draw
 * that lands on the other side (a "miss" caught by a shorter Prefix, a "hit" on an Exact
 * rule with a trailing slash) is dropped, so the hits and the misses are exactly that.
 */
export function sampleRequests(workload: Workload, oracle: (host: string, path: string) => OracleAnswer, count = DEFAULT_SAMPLE_SIZE): RequestSample {
  const random = createRandom(deriveSeed(workload.seed, `requests:${workload.size.paths}:${count}`));
  const pools = makePools(workload.hosts);
  const hitMix = HIT_MIX.filter(([category]) => canDraw(category, pools));
  const missMix = MISS_MIX.filter(([category]) => category !== 'unknown-path' || pools.missableHosts.length > 0);
  const hits: BenchRequest[] = [];
  const misses: BenchRequest[] = [];
  const limit = count * 50;
  for (let draws = 0; hits.length < count || misses.length < count; draws++) {
    if (draws > limit) throw new Error(`sampleRequests: could not draw ${count} hits and misses (got ${hits.length} and ${misses.length})`);
    const wantHit = hits.length < count && (misses.length >= count || draws % 2 === 0);
    const category = wantHit ? weighted(hitMix, random) : weighted(missMix, random);
    const { host, path } = draw(category, pools, random);
    const answer = oracle(host, path);
    const isHit = answer.key !== '';
    if (isHit !== wantHit) continue;
    const request = { host, path, category, expected: answer.key, routerKey: isHit ? answer.ruleHost : host };
    (isHit ? hits : misses).push(request);
  }
  return { hits, misses };
}

/** How many requests of each category a sample holds, for the report. */
export function composition(requests: readonly BenchRequest[]): Partial<Record<RequestCategory, number>> {
  const counts: Partial<Record<RequestCategory, number>> = {};
  for (const request of requests) counts[request.category] = (counts[request.category] ?? 0) + 1;
  return counts;
}

interface Pools {
  /** Every rule of an exact host, so busy hosts are drawn as often as they have rules. */
  readonly exactEntries: readonly PathEntry[];
  readonly exactPrefixEntries: readonly PathEntry[];
  readonly wildcardEntries: readonly PathEntry[];
  readonly zonedExactHosts: readonly HostPlan[];
  readonly wildcardByName: ReadonlyMap<string, HostPlan>;
  readonly wildcardByZone: ReadonlyMap<string, HostPlan>;
  /** Hosts without a Prefix `/`, where an unknown path can miss. */
  readonly missableHosts: readonly HostPlan[];
  readonly allEntries: readonly PathEntry[];
}

function makePools(hosts: readonly HostPlan[]): Pools {
  const exact = hosts.filter((host) => !host.wildcard);
  const wildcards = hosts.filter((host) => host.wildcard);
  const exactEntries = exact.flatMap((host) => host.entries);
  return {
    exactEntries,
    exactPrefixEntries: exactEntries.filter((entry) => entry.pathType !== 'Exact'),
    wildcardEntries: wildcards.flatMap((host) => host.entries),
    zonedExactHosts: exact.filter((host) => host.zone !== undefined),
    wildcardByName: new Map(wildcards.map((host) => [host.name, host])),
    wildcardByZone: new Map(wildcards.map((host) => [host.zone!, host])),
    missableHosts: hosts.filter((host) => !host.hasRoot),
    allEntries: hosts.flatMap((host) => host.entries),
  };
}

function canDraw(category: HitCategory, pools: Pools): boolean {
  switch (category) {
    case 'exact-host':
      return pools.exactEntries.length > 0;
    case 'prefix-deeper':
      return pools.exactPrefixEntries.length > 0;
    case 'wildcard-host':
      return pools.wildcardEntries.length > 0;
    case 'fall-through':
      return pools.zonedExactHosts.length > 0;
  }
}

function draw(category: HitCategory | MissCategory, pools: Pools, random: Random): { host: string; path: string } {
  switch (category) {
    case 'exact-host': {
      const entry = random.pick(pools.exactEntries);
      return { host: entry.host, path: requestPathFor(entry, random, 0) };
    }
    case 'prefix-deeper': {
      const entry = random.pick(pools.exactPrefixEntries);
      return { host: entry.host, path: deeper(entry.path, random) };
    }
    case 'wildcard-host': {
      const entry = random.pick(pools.wildcardEntries);
      const zone = pools.wildcardByName.get(entry.host)!.zone!;
      return { host: `${tenantLabel(random)}.${zone}`, path: requestPathFor(entry, random, 0.5) };
    }
    case 'fall-through': {
      // An exact host inside a wildcard's domain, asked for a path of the wildcard.
      const host = random.pick(pools.zonedExactHosts);
      const wildcard = pools.wildcardByZone.get(host.zone!)!;
      return { host: host.name, path: requestPathFor(random.pick(wildcard.entries), random, 0.5) };
    }
    case 'unknown-host':
      return { host: unknownHost(pools, random), path: random.pick(pools.allEntries).path };
    case 'unknown-path': {
      const host = random.pick(pools.missableHosts);
      const requestHost = host.wildcard ? `${tenantLabel(random)}.${host.zone}` : host.name;
      return { host: requestHost, path: unknownPath(host, random) };
    }
  }
}

/** The rule's own path, sometimes with the trailing slash flipped (Prefix), sometimes deeper. */
function requestPathFor(entry: PathEntry, random: Random, deeperShare: number): string {
  if (entry.pathType === 'Exact') return entry.path;
  if (random.chance(deeperShare)) return deeper(entry.path, random);
  if (entry.path !== '/' && random.chance(0.15)) return entry.path.endsWith('/') ? entry.path.slice(0, -1) : `${entry.path}/`;
  return entry.path;
}

/** The path plus one or two elements, as a Prefix rule's traffic mostly looks. */
function deeper(path: string, random: Random): string {
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  const extra = random.chance(0.5) ? String(random.int(1_000_000)) : random.pick(TRAILING_ELEMENTS);
  return random.chance(0.3) ? `${base}/${extra}/${random.pick(TRAILING_ELEMENTS)}` : `${base}/${extra}`;
}

function tenantLabel(random: Random): string {
  return `tenant-${random.int(100_000)}`;
}

function unknownHost(pools: Pools, random: Random): string {
  const zones = [...pools.wildcardByZone.keys()];
  const roll = random.next();
  // Two labels under a wildcard's domain, or the domain itself: `*.` covers neither.
  if (zones.length > 0 && roll < 0.2) return `${tenantLabel(random)}.eu.${random.pick(zones)}`;
  if (zones.length > 0 && roll < 0.3) return random.pick(zones);
  return `${random.pick(SERVICES)}-${random.int(100_000)}.unknown-${random.int(50)}.example.com`;
}

function unknownPath(host: HostPlan, random: Random): string {
  const entry = random.pick(host.entries);
  const roll = random.next();
  // An element no rule has, at the top or below a known one.
  if (roll < 0.4) return `/${random.pick(UNKNOWN_ELEMENTS)}/${random.pick(TRAILING_ELEMENTS)}`;
  if (roll < 0.6) return `${entry.path.replace(/\/$/, '')}x`; // `/aaa/bbbxyz` is no match for Prefix `/aaa/bbb`
  if (roll < 0.8 && entry.pathType === 'Exact') return `${entry.path}/${random.pick(TRAILING_ELEMENTS)}`; // Exact stops at its path
  return `/${random.pick(UNKNOWN_ELEMENTS)}${entry.path.replace(/\/$/, '')}`;
}

/** One item of a weighted mix. */
export function weighted<T>(mix: ReadonlyArray<readonly [T, number]>, random: Random): T {
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [item, weight] of mix) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return mix[mix.length - 1]![0];
}

/**
 * Every sampled request must already be in normal form: `lookup` is timed on the request as
 * it is (an adapter normalizes once, before), and the workers take no normalizer of their own.
 */
export function assertNormalForm(requests: readonly BenchRequest[]): void {
  for (const { host, path } of requests) {
    if (normalizeHost(host) !== host || normalizePath(path) !== path) throw new Error(`the sample holds a request not in normal form: ${JSON.stringify(host)} ${JSON.stringify(path)}`);
  }
}
