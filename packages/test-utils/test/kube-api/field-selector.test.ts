import type { KubeApiServer, KubeObject } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { getJson, startFixture, summary, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;

function secret(name: string, namespace: string, type: string | undefined): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, ...(type ? { type } : {}), data: {} };
}

beforeEach(async () => {
  ({ server, url } = await startFixture());
  server.apply(secret('web-tls', 'shop', 'kubernetes.io/tls'));
  server.apply(secret('db-password', 'shop', 'Opaque'));
  server.apply(secret('api-tls', 'ops', 'kubernetes.io/tls'));
  server.apply(secret('untyped', 'ops', undefined));
});
afterEach(() => server.close());

const names = (body: any) => body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);

test.each([
  ['type=kubernetes.io/tls', ['ops/api-tls', 'shop/web-tls']],
  ['type==kubernetes.io/tls', ['ops/api-tls', 'shop/web-tls']],
  ['type!=kubernetes.io/tls', ['ops/untyped', 'shop/db-password']],
  ['type=kubernetes.io/tls,metadata.namespace=shop', ['shop/web-tls']],
  // A Secret without a type matches the empty value, as a missing field does.
  ['type=', ['ops/untyped']],
])('Secrets LIST with fieldSelector %s', async (selector, expected) => {
  const { status, body } = await getJson(`${url}/api/v1/secrets?fieldSelector=${encodeURIComponent(selector)}`);
  expect(status).toBe(200);
  expect(names(body)).toEqual(expected);
});

test('per namespace too', async () => {
  const { body } = await getJson(`${url}/api/v1/namespaces/shop/secrets?fieldSelector=${encodeURIComponent('type=kubernetes.io/tls')}`);
  expect(names(body)).toEqual(['shop/web-tls']);
});

test('`type` is a Secret field label only: on another type it is a 400, as on the API server', async () => {
  const { status, body } = await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?fieldSelector=${encodeURIComponent('type=kubernetes.io/tls')}`);
  expect(status).toBe(400);
  expect(body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'field label not supported: type' });
});

test('a WATCH with a type selector sees only the Secrets of that type', async () => {
  const reader = await WatchReader.open(`${url}/api/v1/secrets?watch=true&resourceVersion=${server.resourceVersion}&fieldSelector=${encodeURIComponent('type=kubernetes.io/tls')}`);
  try {
    server.apply(secret('other-password', 'shop', 'Opaque'));
    server.apply(secret('new-tls', 'shop', 'kubernetes.io/tls'));
    server.remove('Secret/shop/db-password');
    server.remove('Secret/shop/web-tls');
    expect(summary(await reader.take(2))).toEqual(['ADDED new-tls', 'DELETED web-tls']);
  } finally {
    reader.close();
  }
});
