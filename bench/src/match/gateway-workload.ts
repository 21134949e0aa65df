import { createHash } from 'node:crypto';
import { backendKey, type Gateway, type HTTPRoute, type HTTPRouteMatch, type HTTPRouteRule } from '@switchyard/core';
import { createRandom, deriveSeed, type Random } from './prng.js';
import { weighted } from './requests.js';
import type { TableSize } from './sizes.js';
import { AREAS, NAMESPACES, SERVICES } from './vocabulary.js';
import { DEFAULT_SEED, EPOCH, makePath, planHosts, shuffle, slug, spreadPaths, TWO_YEARS_S, type HostName } from './workload.js';

/** The Gateway API table: 1,000 HTTPRoute rules (`paths` counts rules here) on 100 hostnames. */
export const GATEWAY_TABLE: TableSize = { paths: 1_000, hosts: 100 };
/** The GatewayClass the one Gateway names and compile is told to serve. */
export const GATEWAY_CLASS = 'bench';
/** The port of the Gateway's one HTTP listener (`table.gatewayPort(GATEWAY_PORT)`). */
export const GATEWAY_PORT = 80;
export const GATEWAY_NAMESPACE = 'bench';
export const GATEWAY_NAME = 'bench';

/** Header matches as clusters write them: tenants, API versions, canaries, regions. */
export const HEADER_VALUES: Readonly<Record<string, readonly string[]>> = {
  'x-tenant': ['acme', 'globex', 'initech', 'umbrella', 'hooli'],
  'x-api-version': ['2023-10-01', '2024-06-01', 'v2', 'v3'],
  'x-canary': ['true', 'always'],
  'x-region': ['eu', 'us', 'ap'],
  'x-client': ['ios', 'android', 'web'],
  'x-feature': ['new-checkout', 'beta', 'dark-mode'],
};
const HEADER_NAMES = Object.keys(HEADER_VALUES);
/** Methods of method matches and of requests, most traffic GET. */
export const METHOD_MIX: ReadonlyArray<readonly [string, number]> = [
  ['GET', 0.45],
  ['POST', 0.3],
  ['PUT', 0.1],
  ['DELETE', 0.1],
  ['PATCH', 0.05],
];

/** Share of matches with header matches (one, sometimes two, `Exact`). */
const HEADER_SHARE = 0.4;
const SECOND_HEADER_SHARE = 0.3;
/** Share of matches with a method match. */
const METHOD_SHARE = 0.3;
/** Share of rules with a second match (another path, conditions of its own). */
const SECOND_MATCH_SHARE = 0.3;
/** Share of matches that repeat the path of an earlier match of their host with other conditions: precedence decides. */
const SHARED_PATH_SHARE = 0.2;
const PREFIX_SHARE = 0.6;
/** Rules per HTTPRoute, as teams cut them (the API allows 16). */
const MAX_RULES_PER_ROUTE = 8;
const BACKEND_PORT = 8080;

