import { afterEach, expect, test } from 'vitest';
import { KubeApiServer } from '@switchyard/test-utils';
import { GATEWAYS, gateway } from './gateway-api-objects.js';
import { getJson, sendJson, startFixture, summary, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
const readers: WatchReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await server.close();
});

// What kube-apiserver answers for a path no installed resource serves, byte for byte in JSON terms.
const UNKNOWN = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };

async function expectNotInstalled(): Promise<void> {
  const groups = (await getJson(`${url}/apis`)).body.groups.map((g: any) => g.name);
  expect(groups).not.toContain('gateway.networking.k8s.io');
  for (const path of ['/apis/gateway.networking.k8s.io', GATEWAYS, `${GATEWAYS}/gateways`, `${GATEWAYS}/namespaces/shop/gateways/web`, `${GATEWAYS}/namespaces/shop/gateways/web/status`, `${GATEWAYS}/gateways?watch=true`]) {
    expect(await getJson(`${url}${path}`), path).toMatchObject({ status: 404, body: UNKNOWN });
  }
  expect(await sendJson('POST', `${url}${GATEWAYS}/namespaces/shop/gateways`, gateway('web'))).toEqual({ status: 404, body: UNKNOWN });
  expect(await sendJson('PATCH', `${url}${GATEWAYS}/namespaces/shop/gateways/web/status`, { status: {} })).toEqual({ status: 404, body: UNKNOWN });
}

test('gatewayApi: false starts without the CRDs: absent from discovery, every request under the group a NotFound Status', async () => {
  server = new KubeApiServer({ gatewayApi: false });
  ({ url } = await server.start());
  expect(server.gatewayApiInstalled).toBe(false);
  await expectNotInstalled();
  expect(() => server.apply(gateway('web'))).toThrow(TypeError);
  // Built-in types are unaffected.
  expect((await getJson(`${url}/apis/coordination.k8s.io/v1/leases`)).status).toBe(200);
});

test('installGatewayApi() at run time makes the group appear and serves its kinds', async () => {
  server = new KubeApiServer({ gatewayApi: false });
  ({ url } = await server.start());
  server.installGatewayApi();
  expect(server.gatewayApiInstalled).toBe(true);
  expect((await getJson(`${url}/apis`)).body.groups.map((g: any) => g.name)).toContain('gateway.networking.k8s.io');
  expect((await sendJson('POST', `${url}${GATEWAYS}/namespaces/shop/gateways`, gateway('web'))).status).toBe(201);
  expect((await getJson(`${url}${GATEWAYS}/gateways`)).body.items.map((i: any) => i.metadata.name)).toEqual(['web']);
});

test('uninstallGatewayApi() deletes the objects, ends their watches cleanly, and leaves other watches open', async () => {
  ({ server, url } = await startFixture());
  server.apply(gateway('web'));
  const gateways = await WatchReader.open(`${url}${GATEWAYS}/gateways?watch=true`);
  const leases = await WatchReader.open(`${url}/apis/coordination.k8s.io/v1/leases?watch=true`);
  readers.push(gateways, leases);
  expect(summary(await gateways.take(1))).toEqual(['ADDED web']);

  server.uninstallGatewayApi();
  expect(summary(await gateways.take(1))).toEqual(['DELETED web']);
  expect(await gateways.ended()).toBe('end');
  expect(server.requests.find((r) => r.watch && r.path.endsWith('/gateways'))?.endReason).toBe('uninstalled');
  expect(server.openWatches).toBe(1);
  expect(leases.outcome).toBeUndefined();
  await expectNotInstalled();

  // Installing again starts empty, as a fresh CRD does.
  server.installGatewayApi();
  expect((await getJson(`${url}${GATEWAYS}/gateways`)).body.items).toEqual([]);
});
