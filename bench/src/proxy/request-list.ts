import { sizeByPaths } from '../match/sizes.js';
import { createOracle } from '../match/oracle.js';
import { sampleRequests } from '../match/requests.js';
import { generateWorkload } from '../match/workload.js';
import { ProxyBenchError } from './errors.js';
import { SINGLE_HOST, type TableSpec } from './route-tables.js';

/** One request the load generator sends: a Host header and a path (already in normal form). */
export interface HostPath {
  readonly host: string;
  readonly path: string;
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
  const size = sizeByPaths(spec.paths);
  if (size === undefined) throw new ProxyBenchError('SWY_BENCH_BAD_OPTION', `no generated table has ${spec.paths} paths`, { field: 'paths' });
  const workload = generateWorkload(size, spec.seed);
  const { hits } = sampleRequests(workload, createOracle(workload.ingresses), count);
  const requests = hits.map(({ host, path }) => ({ host, path }));
  return { requests, hosts: new Set(requests.map((r) => r.host)).size, fingerprint: workload.fingerprint };
}

/**
 * Up to `max` distinct requests spread evenly over the list (first and last included), for
 * the correctness check: checking every request of a 2,048 list through every target would
 * cost more than it finds.
 */
export function checkSample(requests: readonly HostPath[], max: number): HostPath[] {
  const distinct = [...new Map(requests.map((r) => [`${r.host} ${r.path}`, r])).values()];
  if (distinct.length <= max) return distinct;
  const step = (distinct.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => distinct[Math.round(i * step)]!);
}

/**
 * The list as one load connection walks it: rotated so the 50 connections start at 50
 * different places instead of all asking for the same host and path at the same moment.
 */
export function rotatedFor<T>(requests: readonly T[], connection: number, connections: number): T[] {
  if (requests.length <= 1) return [...requests];
  const offset = Math.floor((connection * requests.length) / Math.max(1, connections)) % requests.length;
  return [...requests.slice(offset), ...requests.slice(0, offset)];
}
