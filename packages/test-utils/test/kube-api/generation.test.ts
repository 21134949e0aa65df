import { afterEach, beforeEach, expect, test } from 'vitest';
import type { KubeApiServer, KubeObject } from '@switchyard/test-utils';
import { GATEWAYS, gateway, programmedStatus } from './gateway-api-objects.js';
import { sendJson, startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(() => server.close());

const WEB = `${GATEWAYS}/namespaces/shop/gateways/web`;
const generation = () => server.get('Gateway/shop/web')?.metadata.generation;

test('apply(): 1 on create, +1 per spec change, unchanged by labels, annotations and status', () => {
  const stored = server.apply(gateway('web'));
  expect(stored.metadata.generation).toBe(1);
  server.apply({ ...stored, metadata: { ...stored.metadata, labels: { team: 'a' }, annotations: { note: 'x' } } });
  server.apply({ ...gateway('web'), metadata: { name: 'web', namespace: 'shop', labels: { team: 'a' }, annotations: { note: 'x' } }, status: programmedStatus(1) });
  expect(generation()).toBe(1);
  server.apply({ ...gateway('web', 'shop', 'other'), status: programmedStatus(1) });
  expect(generation()).toBe(2);
  // The same spec with its keys in another order is not a change.
  server.apply({ ...gateway('web'), spec: { listeners: [{ protocol: 'HTTP', port: 80, name: 'http' }], gatewayClassName: 'other' }, status: programmedStatus(1) });
  expect(generation()).toBe(2);
});

test('over HTTP: spec writes bump it, metadata and status writes do not', async () => {
  const created = await sendJson('POST', `${url}${GATEWAYS}/namespaces/shop/gateways`, gateway('web'));
  expect(created.body.metadata.generation).toBe(1);
  await sendJson('PATCH', `${url}${WEB}`, { metadata: { labels: { team: 'a' } } });
  await sendJson('PATCH', `${url}${WEB}/status`, { status: programmedStatus(1) });
  expect(generation()).toBe(1);
  await sendJson('PATCH', `${url}${WEB}`, { spec: { gatewayClassName: 'other' } });
  expect(generation()).toBe(2);
  const current = server.get('Gateway/shop/web')!;
  await sendJson('PUT', `${url}${WEB}`, { ...current, spec: { ...(current['spec'] as object), gatewayClassName: 'third' } });
  expect(generation()).toBe(3);
  // A client cannot set it.
  await sendJson('PATCH', `${url}${WEB}`, { metadata: { generation: 42 } });
  expect(generation()).toBe(3);
});

test('types without spec count their other top-level fields: a Secret data change bumps it', () => {
  server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, type: 'Opaque', data: { a: 'MQ==' } });
  expect(server.apply<KubeObject>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, type: 'Opaque', data: { a: 'Mg==' } }).metadata.generation).toBe(2);
});
