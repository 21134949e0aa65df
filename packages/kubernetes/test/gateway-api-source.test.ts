import { compile, type CompileResult } from '@switchyard/core';
import { GatewayApiSource, KubernetesDiscovery, SecretSource, type GatewayApiCompileOptions, type GatewayApiSourceOptions, type KubeError } from '@switchyard/kubernetes';
import { eventually, KubeApiServer, service, TEST_CONTROLLER } from '@switchyard/test-utils';
import { afterEach, expect, test } from 'vitest';

const GROUP = 'gateway.networking.k8s.io';
let server: KubeApiServer;
let source: GatewayApiSource | undefined;
let errors: KubeError[];

afterEach(async () => {
  await source?.close();
  source = undefined;
  await server.close();
});

async function startServer(options: { gatewayApi?: boolean } = {}) {
  server = new KubeApiServer({ bookmarkIntervalMs: 100, ...options });
  await server.start();
}

function start(options: Partial<GatewayApiSourceOptions> = {}) {
  errors = [];
  source = new GatewayApiSource({
    connection: { server: server.address.url },
    controllerName: TEST_CONTROLLER,
    debounceMs: 10,
    crdCheckIntervalMs: 50,
    reflector: { backoff: { initialMs: 20, maxMs: 200 } },
    onError: (error) => errors.push(error),
    ...options,
  });
  return source;
}

const gatewayClass = (name: string, controllerName = TEST_CONTROLLER) => ({ apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } });
const gateway = (name: string, className: string, port: number, namespace = 'infra') => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { gatewayClassName: className, listeners: [{ name: 'web', port, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
});
const httpRoute = (name: string, host: string, backend: string, parent = { name: 'edge', namespace: 'infra' }) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'shop' },
  spec: { parentRefs: [parent], hostnames: [host], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] },
});

/** Applies a class of ours with a Gateway on port 8080, and a route to Service `web` for `host`. */
function applyGatewayApi(host = 'a.example.com') {
  server.apply(gatewayClass('switchyard'));
  server.apply(gateway('edge', 'switchyard', 8080));
  server.apply(httpRoute('shop', host, 'web'));
}

const compiled = (options: GatewayApiCompileOptions | undefined): CompileResult => compile({ ingresses: [], ...options });
/** The first backend of the rule that answers `host` on `port`, undefined when none does (404). */
const backendFor = (options: GatewayApiCompileOptions | undefined, host: string, port = 8080) =>
  compiled(options).table.gatewayPort(port)?.find(host, '/', { method: 'GET', headers: {}, query: '' })?.rule.backends[0];

test('reads the cluster into compile options: our classes\' Gateways serve, every change comes through subscribe', async () => {
  await startServer();
  server.apply(service('web', [{ port: 80 }], { namespace: 'shop' }));
  server.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'blue' } } });
  applyGatewayApi();
  server.apply(gatewayClass('theirs', 'example.com/other'));
  server.apply(gateway('foreign', 'theirs', 9090));
  const first = await start().ready();
  expect(backendFor(first, 'a.example.com')).toMatchObject({ route: { backend: { namespace: 'shop', service: { name: 'web' } } }, problem: undefined });
  expect(compiled(first).table.gatewayPorts()).toEqual([8080]);
  expect(compiled(first).table.gatewayStatus.gatewayClasses.map((c) => c.name)).toEqual(['switchyard']);
  expect(first.namespaces?.find((n) => n.metadata.name === 'shop')?.metadata.labels).toEqual({ team: 'blue' });
  expect(source!.status()).toMatchObject({ gatewayApi: 'installed', gatewayApiReason: undefined });
  expect(Object.keys(source!.status().reflectors).sort()).toEqual(['gatewayclasses', 'gateways#0', 'grpcroutes#0', 'httproutes#0', 'namespaces', 'referencegrants#0', 'secrets#0', 'services#0']);

  const seen: GatewayApiCompileOptions[] = [];
  source!.subscribe((options) => seen.push(options));
  expect(seen).toEqual([first]);
  server.apply(httpRoute('other', 'b.example.com', 'missing'));
  await eventually('the new route', () => backendFor(seen.at(-1), 'b.example.com') !== undefined);
  // Services are read: a route to one that does not exist is BackendNotFound.
  const other = compiled(seen.at(-1)).table.gatewayStatus.httpRoutes.find((r) => r.route === 'shop/other');
  expect(other?.parents[0]?.conditions).toContainEqual(expect.objectContaining({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' }));
  expect(errors).toEqual([]);
});

test('observed() hands out the objects as stored, status included, for the status write-back', async () => {
  await startServer();
  applyGatewayApi();
  server.apply({ ...gatewayClass('switchyard'), status: { conditions: [{ type: 'Accepted', status: 'Unknown', reason: 'Pending', message: 'waiting' }] } });
  await start().ready();
  const observed = source!.observed();
  expect(observed.gatewayClasses).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'switchyard', generation: 1 }), status: { conditions: [expect.objectContaining({ reason: 'Pending' })] } })]);
  expect(observed.gateways.map((g) => g.metadata?.name)).toEqual(['edge']);
  expect(observed.httpRoutes.map((r) => r.metadata?.name)).toEqual(['shop']);
});

