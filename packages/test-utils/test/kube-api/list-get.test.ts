import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { getJson, ingress, startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => {
  ({ server, url } = await startFixture());
  server.apply(ingress('web', 'default', { app: 'web', tier: 'front' }));
  server.apply(ingress('api', 'default', { app: 'api', tier: 'back' }));
  server.apply(ingress('admin', 'ops', { app: 'admin' }));
  server.apply(ingress('bare', 'ops'));
  server.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'switchyard' }, spec: { controller: 'example.com/switchyard' } });
});
afterEach(() => server.close());

const names = (body: any) => body.items.map((i: any) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`);

describe('apply', () => {
  test('assigns uid, creationTimestamp and a growing resourceVersion; keeps uid on update', () => {
    const first = server.apply(ingress('new'));
    expect(first.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const second = server.apply({ ...ingress('new'), spec: { ingressClassName: 'other' } });
    expect(second.metadata.uid).toBe(first.metadata.uid);
    expect(Number(second.metadata.resourceVersion)).toBeGreaterThan(Number(first.metadata.resourceVersion));
    expect(second.metadata.generation).toBe(2);
    expect(server.resourceVersion).toBe(second.metadata.resourceVersion);
  });

  test('an unchanged apply is a no-op that keeps the resourceVersion', () => {
    const before = server.resourceVersion;
    server.apply(ingress('web', 'default', { app: 'web', tier: 'front' }));
    expect(server.resourceVersion).toBe(before);
  });

  test('rejects a kind the fixture does not serve', () => {
    expect(() => server.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toThrow(TypeError);
  });
});

describe('LIST', () => {
  test('cluster-wide list: XList with resourceVersion, items sorted by namespace/name, no apiVersion/kind on items', async () => {
    const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'IngressList', apiVersion: 'networking.k8s.io/v1', metadata: { resourceVersion: server.resourceVersion } });
    expect(names(body)).toEqual(['default/api', 'default/web', 'ops/admin', 'ops/bare']);
    expect(body.items[0]).not.toHaveProperty('kind');
    expect(body.items[0]).not.toHaveProperty('apiVersion');
  });

  test('per-namespace list', async () => {
    const { body } = await getJson(`${url}/apis/networking.k8s.io/v1/namespaces/ops/ingresses`);
    expect(names(body)).toEqual(['ops/admin', 'ops/bare']);
  });

  test('cluster-scoped type', async () => {
    const { body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingressclasses`);
    expect(body.kind).toBe('IngressClassList');
    expect(names(body)).toEqual(['/switchyard']);
  });

  test.each([
    ['app=web', ['default/web']],
    ['app==web', ['default/web']],
    ['app!=web', ['default/api', 'ops/admin', 'ops/bare']],
    ['tier', ['default/api', 'default/web']],
    ['!tier', ['ops/admin', 'ops/bare']],
    ['app in (web,admin)', ['default/web', 'ops/admin']],
    ['app notin (web,admin)', ['default/api', 'ops/bare']],
    ['app,tier=back', ['default/api']],
  ])('labelSelector %s', async (selector, expected) => {
    const { body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?labelSelector=${encodeURIComponent(selector)}`);
    expect(names(body)).toEqual(expected);
  });

  test.each([
    ['metadata.name=web', ['default/web']],
    ['metadata.namespace=ops', ['ops/admin', 'ops/bare']],
    ['metadata.namespace!=ops,metadata.name!=web', ['default/api']],
  ])('fieldSelector %s', async (selector, expected) => {
    const { body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?fieldSelector=${encodeURIComponent(selector)}`);
    expect(names(body)).toEqual(expected);
  });

  test.each([['labelSelector', 'app in ('], ['fieldSelector', 'spec.rules=x']])('a bad %s is a 400 BadRequest', async (param, value) => {
    const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?${param}=${encodeURIComponent(value)}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  test('limit + continue pages through one consistent snapshot', async () => {
    const first = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?limit=3`);
    expect(names(first.body)).toEqual(['default/api', 'default/web', 'ops/admin']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue as string;
    // Changes after the first page do not leak into later pages.
    server.remove('Ingress/ops/bare');
    server.apply(ingress('zzz', 'ops'));
    const second = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?limit=3&continue=${encodeURIComponent(token)}`);
    expect(names(second.body)).toEqual(['ops/bare']);
    expect(second.body.metadata.continue).toBeUndefined();
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  test('a continue token from compacted history is 410 Expired', async () => {
    const first = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?limit=1`);
    server.apply(ingress('later'));
    server.compactHistory();
    const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?limit=1&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(status).toBe(410);
    expect(body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  test('a continue token that is not one is a 400', async () => {
    const { status } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?continue=nonsense`);
    expect(status).toBe(400);
  });
});

describe('GET one object', () => {
  test('namespaced, with apiVersion and kind', async () => {
    const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/namespaces/default/ingresses/web`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' } });
  });

  test('cluster-scoped', async () => {
    const { body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingressclasses/switchyard`);
    expect(body).toMatchObject({ kind: 'IngressClass', metadata: { name: 'switchyard' } });
  });

  test('core v1 Secret and discovery.k8s.io EndpointSlice', async () => {
    server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls', data: {} });
    server.apply({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [], ports: [] });
    expect((await getJson(`${url}/api/v1/namespaces/default/secrets/tls`)).body.kind).toBe('Secret');
    const slices = await getJson(`${url}/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb`);
    expect(names(slices.body)).toEqual(['default/web-abc']);
  });

  test('a missing object is a 404 Status naming it', async () => {
    const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/namespaces/default/ingresses/nope`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ kind: 'Status', reason: 'NotFound', details: { name: 'nope', group: 'networking.k8s.io', kind: 'ingresses' } });
  });
});
