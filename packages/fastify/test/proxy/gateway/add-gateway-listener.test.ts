import { compile, loadManifests, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway, type Gateway } from '@switchyard/fastify';
import { gatewayCompileOptions, startUpstream, type Upstream } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { backendYaml, gatewayYaml } from '../../helpers/gateway-api.js';

let upstream: Upstream;
let gateway: Gateway | undefined;
let router: Router;
let discovery: StaticDiscovery;

beforeEach(async () => {
  upstream = await startUpstream('shop');
  // A Gateway listener on port 80 and one HTTPRoute to the upstream.
  const manifests = `${gatewayYaml(80)}${backendYaml('shop', upstream.port)}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: default }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: shop, port: 80 }] }]
`;
  const { objects } = loadManifests(manifests);
  discovery = new StaticDiscovery({ objects });
  router = new Router({ table: compile({ ingresses: [], ...gatewayCompileOptions(objects) }).table, discovery });
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  router.close();
  await discovery.close();
  await upstream.close();
});

test('a Gateway listener port added after the start serves its routes, joins urls and apps, and is drained by close()', async () => {
  gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false });
  expect(gateway.urls.gateways).toBeUndefined();
  const added = await gateway.addGatewayListener({ port: 80, listen: { host: '127.0.0.1', port: 0 } });
  expect(added.port).toBe(80);
  expect(added.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(gateway.urls.gateways).toEqual([added]);
  expect([...gateway.apps.gateways!.keys()]).toEqual([80]);
  const answer = await fetch(`${added.url}/any`, { headers: { host: 'shop.test' } });
  expect(answer.status).toBe(200);
  expect(upstream.seen.at(-1)?.url).toBe('/any');
  // The Ingress listener does not serve the Gateway's routes: each app serves its own port.
  expect((await fetch(`${gateway.urls.http}/any`, { headers: { host: 'shop.test' } })).status).toBe(404);
  await gateway.close();
  await expect(fetch(`${added.url}/any`)).rejects.toThrow();
  gateway = undefined;
});

test('a port already served, a bad listener, and a closing gateway are refused, naming the field', async () => {
  gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false, gatewayListeners: [{ port: 80, listen: { host: '127.0.0.1', port: 0 } }] });
  await expect(gateway.addGatewayListener({ port: 80, listen: { host: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'gatewayListener.port' });
  await expect(gateway.addGatewayListener({ port: 0, listen: { host: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'gatewayListener.port' });
  await expect(gateway.addGatewayListener({ port: 81, listen: { host: '', port: 0 } })).rejects.toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'gatewayListener.listen' });
  const closing = gateway.close();
  await expect(gateway.addGatewayListener({ port: 81, listen: { host: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'gatewayListener' });
  await closing;
  gateway = undefined;
});

test('a port that cannot listen is not served, and can be tried again', async () => {
  gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false });
  const taken = Number(new URL(gateway.urls.http).port);
  await expect(gateway.addGatewayListener({ port: 80, listen: { host: '127.0.0.1', port: taken } })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  expect(gateway.urls.gateways).toBeUndefined();
  const added = await gateway.addGatewayListener({ port: 80, listen: { host: '127.0.0.1', port: 0 } });
  expect(gateway.urls.gateways).toEqual([added]);
});

test('a port still being added when close() starts is drained too, not left listening', async () => {
  gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false });
  const adding = gateway.addGatewayListener({ port: 80, listen: { host: '127.0.0.1', port: 0 } });
  await gateway.close();
  const added = await adding;
  await expect(fetch(`${added.url}/any`, { headers: { host: 'shop.test' } })).rejects.toThrow();
  gateway = undefined;
});