test('namespaces: the namespaced kinds are read from those namespaces only', async () => {
  await startServer();
  server.apply(gatewayClass('switchyard'));
  server.apply(gateway('edge', 'switchyard', 8080, 'shop'));
  server.apply(gateway('elsewhere', 'switchyard', 8081, 'infra'));
  const options = await start({ namespaces: ['shop'] }).ready();
  expect(options.gateways?.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual(['shop/edge']);
  expect(server.requests.some((r) => r.path === `/apis/${GROUP}/v1/namespaces/shop/httproutes`)).toBe(true);
});

test('CRDs not installed: ready with no Gateway API objects, said once, and picked up when they are installed', async () => {
  await startServer({ gatewayApi: false });
  server.apply(service('web', [{ port: 80 }], { namespace: 'shop' }));
  const options = await start().ready();
  expect(options).toMatchObject({ gateways: [], httpRoutes: [], gatewayClasses: [], referenceGrants: [] });
  expect(options.services).toHaveLength(1);
  expect(source!.status()).toMatchObject({ gatewayApi: 'not-installed', gatewayApiReason: expect.stringContaining(GROUP) });
  expect(Object.keys(source!.status().reflectors).sort()).toEqual(['namespaces', 'secrets#0', 'services#0']);
  // Several checks later, still one line.
  const asked = () => server.requests.filter((r) => r.path === `/apis/${GROUP}`).length;
  await eventually('a few more checks', () => asked() >= 4);
  expect(errors.map((e) => e.code)).toEqual(['SWY_KUBE_GATEWAY_API_NOT_INSTALLED']);

  const seen: GatewayApiCompileOptions[] = [];
  source!.subscribe((latest) => seen.push(latest));
  server.installGatewayApi();
  applyGatewayApi();
  await eventually('the Gateway API objects', () => backendFor(seen.at(-1), 'a.example.com') !== undefined);
  expect(source!.status().gatewayApi).toBe('installed');
  expect(errors).toHaveLength(1);
});

test('CRDs uninstalled at run time: back to no Gateway API objects, said once, and back again on install', async () => {
  await startServer();
  applyGatewayApi();
  const seen: GatewayApiCompileOptions[] = [];
  const first = await start().ready();
  source!.subscribe((latest) => seen.push(latest));
  expect(backendFor(first, 'a.example.com')).toBeDefined();

  server.uninstallGatewayApi();
  await eventually('the empty state', () => source!.status().gatewayApi === 'not-installed' && seen.at(-1)?.gateways?.length === 0);
  expect(compiled(seen.at(-1)).table.gatewayPorts()).toEqual([]);
  expect(source!.observed()).toEqual({ gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [] });
  const asked = server.requests.filter((r) => r.path === `/apis/${GROUP}`).length;
  await eventually('a few more checks', () => server.requests.filter((r) => r.path === `/apis/${GROUP}`).length >= asked + 3);
  expect(errors.map((e) => e.code)).toEqual(['SWY_KUBE_GATEWAY_API_NOT_INSTALLED']);

  server.installGatewayApi();
  applyGatewayApi('c.example.com');
  await eventually('the objects again', () => backendFor(seen.at(-1), 'c.example.com') !== undefined);
  expect(errors).toHaveLength(1);
});

test('an API server restart keeps the objects, and a change after it arrives', async () => {
  await startServer();
  applyGatewayApi();
  const first = await start().ready();
  await server.restart();
  expect(backendFor(source!.compileOptions(), 'a.example.com')).toBeDefined();
  const seen: GatewayApiCompileOptions[] = [];
  source!.subscribe((latest) => seen.push(latest));
  expect(seen).toEqual([first]);
  server.apply(httpRoute('later', 'later.example.com', 'web'));
  await eventually('the change after the restart', () => backendFor(seen.at(-1), 'later.example.com') !== undefined, 10_000);
  expect(backendFor(seen.at(-1), 'a.example.com')).toBeDefined();
  expect(source!.status().gatewayApi).toBe('installed');
});

test('lent Services and Secrets: one watch each for discovery, the certificates and the Gateway API; closing the borrower leaves them to their owner', async () => {
  await startServer();
  server.apply(service('web', [{ port: 80 }], { namespace: 'shop' }));
  applyGatewayApi();
  const common = { connection: { server: server.address.url }, debounceMs: 10, reflector: { backoff: { initialMs: 20, maxMs: 200 } } };
  const discovery = new KubernetesDiscovery(common);
  const secrets = new SecretSource(common);
  try {
    const watchesOfOwners = async () => {
      await Promise.all([discovery.ready(), secrets.ready()]);
      await eventually('the owners watch', () => server.openWatches === 3);
    };
    await watchesOfOwners();
    const first = await start({ services: discovery.sharedServices(), secrets: secrets.sharedSecrets() }).ready();
    expect(first.services?.map((s) => s.metadata.name)).toEqual(['web']);
    // GatewayClasses, Gateways, HTTPRoutes, GRPCRoutes, ReferenceGrants and Namespaces: six more, none for Services or Secrets.
    await eventually('the borrower watches', () => server.openWatches === 9);
    expect(Object.keys(source!.status().reflectors).sort()).toEqual(['gatewayclasses', 'gateways#0', 'grpcroutes#0', 'httproutes#0', 'namespaces', 'referencegrants#0']);

    // A lent collection's change reaches the borrower: the route to `api` resolves once the Service exists.
    server.apply(httpRoute('api', 'api.example.com', 'api'));
    const seen: GatewayApiCompileOptions[] = [];
    source!.subscribe((options) => seen.push(options));
    server.apply(service('api', [{ port: 80 }], { namespace: 'shop' }));
    await eventually('the new Service', () => seen.at(-1)?.services?.some((s) => s.metadata.name === 'api') === true);

    await source!.close();
    source = undefined;
    await eventually('the borrower\'s own watches end', () => server.openWatches === 3);
    expect(Object.keys(discovery.status()).sort()).toEqual(['endpointslices#0', 'services#0']);
    expect(discovery.status()['services#0']).toMatchObject({ synced: true, lastError: undefined });
  } finally {
    await Promise.all([discovery.close(), secrets.close()]);
  }
});
