import { afterEach, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { getJson, startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
afterEach(() => server.close());

const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const STATUS = (name: string, kind: string, namespaced: boolean) => ({ name: `${name}/status`, singularName: '', namespaced, kind, verbs: ['get', 'patch', 'update'] });

test('/apis lists gateway.networking.k8s.io with v1 preferred over v1beta1, and coordination.k8s.io', async () => {
  ({ server, url } = await startFixture());
  const { body } = await getJson(`${url}/apis`);
  const group = body.groups.find((g: any) => g.name === 'gateway.networking.k8s.io');
  expect(group).toEqual({
    name: 'gateway.networking.k8s.io',
    versions: [{ groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' }, { groupVersion: 'gateway.networking.k8s.io/v1beta1', version: 'v1beta1' }],
    preferredVersion: { groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' },
  });
  expect(body.groups.find((g: any) => g.name === 'coordination.k8s.io')?.preferredVersion.groupVersion).toBe('coordination.k8s.io/v1');
  expect((await getJson(`${url}/apis/gateway.networking.k8s.io`)).body).toMatchObject({ kind: 'APIGroup', name: 'gateway.networking.k8s.io', preferredVersion: { version: 'v1' } });
});

test('gateway.networking.k8s.io/v1 lists each kind as a CRD does, each followed by its status subresource', async () => {
  ({ server, url } = await startFixture());
  const { status, body } = await getJson(`${url}/apis/gateway.networking.k8s.io/v1`);
  expect(status).toBe(200);
  expect(body).toEqual({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'gateway.networking.k8s.io/v1',
    resources: [
      { name: 'gatewayclasses', singularName: 'gatewayclass', namespaced: false, kind: 'GatewayClass', verbs: CRD_VERBS, shortNames: ['gc'], categories: ['gateway-api'] },
      STATUS('gatewayclasses', 'GatewayClass', false),
      { name: 'gateways', singularName: 'gateway', namespaced: true, kind: 'Gateway', verbs: CRD_VERBS, shortNames: ['gtw'], categories: ['gateway-api'] },
      STATUS('gateways', 'Gateway', true),
      { name: 'httproutes', singularName: 'httproute', namespaced: true, kind: 'HTTPRoute', verbs: CRD_VERBS, categories: ['gateway-api'] },
      STATUS('httproutes', 'HTTPRoute', true),
      { name: 'grpcroutes', singularName: 'grpcroute', namespaced: true, kind: 'GRPCRoute', verbs: CRD_VERBS, categories: ['gateway-api'] },
      STATUS('grpcroutes', 'GRPCRoute', true),
    ],
  });
  const beta = await getJson(`${url}/apis/gateway.networking.k8s.io/v1beta1`);
  expect(beta.body.resources).toEqual([{ name: 'referencegrants', singularName: 'referencegrant', namespaced: true, kind: 'ReferenceGrant', verbs: CRD_VERBS, shortNames: ['refgrant'], categories: ['gateway-api'] }]);
});

test('Namespace (core, cluster-scoped, with status) and Lease (coordination.k8s.io, namespaced) are served', async () => {
  ({ server, url } = await startFixture());
  const core = await getJson(`${url}/api/v1`);
  expect(core.body.resources).toEqual(
    expect.arrayContaining([
      { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
      STATUS('namespaces', 'Namespace', false),
    ]),
  );
  const coordination = await getJson(`${url}/apis/coordination.k8s.io/v1`);
  expect(coordination.body.resources).toEqual([
    { name: 'leases', singularName: 'lease', namespaced: true, kind: 'Lease', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  ]);
  server.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  expect((await getJson(`${url}/api/v1/namespaces/shop`)).body).toMatchObject({ kind: 'Namespace', metadata: { name: 'shop', generation: 1 } });
  expect((await getJson(`${url}/api/v1/namespaces/shop/status`)).body).toMatchObject({ kind: 'Namespace', metadata: { name: 'shop' } });
  expect((await getJson(`${url}/api/v1/namespaces`)).body).toMatchObject({ kind: 'NamespaceList', items: [{ metadata: { name: 'shop' } }] });
});

test('a status path for a kind without a status subresource is a 404', async () => {
  ({ server, url } = await startFixture());
  server.apply({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'shop' }, spec: {} });
  expect((await getJson(`${url}/apis/coordination.k8s.io/v1/namespaces/shop/leases/l/status`)).status).toBe(404);
});
