/**
 * Switchyard's Fastify adapter through its public API: `compile` the Ingresses (or the Gateway
 * API table, then served through the plugin's `gatewayPort` option), a `Router`
 * over `StaticDiscovery` endpoints (every backend at the one upstream), `startGateway` with
 * no logger, no admin listener and no request log. With `backendProbe`, every backend starts
 * at a probe port of its own instead, until a `serve-upstream` message. With `swappable`, a second table (the
 * same rules through other backends) is compiled too, and a `swap` request makes it swap
 * tables `count` times with `router.update(compile(...).table)`, as a reload would. The
 * orchestrator can also run V8's sampling profiler around a window of load (RouteProfiler).
 */
import { readFileSync } from 'node:fs';
import { compile, Router, StaticDiscovery, type EndpointInput, type Ingress, type RouteTable } from '@switchyard/core';
import { startGateway } from '@switchyard/fastify';
import { CertificateStore } from '@switchyard/tls';
import type { ToServer } from '../protocol.js';
import { endpointsAt, ingressesFor, renamedBackends } from '../route-tables.js';
import { RouteProfiler } from './route-profile.js';
import { announce, failed, LOOPBACK, readConfig, send, stopOn } from './server-process.js';
import type { BackendProbePorts, SwitchyardConfig } from './target-config.js';
import { GATEWAY_CLASS, GATEWAY_PORT, generateGatewayWorkload } from '../../match/gateway-workload.js';

const config = readConfig<SwitchyardConfig>();
try {
  const spec = config.table;
  const gatewayTable = spec.kind === 'gateway' ? generateGatewayWorkload(spec.seed) : undefined;
  const { ingresses, fingerprint } = gatewayTable ? { ingresses: [], fingerprint: gatewayTable.fingerprint } : ingressesFor(spec as Exclude<typeof spec, { kind: 'gateway' }>);
  const started = performance.now();
  const compiled = gatewayTable
    ? compile({ ingresses: [], gateways: [gatewayTable.gateway], httpRoutes: gatewayTable.httpRoutes, gatewayClass: GATEWAY_CLASS })
    : compile({ ingresses });
  const compileMs = performance.now() - started;
  const variant = config.swappable && !gatewayTable ? renamedBackends(ingresses) : undefined;
  const tables = [compiled.table, ...(variant ? [compile({ ingresses: variant }).table] : [])];
  const upstreamEndpoints = endpointsAt(tables, config.upstream.address, config.upstream.port);
  const discovery = new StaticDiscovery({ endpoints: config.backendProbe ? probeEndpoints(tables, config.backendProbe) : upstreamEndpoints });
  const router = new Router({ table: compiled.table, discovery });
  const https = config.tls
    ? { listen: { host: LOOPBACK, port: 0 }, certificates: new CertificateStore({ defaultCertificate: { cert: readFileSync(config.tls.certFile, 'utf8'), key: readFileSync(config.tls.keyFile, 'utf8') } }) }
    : undefined;
  const gateway = await startGateway({
    router,
    listen: { host: LOOPBACK, port: 0 },
    ...(config.h2c ? { h2c: true } : {}),
    ...(https ? { https, redirectToHttps: false as const } : {}),
    admin: false,
    logger: false,
    proxy: { logRequests: false, ...(gatewayTable ? { gatewayPort: GATEWAY_PORT } : {}) },
  });
  announce({
    url: https ? gateway.urls.https! : gateway.urls.http,
    fingerprint,
    info: {
      routes: gatewayTable ? gatewayTable.rules : compiled.table.routes().length,
      backends: compiled.table.backends().length,
      compileMs: Math.round(compileMs * 10) / 10,
    },
  });
  let profiler: RouteProfiler | undefined;
  process.on('message', (message: ToServer) => {
    if (message.type === 'swap' && variant) swap(router, [ingresses, variant], message.count, message.intervalMs);
    else if (message.type === 'serve-upstream') {
      discovery.update({ endpoints: upstreamEndpoints });
      send({ type: 'serving-upstream' });
    }
    else if (message.type === 'profile-start') (profiler ??= new RouteProfiler()).start().then(() => send({ type: 'profiling' }), failed);
    else if (message.type === 'profile-stop' && profiler) profiler.stop().then((profile) => send({ type: 'profiled', profile }), failed);
    else failed(new Error(`unexpected message ${JSON.stringify(message)}`));
  });
  stopOn(async () => {
    await gateway.close();
    router.close();
    await discovery.close();
  });
} catch (error) {
  failed(error);
}

/** Swaps between the two tables `count` times, `intervalMs` apart, compiling each one anew. */
function swap(router: Router, sets: readonly [Ingress[], Ingress[]], count: number, intervalMs: number): void {
  const compileMs: number[] = [];
  const timer = setInterval(() => {
    const started = performance.now();
    const { table } = compile({ ingresses: sets[(compileMs.length + 1) % 2]! });
    compileMs.push(performance.now() - started);
    router.update(table);
    if (compileMs.length === count) {
      clearInterval(timer);
      send({ type: 'swapped', swaps: compileMs.length, compileMs });
    }
  }, intervalMs);
}

/** Every backend of the tables at its probe port (a listed one) or at the probe's catch-all port, on 127.0.0.1. */
function probeEndpoints(tables: readonly RouteTable[], probe: BackendProbePorts): Record<string, EndpointInput[]> {
  const endpoints = endpointsAt(tables, LOOPBACK, probe.otherPort);
  for (const [key, port] of Object.entries(probe.ports)) endpoints[key] = [{ address: LOOPBACK, port }];
  return endpoints;
}
