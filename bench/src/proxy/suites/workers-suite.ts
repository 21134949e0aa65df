import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePinning } from '../pinning.js';
import { singleRouteList } from '../request-list.js';
import { SERVICE_NAME_LABEL } from '@switchyard/core';
import { singleRouteIngress } from '../route-tables.js';
import type { RunContext } from '../target.js';
import { cliTarget } from '../targets.js';
import type { Suite } from './suite.js';

/**
 * `switchyard serve --workers 2` against `--workers 1`: the CLI on manifest files (an Ingress,
 * a Service and an EndpointSlice pointing at the upstream), both on the cores of multi-worker
 * targets. On a 2-core machine the load generator and the upstream share those cores.
 */
export function workersSuite(context: RunContext): Suite {
  const upstream = context.smallUpstream;
  const dir = join(context.scratchDir, 'manifests');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests(upstream.address.port) }, null, 2));
  const requests = singleRouteList();
  const basics = (id: string, label: string) => ({ id, label, requests, expectation: { kind: 'small' } as const, upstream });
  const cores = context.pinning.cores.workers;
  return {
    id: 'workers',
    title: 'Switchyard CLI `serve`: 2 workers against 1',
    unit: 'request',
    baseline: 'cli-workers-1',
    cpuFloor: undefined,
    targets: [cliTarget(context, basics('cli-workers-1', 'switchyard serve --workers 1'), dir, 1), cliTarget(context, basics('cli-workers-2', 'switchyard serve --workers 2'), dir, 2)],
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: false,
    notes: [
      cores === null
        ? `Not pinned (${describePinning(context.pinning)}).`
        : `Both pinned to cores ${cores}, which the load generator and the upstream share: on 2 cores, 2 workers compete with them.`,
      "The CLI logs every request (JSON on stdout, discarded here) and has no flag to turn it off; its CPU per request includes that log and, with 2 workers, the primary's.",
    ],
  };
}

/** An Ingress for bench.test to Service `upstream` port 80, the Service, and its EndpointSlice at the upstream. */
export function manifests(upstreamPort: number): object[] {
  return [
    singleRouteIngress(),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'upstream', namespace: 'bench' }, spec: { ports: [{ name: 'http', port: 80, targetPort: upstreamPort }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'upstream-1', namespace: 'bench', labels: { [SERVICE_NAME_LABEL]: 'upstream' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: upstreamPort }],
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    },
  ];
}
