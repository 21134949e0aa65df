import type { GatewayRequest } from '@switchyard/core';
import type { GatewayOracleAnswer, GatewayOracleRequest } from './gateway-oracle.js';
import { HEADER_VALUES, METHOD_MIX, type GatewayHostPlan, type GatewayMatchPlan, type GatewayRulePlan, type GatewayWorkload } from './gateway-workload.js';
import { createRandom, deriveSeed, type Random } from './prng.js';
import { weighted, type BenchRequest, type GatewayHitCategory, type GatewayMissCategory, type RequestSample } from './requests.js';
import { SERVICES, TRAILING_ELEMENTS, UNKNOWN_ELEMENTS } from './vocabulary.js';

const MISS_MIX: ReadonlyArray<readonly [GatewayMissCategory, number]> = [
  ['unknown-host', 0.3],
  ['unknown-path', 0.3],
  ['wrong-header', 0.25],
  ['wrong-method', 0.15],
];
/** Headers every request carries besides the ones a match tests, as clients send them. */
const BASE_HEADERS: Readonly<Record<string, string>> = { 'user-agent': 'bench-client/1.0', accept: '*/*' };
/** Share of requests with a header no rule tests (a request id), so the conditions meet other headers too. */
const EXTRA_HEADER_SHARE = 0.3;

/**
 * Draws `count` hits and `count` misses for the Gateway API workload, deterministically. A hit
 * is aimed at one match of one rule, with the method and headers that select it: the match's
 * own, or for a match without a method a method drawn from the mix; the draw is kept only when
 * the reference answers with that very match, so every hit is a request whose conditions pick
 * its rule (also where another match shares the path). Misses: unknown hosts, unknown paths,
 * a match's path with a header value it does not accept, a method match's path with another
 * method; a draw that some other match takes after all is dropped.
 */
export function sampleGatewayRequests(workload: GatewayWorkload, oracle: (request: GatewayOracleRequest) => GatewayOracleAnswer, count: number): RequestSample {
  const random = createRandom(deriveSeed(workload.seed, `gateway-requests:${count}`));
  const rules = workload.hosts.flatMap((host) => host.rules.map((rule) => ({ host, rule })));
  const withHeaders = rules.flatMap(({ host, rule }) => rule.matches.filter((m) => m.headers.length > 0).map((match) => ({ host, match })));
  const withMethod = rules.flatMap(({ host, rule }) => rule.matches.filter((m) => m.method !== undefined).map((match) => ({ host, match })));
  const hits: BenchRequest[] = [];
  const misses: BenchRequest[] = [];
  const limit = count * 100;
  for (let draws = 0; hits.length < count || misses.length < count; draws++) {
    if (draws > limit) throw new Error(`sampleGatewayRequests: could not draw ${count} hits and misses (got ${hits.length} and ${misses.length})`);
    const wantHit = hits.length < count && (misses.length >= count || draws % 2 === 0);
    let drawn: { request: GatewayOracleRequest; category: BenchRequest['category']; target?: { rule: GatewayRulePlan; match: number } };
    if (wantHit) {
      const { host, rule } = random.pick(rules);
      const index = random.int(rule.matches.length);
      const match = rule.matches[index]!;
      drawn = { request: hitFor(host, match, random), category: hitCategory(match), target: { rule, match: index } };
    } else {
      const category = weighted(MISS_MIX, random);
      drawn = { request: missFor(category, workload.hosts, withHeaders, withMethod, random), category };
    }
    const answer = oracle(drawn.request);
    if (wantHit ? answer.key !== `${drawn.target!.rule.route} rule ${drawn.target!.rule.index} match ${drawn.target!.match}` : answer.key !== '') continue;
    const { host, path, method, headers } = drawn.request;
    (wantHit ? hits : misses).push({ host, path, method, headers, category: drawn.category, expected: answer.key, routerKey: host });
  }
  return { hits, misses };
}

/** The request's conditions as `GatewayPort.find` reads them (a Node request's `headers` object, no query). */
export function gatewayRequestOf(request: Pick<BenchRequest, 'host' | 'method' | 'headers'>): GatewayRequest {
  return { method: request.method ?? 'GET', headers: { host: request.host, ...request.headers }, query: '' };
}

