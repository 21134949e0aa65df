import { join } from 'node:path';
import { GATEWAY_TABLE } from '../../match/gateway-workload.js';
import { BACKEND_CHECK_SAMPLE } from '../backend-probe.js';
import { sizeByPaths, sizeLabel, tableLabel } from '../../match/sizes.js';
import type { TargetId } from '../options.js';
import { requestListFor, singleRouteList, withGatewayLoad } from '../request-list.js';
import { SINGLE_HOST, workloadFor, type TableSpec } from '../route-tables.js';
import { writeManifestDir } from '../cli-manifests.js';
import { cliServeTarget } from '../cli-targets.js';
import type { AbsentTarget, RunContext, Target } from '../target.js';
import { directTarget, nginxProxyTarget, serverTarget, switchyardTarget, type TargetBasics } from '../targets.js';
import type { Suite } from './suite.js';

const SMALL = { kind: 'small' } as const;

/**
 * The main table: the upstream alone, the peers on one route, the node:http + undici floor,
 * Switchyard on 1, 1,000 and 10,000 paths and on the Gateway API table (1,000 HTTPRoute rules
 * with header and method matches), and nginx as a reverse proxy when installed.
 * Every ratio of req/s divides by @fastify/http-proxy; every CPU ratio by the floor.
 */
export function proxySuite(context: RunContext): Suite {
  const { options, smallUpstream: upstream } = context;
  const single = singleRouteList();
  const basics = (id: TargetId, label: string, requests = single): TargetBasics => ({ id, label, requests, expectation: SMALL, upstream });
  const generated = (paths: number): { spec: TableSpec; label: string } => {
    const spec: TableSpec = { kind: 'generated', paths, seed: options.seed };
    return { spec, label: `Switchyard, ${sizeLabel(sizeByPaths(paths)!)}` };
  };
  const targets: Target[] = [];
  const absent: AbsentTarget[] = [];
  const notes: string[] = [];
  for (const id of options.targets) {
    switch (id) {
      case 'direct':
        targets.push(directTarget(context, basics(id, `upstream alone (${upstream.label})`)));
        break;
      case 'fastify-http-proxy':
        targets.push(serverTarget(context, basics(id, 'fastify + @fastify/http-proxy, 1 route'), 'fastify-http-proxy', { upstream: upstream.address }));
        break;
      case 'reply-from-map':
        targets.push(serverTarget(context, basics(id, 'fastify + @fastify/reply-from, catch-all + Map'), 'reply-from-map', { upstream: upstream.address, hosts: [SINGLE_HOST] }));
        break;
      case 'undici-floor':
        targets.push(serverTarget(context, basics(id, 'node:http + undici Pool.stream, no framework'), 'undici-floor', { upstream: upstream.address }));
        break;
      case 'switchyard-1':
        targets.push(switchyardTarget(context, basics(id, 'Switchyard (Fastify adapter), 1 path'), { kind: 'single' }));
        break;
      case 'switchyard-1k':
      case 'switchyard-10k': {
        const { spec, label } = generated(id === 'switchyard-1k' ? 1_000 : 10_000);
        const requests = requestListFor(spec, options.requestList);
        targets.push(switchyardTarget(context, basics(id, label, requests), spec));
        notes.push(`${label}: ${requests.requests.length.toLocaleString('en-US')} requests cycled, over ${requests.hosts.toLocaleString('en-US')} Host headers, every one a hit routed to the upstream.`);
        break;
      }
      case 'switchyard-gateway-1k': {
        const spec: TableSpec = { kind: 'gateway', seed: options.seed };
        const label = `Switchyard, Gateway API: ${tableLabel('gateway', GATEWAY_TABLE)}`;
        const requests = requestListFor(spec, options.requestList);
        targets.push(switchyardTarget(context, basics(id, label, requests), spec));
        notes.push(
          `${label}: ${requests.requests.length.toLocaleString('en-US')} requests cycled, over ${requests.hosts.toLocaleString('en-US')} Host headers, each with the method and headers that select its rule; ` +
            `a sample of ${BACKEND_CHECK_SAMPLE} reached the backend of the rule the reference matcher picks before the target was pointed at the upstream.`,
        );
        break;
      }
      case 'switchyard-1k-gateway-load': {
        const { spec, label } = generated(1_000);
        const requests = withGatewayLoad(requestListFor(spec, options.requestList), options.seed);
        const withLoad = `${label}, Gateway API requests`;
        targets.push(switchyardTarget(context, basics(id, withLoad, requests), spec));
        notes.push(
          `${withLoad}: the same Switchyard target and requests as on the 1,000-path table, each with the method and headers of the Gateway API target's request in the same place (the Ingress routing reads neither): ` +
            'the Gateway API target differs from this one in how it routes, and from the 1,000-path one also in what its requests carry.',
        );
        break;
      }
      case 'switchyard-cli-1k':
      case 'switchyard-cli-1k-nolog': {
        const spec = { kind: 'generated', paths: 1_000, seed: options.seed } as const;
        const workload = workloadFor(spec);
        const dir = writeManifestDir(join(context.scratchDir, id), workload.ingresses, upstream.address.port);
        const requests = requestListFor(spec, options.requestList);
        if (id === 'switchyard-cli-1k-nolog') {
          const label = `switchyard serve -f, ${sizeLabel(sizeByPaths(1_000)!)}, --access-log off`;
          targets.push(cliServeTarget(context, basics(id, label, requests), dir, { accessLog: 'off' }));
          notes.push(`${label}: the CLI target above with \`--access-log off\` (no per-request line; warnings and errors still on stdout), to weigh the request line against the rest of the CLI.`);
          break;
        }
        const label = `switchyard serve -f, ${sizeLabel(sizeByPaths(1_000)!)}, defaults`;
        targets.push(cliServeTarget(context, basics(id, label, requests), dir));
        notes.push(
          `${label}: the CLI as a user runs it on the 1,000-path table written as YAML files (${workload.ingresses.length} Ingresses, 10 per file, and a Service and an EndpointSlice per backend, at the upstream): ` +
            'the files watched, metrics and the admin listener on (on 127.0.0.1 port 0), the request log on (to a file when the CLI has `--access-log`, else on stdout, discarded); the same requests as the in-process 1,000-path target.',
        );
        break;
      }
      case 'fast-gateway':
        targets.push(serverTarget(context, basics(id, 'fast-gateway 3.4.7, 1 route'), 'fast-gateway', { upstream: upstream.address }));
        break;
      case 'node-http-proxy':
        targets.push(serverTarget(context, basics(id, 'node:http + http-proxy, 1 route (keep-alive agent)'), 'node-http-proxy', { upstream: upstream.address }));
        break;
      case 'nginx-proxy': {
        const label = 'nginx reverse proxy (1 worker, keepalive)';
        if (context.tools.nginx === null) absent.push({ id, label, reason: 'nginx is not on PATH' });
        else targets.push(nginxProxyTarget(context, basics(id, label), context.tools.nginx.path));
        break;
      }
    }
  }
  return {
    id: 'proxy',
    title: 'Proxies: small responses, GET with a Host header',
    unit: 'request',
    baseline: 'fastify-http-proxy',
    cpuFloor: 'undici-floor',
    targets,
    absent,
    durationS: options.durationS,
    errorFree: false,
    throughput: false,
    profiled: true,
    notes,
  };
}
