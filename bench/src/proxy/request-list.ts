import { createGatewayOracle } from '../match/gateway-oracle.js';
import { sampleGatewayRequests } from '../match/gateway-requests.js';
import { generateGatewayWorkload } from '../match/gateway-workload.js';
import { createOracle } from '../match/oracle.js';
import { sampleRequests } from '../match/requests.js';
import { SINGLE_HOST, workloadFor, type TableSpec } from './route-tables.js';

/** One request the load generator sends: a Host header and a path (already in normal form); GET unless it says otherwise. */
export interface HostPath {
  readonly host: string;
  readonly path: string;
  /** Gateway API requests: the method and the headers (lowercase names) that select their rule. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Gateway API requests: the backend (`backendKey`) of the rule the reference matcher says takes it. */
  readonly backend?: string;
}

/** The requests a target is loaded with, cycled through. */
export interface RequestList {
  readonly requests: readonly HostPath[];
  /** Distinct Host headers among them. */
  readonly hosts: number;
  /** For generated tables: the workload's fingerprint, which the Switchyard target must report too. */
  readonly fingerprint: string | undefined;
}

/** The path single-route targets are asked for. */
export const SINGLE_PATH = '/';

/** The one request of every single-route target. */
export function singleRouteList(path: string = SINGLE_PATH): RequestList {
  return { requests: [{ host: SINGLE_HOST, path }], hosts: 1, fingerprint: undefined };
}

/**
 * The requests for a table: for the single route, `bench.test /`; for a generated table,
 * `count` hits drawn by the match benchmark's sampler (exact hosts, wildcard tenants, hosts
 * that fall through to a wildcard, Prefix paths one or two elements deeper), each one checked
 * against the reference matcher, so every request routes, and to the one upstream.
 */
export function requestListFor(spec: TableSpec, count: number): RequestList {
  if (spec.kind === 'single') return singleRouteList();
  if (spec.kind === 'gateway') return gatewayRequestList(spec.seed, count);
  const workload = workloadFor(spec);
  const { hits } = sampleRequests(workload, createOracle(workload.ingresses), count);
  const requests = hits.map(({ host, path }) => ({ host, path }));
  return { requests, hosts: new Set(requests.map((r) => r.host)).size, fingerprint: workload.fingerprint };
}

/**
 * The Gateway API table's load: `count` hits drawn by the match benchmark's Gateway API sampler
 * (every method, header and path variety it draws, each answered by the rule it was aimed at
 * according to the reference matcher), with the backend of that rule for the check.
 */
export function gatewayRequestList(seed: number, count: number): RequestList {
  const workload = generateGatewayWorkload(seed);
  const backends = new Map<string, string>(workload.hosts.flatMap((host) => host.rules.map((rule) => [`${rule.route} rule ${rule.index}`, rule.backend] as const)));
  const { hits } = sampleGatewayRequests(workload, createGatewayOracle(workload), count);
  const requests = hits.map(({ host, path, method, headers, expected }): HostPath => {
    const backend = backends.get(expected.slice(0, expected.lastIndexOf(' match ')));
    if (backend === undefined) throw new Error(`no rule for the reference answer ${expected}`);
    return { host, path, method: method ?? 'GET', headers: headers ?? {}, backend };
  });
  return { requests, hosts: new Set(requests.map((r) => r.host)).size, fingerprint: workload.fingerprint };
}

/**
 * The Ingress table's requests (Host and path, as `requestListFor` draws them) with the method
 * and headers of the Gateway API load's request in the same place: the requests' content of
 * the Gateway API target on the Ingress table, whose routing reads neither. What the two
 * targets then differ in is how they route, which is what the Gateway API target is about.
 */
export function withGatewayLoad(list: RequestList, seed: number): RequestList {
  const gateway = gatewayRequestList(seed, list.requests.length).requests;
  const requests = list.requests.map(({ host, path }, i): HostPath => {
    const { method, headers } = gateway[i % gateway.length]!;
    return { host, path, ...(method === undefined ? {} : { method }), ...(headers === undefined ? {} : { headers }) };
  });
  return { ...list, requests };
}

/**
 * Up to `max` distinct requests spread evenly over the list (first and last included), for
 * the correctness check: checking every request of a 2,048 list through every target would
 * cost more than it finds.
 */
export function checkSample(requests: readonly HostPath[], max: number): HostPath[] {
  const distinct = [...new Map(requests.map((r) => [`${r.method ?? 'GET'} ${r.host} ${r.path} ${JSON.stringify(r.headers ?? {})}`, r])).values()];
  if (distinct.length <= max) return distinct;
  const step = (distinct.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => distinct[Math.round(i * step)]!);
}

/**
 * The part of the list one load connection cycles through: connection i of c gets the i-th
 * of c consecutive slices of ceil(n / c) requests (wrapping at the end), so together the
 * connections ask for every request of the list, and about equally often, while each one
 * holds only its slice: autocannon builds and deep-copies every request of every
 * connection's list up front, which for 50 copies of a 2,048 list costs the load core
 * seconds and puts its own stalls in the latencies.
 */
export function requestsForConnection<T>(requests: readonly T[], connection: number, connections: number): T[] {
  const n = requests.length;
  if (n <= 1) return [...requests];
  const size = Math.ceil(n / Math.max(1, connections));
  const start = (connection * size) % n;
  return Array.from({ length: Math.min(size, n) }, (_, i) => requests[(start + i) % n]!);
}
