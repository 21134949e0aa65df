import { createHash } from 'node:crypto';
import { backendKey, type EndpointInput, type Ingress, type RouteTable } from '@switchyard/core';
import { sizeByPaths } from '../match/sizes.js';
import { generateWorkload, type Workload } from '../match/workload.js';
import { BenchError } from '../common/errors.js';

/** The Host every single-route target is asked for. */
export const SINGLE_HOST = 'bench.test';

/**
 * What Switchyard routes: one Ingress with a Prefix `/` on `bench.test`, or the match
 * benchmark's generated workload (`paths` rules over many exact and wildcard hosts, made
 * from the seed), whose every backend is pointed at the one upstream.
 */
export type TableSpec =
  | { readonly kind: 'single' }
  | { readonly kind: 'generated'; readonly paths: number; readonly seed: number }
  /** The match benchmark's Gateway API table (one Gateway, 1,000 HTTPRoute rules), served on the listener port `GATEWAY_PORT`. */
  | { readonly kind: 'gateway'; readonly seed: number };

/** The Ingresses of a table spec, and a hash the orchestrator and a target compare to prove they built the same. */
export interface SpecIngresses {
  readonly ingresses: Ingress[];
  readonly fingerprint: string;
}

export function ingressesFor(spec: Exclude<TableSpec, { kind: 'gateway' }>): SpecIngresses {
  if (spec.kind === 'single') {
    const ingresses = [singleRouteIngress()];
    return { ingresses, fingerprint: fingerprintOf(ingresses) };
  }
  const workload = workloadFor(spec);
  return { ingresses: workload.ingresses, fingerprint: workload.fingerprint };
}

/** The match benchmark's workload a generated spec names. */
export function workloadFor(spec: Extract<TableSpec, { kind: 'generated' }>): Workload {
  const size = sizeByPaths(spec.paths);
  if (size === undefined) throw new BenchError('SWY_BENCH_BAD_OPTION', `no generated table has ${spec.paths} paths`, { field: 'paths' });
  return generateWorkload(size, spec.seed);
}

/** The single-route table: Prefix `/` on `bench.test` to Service `upstream` port 80, in namespace `bench`. */
export function singleRouteIngress(): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'bench', namespace: 'bench', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { rules: [{ host: SINGLE_HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'upstream', port: { number: 80 } } } }] } }] },
  };
}

/**
 * The same rules with every backend renamed (`orders-12` becomes `orders-12-b`): a second
 * table for the swap scenario, routing the same requests through other backends, so each
 * swap makes the router watch new backends and retire the old ones.
 */
export function renamedBackends(ingresses: readonly Ingress[], suffix = '-b'): Ingress[] {
  return ingresses.map((ingress) => ({
    ...ingress,
    spec: {
      ...ingress.spec,
      rules: (ingress.spec?.rules ?? []).map((rule) => ({
        ...rule,
        ...(rule.http
          ? {
              http: {
                paths: rule.http.paths.map((path) =>
                  path.backend.service ? { ...path, backend: { service: { ...path.backend.service, name: `${path.backend.service.name}${suffix}` } } } : path,
                ),
              },
            }
          : {}),
      })),
    },
  }));
}

/** Static endpoints for every backend the tables reference, all at the one upstream. */
export function endpointsAt(tables: readonly RouteTable[], address: string, port: number): Record<string, EndpointInput[]> {
  const endpoints: Record<string, EndpointInput[]> = {};
  for (const table of tables) for (const backend of table.backends()) endpoints[backendKey(backend)] = [{ address, port }];
  return endpoints;
}

function fingerprintOf(ingresses: readonly Ingress[]): string {
  return createHash('sha256').update(JSON.stringify(ingresses)).digest('hex').slice(0, 16);
}