function hitCategory(match: GatewayMatchPlan): GatewayHitCategory {
  if (match.headers.length > 0) return match.method === undefined ? 'header' : 'header-and-method';
  return match.method === undefined ? 'path-only' : 'method';
}

function hitFor(host: GatewayHostPlan, match: GatewayMatchPlan, random: Random): GatewayOracleRequest {
  return {
    host: requestHost(host, random),
    path: requestPath(match, random),
    method: match.method ?? weighted(METHOD_MIX, random),
    headers: headersWith(match.headers, random),
  };
}

function missFor(
  category: GatewayMissCategory,
  hosts: readonly GatewayHostPlan[],
  withHeaders: ReadonlyArray<{ host: GatewayHostPlan; match: GatewayMatchPlan }>,
  withMethod: ReadonlyArray<{ host: GatewayHostPlan; match: GatewayMatchPlan }>,
  random: Random,
): GatewayOracleRequest {
  switch (category) {
    case 'unknown-host': {
      const match = random.pick(random.pick(hosts).rules).matches[0]!;
      return { host: `${random.pick(SERVICES)}-${random.int(100_000)}.unknown-${random.int(50)}.example.com`, path: match.path, method: match.method ?? 'GET', headers: headersWith(match.headers, random) };
    }
    case 'unknown-path': {
      const host = random.pick(hosts);
      const match = random.pick(host.rules).matches[0]!;
      const path = random.chance(0.5) ? `/${random.pick(UNKNOWN_ELEMENTS)}/${random.pick(TRAILING_ELEMENTS)}` : `${match.path}x`;
      return { host: requestHost(host, random), path, method: match.method ?? 'GET', headers: headersWith(match.headers, random) };
    }
    case 'wrong-header': {
      // The match's path and method, one of its headers with a value it does not accept.
      const { host, match } = random.pick(withHeaders);
      const [name, value] = random.pick(match.headers);
      const wrong = random.pick(HEADER_VALUES[name]!.filter((v) => v !== value));
      return { host: requestHost(host, random), path: requestPath(match, random), method: match.method ?? 'GET', headers: headersWith(match.headers.map(([n, v]) => [n, n === name ? wrong : v] as const), random) };
    }
    case 'wrong-method': {
      const { host, match } = random.pick(withMethod);
      const method = random.pick(METHOD_MIX.map(([m]) => m).filter((m) => m !== match.method));
      return { host: requestHost(host, random), path: requestPath(match, random), method, headers: headersWith(match.headers, random) };
    }
  }
}

/** The host itself, or for a wildcard a tenant under its domain (sometimes two labels deep: Gateway API wildcards take one or more). */
function requestHost(host: GatewayHostPlan, random: Random): string {
  if (!host.wildcard) return host.name;
  const tenant = `tenant-${random.int(100_000)}`;
  return random.chance(0.1) ? `eu.${tenant}.${host.zone}` : `${tenant}.${host.zone}`;
}

/** Exact: the path; PathPrefix: the prefix itself, with a trailing slash, or one or two elements deeper. */
function requestPath(match: GatewayMatchPlan, random: Random): string {
  if (match.pathType === 'Exact') return match.path;
  const roll = random.next();
  if (roll < 0.4) return match.path;
  if (roll < 0.5) return `${match.path}/`;
  const extra = random.chance(0.5) ? String(random.int(1_000_000)) : random.pick(TRAILING_ELEMENTS);
  return random.chance(0.3) ? `${match.path}/${extra}/${random.pick(TRAILING_ELEMENTS)}` : `${match.path}/${extra}`;
}

function headersWith(matched: ReadonlyArray<readonly [string, string]>, random: Random): Record<string, string> {
  const headers: Record<string, string> = { ...BASE_HEADERS };
  for (const [name, value] of matched) headers[name] = value;
  if (random.chance(EXTRA_HEADER_SHARE)) headers['x-request-id'] = random.int(2 ** 31).toString(16);
  return headers;
}
