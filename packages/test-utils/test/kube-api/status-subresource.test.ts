import { afterEach, beforeEach, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { GATEWAYS, gateway, httpRoute, programmedStatus } from './gateway-api-objects.js';
import { getJson, sendJson, startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(() => server.close());

const WEB = `${GATEWAYS}/namespaces/shop/gateways/web`;

test('GET of /status answers the whole object', async () => {
  server.apply(gateway('web'));
  expect(await getJson(`${url}${WEB}/status`)).toMatchObject({ status: 200, body: { kind: 'Gateway', metadata: { name: 'web' }, spec: { gatewayClassName: 'switchyard' } } });
});

test('PUT /status changes only .status: the spec and labels in the body are ignored, and the generation stays', async () => {
  const stored = server.apply(gateway('web'));
  const body = { ...stored, metadata: { ...stored.metadata, labels: { sneaky: 'yes' } }, spec: { gatewayClassName: 'sneaky' }, status: programmedStatus(1) };
  const written = await sendJson('PUT', `${url}${WEB}/status`, body);
  expect(written.status).toBe(200);
  expect(written.body.status).toEqual(programmedStatus(1));
  expect(written.body.spec).toEqual(stored['spec']);
  expect(written.body.metadata.labels).toBeUndefined();
  expect(written.body.metadata.generation).toBe(1);
  expect(Number(written.body.metadata.resourceVersion)).toBeGreaterThan(Number(stored.metadata.resourceVersion));
  expect(server.get('Gateway/shop/web')).toEqual(written.body);
});

test('PATCH /status merges into .status only', async () => {
  server.apply({ ...httpRoute('shop-route'), status: { parents: [] } });
  const path = `${GATEWAYS}/namespaces/shop/httproutes/shop-route/status`;
  const parents = [{ parentRef: { name: 'web' }, controllerName: 'switchyard.dev/gateway', conditions: [] }];
  const patched = await sendJson('PATCH', `${url}${path}`, { spec: { hostnames: [] }, status: { parents } });
  expect(patched.body.status).toEqual({ parents });
  expect(patched.body.spec.hostnames).toEqual(['shop-route.example.com']);
  expect(patched.body.metadata.generation).toBe(1);
});

test('a stale PUT to /status is 409 Conflict with the real message', async () => {
  const stored = server.apply(gateway('x'));
  server.apply({ ...stored, status: programmedStatus(1) });
  const stale = await sendJson('PUT', `${url}${GATEWAYS}/namespaces/shop/gateways/x/status`, { ...stored, status: programmedStatus(2) });
  expect(stale).toEqual({
    status: 409,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on gateways.gateway.networking.k8s.io "x": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'x', group: 'gateway.networking.k8s.io', kind: 'gateways' },
      code: 409,
    },
  });
  expect(server.get('Gateway/shop/x')?.['status']).toEqual(programmedStatus(1));
});

test('status of a cluster-scoped GatewayClass; DELETE and watch of /status are not allowed', async () => {
  server.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: 'switchyard.dev/gateway' } });
  const accepted = { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z' }] };
  const patched = await sendJson('PATCH', `${url}${GATEWAYS}/gatewayclasses/switchyard/status`, { status: accepted });
  expect(patched.body).toMatchObject({ status: accepted, metadata: { generation: 1 } });
  expect((await sendJson('DELETE', `${url}${GATEWAYS}/gatewayclasses/switchyard/status`)).status).toBe(405);
  expect((await getJson(`${url}${GATEWAYS}/gatewayclasses/switchyard/status?watch=true`)).status).toBe(405);
});