/** One `matches[k]` entry as generated. */
export interface GatewayMatchPlan {
  readonly pathType: 'Exact' | 'PathPrefix';
  readonly path: string;
  readonly method: string | undefined;
  /** `[name, value]`, names lowercase, at most one per name. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** One rule as placed in its HTTPRoute. */
export interface GatewayRulePlan {
  /** The route's hostname as written (`api-3.example.com`, `*.zone-2.example.net`). */
  readonly host: string;
  /** `namespace/name` of its HTTPRoute. */
  readonly route: string;
  /** Its index in `spec.rules`. */
  readonly index: number;
  readonly matches: readonly GatewayMatchPlan[];
  /** `backendKey` of its one backendRef (a Service of the route's namespace, named for the rule alone). */
  readonly backend: string;
}

/** A hostname of the workload and the rules written for it. */
export interface GatewayHostPlan extends HostName {
  readonly rules: GatewayRulePlan[];
}

export interface GatewayWorkload {
  readonly seed: number;
  readonly gateway: Gateway;
  readonly httpRoutes: HTTPRoute[];
  readonly hosts: readonly GatewayHostPlan[];
  readonly rules: number;
  readonly matches: number;
  /** Matches whose host, path type and path an earlier match of the host has too: precedence picks between them. */
  readonly sharedPathMatches: number;
  /** A hash of the Gateway and the HTTPRoutes, so a worker or a proxy target can prove it built the same. */
  readonly fingerprint: string;
}

/**
 * Builds the Gateway API table deterministically from the seed: one Gateway of class `bench`
 * (an HTTP listener on port 80, no hostname, routes from every namespace), and HTTPRoutes
 * with `GATEWAY_TABLE.paths` rules over `GATEWAY_TABLE.hosts` hostnames (a fifth of them
 * wildcards, some exact ones inside a wildcard's domain), rule counts falling off with the
 * host's rank as in the Ingress workload. Each rule has one or two matches: PathPrefix or
 * Exact paths of 1-4 elements, 40 % with header matches, 30 % with a method; a fifth repeat an
 * earlier path of the host with other conditions, so precedence (method, header count, age)
 * decides between them.
 */
export function generateGatewayWorkload(seed: number = DEFAULT_SEED): GatewayWorkload {
  const random = createRandom(deriveSeed(seed, `gateway-workload:${GATEWAY_TABLE.paths}:${GATEWAY_TABLE.hosts}`));
  const names = planHosts(GATEWAY_TABLE.hosts, random);
  const counts = spreadPaths(GATEWAY_TABLE.paths, names.length);
  let sharedPathMatches = 0;
  const drafts = names.map((host, rank) => {
    const draft = draftRules(counts[rank]!, random);
    sharedPathMatches += draft.shared;
    return { host, rules: draft.rules };
  });
  const gateway = makeGateway();
  const httpRoutes: HTTPRoute[] = [];
  const hosts: GatewayHostPlan[] = drafts.map(({ host, rules }) => {
    const placed: GatewayRulePlan[] = [];
    for (let start = 0; start < rules.length; ) {
      const take = random.between(1, MAX_RULES_PER_ROUTE);
      const namespace = random.pick(NAMESPACES);
      const name = `${slug(host.name)}-${httpRoutes.length}`;
      const chunk = rules.slice(start, start + take).map((matches, index): GatewayRulePlan => {
        const service = { name: `${random.pick(SERVICES)}-${placed.length + index}-${httpRoutes.length}`, port: BACKEND_PORT };
        return { host: host.name, route: `${namespace}/${name}`, index, matches, backend: backendKey({ namespace, service: { name: service.name, port: { number: service.port } } }) };
      });
      httpRoutes.push(makeRoute(namespace, name, host.name, chunk, random));
      placed.push(...chunk);
      start += take;
    }
    return { ...host, rules: placed };
  });
  // Shuffled as a cluster lists them; precedence must not lean on the order of the list.
  shuffle(httpRoutes, random);
  const fingerprint = createHash('sha256').update(JSON.stringify([gateway, httpRoutes])).digest('hex').slice(0, 16);
  const rules = hosts.reduce((sum, host) => sum + host.rules.length, 0);
  const matches = hosts.reduce((sum, host) => sum + host.rules.reduce((n, rule) => n + rule.matches.length, 0), 0);
  return { seed, gateway, httpRoutes, hosts, rules, matches, sharedPathMatches, fingerprint };
}

/** The matches of `count` rules of one host, and how many of them repeat an earlier path. */
function draftRules(count: number, random: Random): { rules: GatewayMatchPlan[][]; shared: number } {
  const mainArea = random.pick(AREAS);
  const written: GatewayMatchPlan[] = [];
  const taken = new Set<string>();
  const rules: GatewayMatchPlan[][] = [];
  let shared = 0;
  const conditionsKey = (match: GatewayMatchPlan) => `${match.pathType} ${match.path} ${match.method ?? ''} ${JSON.stringify(match.headers)}`;
  for (let r = 0; r < count; r++) {
    const matches: GatewayMatchPlan[] = [];
    const wanted = random.chance(SECOND_MATCH_SHARE) ? 2 : 1;
    for (let attempts = 0; matches.length < wanted; attempts++) {
      let match: GatewayMatchPlan;
      if (written.length > 0 && random.chance(SHARED_PATH_SHARE)) {
        const earlier = random.pick(written);
        match = { pathType: earlier.pathType, path: earlier.path, ...conditions(random, true) };
      } else {
        let path = makePath(mainArea, random);
        if (attempts > 20) path += `/section-${r}`;
        match = { pathType: random.chance(PREFIX_SHARE) ? 'PathPrefix' : 'Exact', path, ...conditions(random, false) };
      }
      // The same path and conditions twice would leave one unreachable: draw again.
      if (taken.has(conditionsKey(match))) continue;
      if (written.some((m) => m.pathType === match.pathType && m.path === match.path)) shared++;
      taken.add(conditionsKey(match));
      written.push(match);
      matches.push(match);
    }
    rules.push(matches);
  }
  return { rules, shared };
}

/** A method and header conditions; `someCondition`: at least one (a repeated path needs conditions to differ by). */
function conditions(random: Random, someCondition: boolean): Pick<GatewayMatchPlan, 'method' | 'headers'> {
  const method = random.chance(METHOD_SHARE) ? weighted(METHOD_MIX, random) : undefined;
  const headerCount = random.chance(HEADER_SHARE) || (someCondition && method === undefined) ? (random.chance(SECOND_HEADER_SHARE) ? 2 : 1) : 0;
  const names = shuffle([...HEADER_NAMES], random).slice(0, headerCount).sort();
  return { method, headers: names.map((name) => [name, random.pick(HEADER_VALUES[name]!)] as const) };
}

function makeGateway(): Gateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, creationTimestamp: '2023-01-01T00:00:00Z' },
    spec: { gatewayClassName: GATEWAY_CLASS, listeners: [{ name: 'http', port: GATEWAY_PORT, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
  };
}

function makeRoute(namespace: string, name: string, hostname: string, rules: readonly GatewayRulePlan[], random: Random): HTTPRoute {
  const created = new Date(EPOCH + random.int(TWO_YEARS_S) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace, creationTimestamp: created },
    spec: {
      parentRefs: [{ name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE }],
      hostnames: [hostname],
      rules: rules.map((rule): HTTPRouteRule => ({
        matches: rule.matches.map(
          (match): HTTPRouteMatch => ({
            path: { type: match.pathType, value: match.path },
            ...(match.headers.length > 0 ? { headers: match.headers.map(([headerName, value]) => ({ type: 'Exact', name: headerName, value })) } : {}),
            ...(match.method === undefined ? {} : { method: match.method }),
          }),
        ),
        backendRefs: [{ name: serviceOf(rule.backend), port: BACKEND_PORT }],
      })),
    },
  };
}

/** The Service name in a backend key `namespace/name:port`. */
function serviceOf(key: string): string {
  return key.slice(key.indexOf('/') + 1, key.lastIndexOf(':'));
}

