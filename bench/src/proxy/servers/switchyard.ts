/**
 * Switchyard's Fastify adapter through its public API: `compile` the Ingresses, a `Router`
 * over `StaticDiscovery` endpoints (every backend at the one upstream), `startGateway` with
 * no logger, no admin listener and no request log. With `swappable`, a second table (the
 * same rules through other backends) is compiled too, and a `swap` request makes it swap
 * tables `count` times with `router.update(compile(...).table)`, as a reload would. The
 * orchestrator can also run V8's sampling profiler around a window of load (RouteProfiler).
 */
import { readFileSync } from 'node:fs';
import { compile, Router, StaticDiscovery, type Ingress } from '@switchyard/core';
import { startGateway } from '@switchyard/fastify';
import { CertificateStore } from '@switchyard/tls';
import type { ToServer } from '../protocol.js';
import { endpointsAt, ingressesFor, renamedBackends } from '../route-tables.js';
import { RouteProfiler } from './route-profile.js';
import { announce, failed, LOOPBACK, readConfig, send, stopOn } from './server-process.js';
import type { SwitchyardConfig } from './target-config.js';

const config = readConfig<SwitchyardConfig>();
try {
  const { ingresses, fingerprint } = ingressesFor(config.table);
  const started = performance.now();
  const compiled = compile({ ingresses });
  const compileMs = performance.now() - started;
  const variant = config.swappable ? renamedBackends(ingresses) : undefined;
  const tables = [compiled.table, ...(variant ? [compile({ ingresses: variant }).table] : [])];
  const discovery = new StaticDiscovery({ endpoints: endpointsAt(tables, config.upstream.address, config.upstream.port) });
  const router = new Router({ table: compiled.table, discovery });
  const https = config.tls
    ? { listen: { host: LOOPBACK, port: 0 }, certificates: new CertificateStore({ defaultCertificate: { cert: readFileSync(config.tls.certFile, 'utf8'), key: readFileSync(config.tls.keyFile, 'utf8') } }) }
    : undefined;
  const gateway = await startGateway({
    router,
    listen: { host: LOOPBACK, port: 0 },
    ...(https ? { https, redirectToHttps: false as const } : {}),
    admin: false,
    logger: false,
    proxy: { logRequests: false },
  });
  announce({
    url: https ? gateway.urls.https! : gateway.urls.http,
    fingerprint,
    info: { routes: compiled.table.routes().length, backends: compiled.table.backends().length, compileMs: Math.round(compileMs * 10) / 10 },
  });
  let profiler: RouteProfiler | undefined;
  process.on('message', (message: ToServer) => {
    if (message.type === 'swap' && variant) swap(router, [ingresses, variant], message.count, message.intervalMs);
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
