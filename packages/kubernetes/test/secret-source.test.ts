import type { Secret } from '@switchyard/core';
import { IngressSource, SecretSource } from '@switchyard/kubernetes';
import { eventually, KubeApiServer, type KubeObject } from '@switchyard/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ingressObject } from './helpers/ingress-object.js';

let server: KubeApiServer;
let source: SecretSource | undefined;

beforeEach(async () => {
  server = new KubeApiServer({ bookmarkIntervalMs: 100 });
  await server.start();
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  await server.close();
});

function secret(name: string, namespace = 'shop', type = 'kubernetes.io/tls', crt = `${name}-cert`): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type, data: { 'tls.crt': Buffer.from(crt).toString('base64'), 'tls.key': Buffer.from('key').toString('base64') } };
}

function start(namespaces?: string[]) {
  source = new SecretSource({
    connection: { server: server.address.url },
    debounceMs: 10,
    reflector: { backoff: { initialMs: 20, maxMs: 200 } },
    ...(namespaces ? { namespaces } : {}),
  });
  return source;
}

const names = (secrets: readonly Secret[] | undefined) => (secrets ?? []).map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort();
const crtOf = (secrets: readonly Secret[] | undefined, name: string) => {
  const found = secrets?.find((s) => s.metadata.name === name);
  return found?.data?.['tls.crt'] === undefined ? undefined : Buffer.from(found.data['tls.crt'], 'base64').toString();
};

test('the first set holds the TLS Secrets, typed, and no other Secret', async () => {
  server.apply(secret('web-tls'));
  server.apply(secret('db-password', 'shop', 'Opaque'));
  server.apply(secret('api-tls', 'ops'));
  const first = await start().ready();
  expect(names(first)).toEqual(['ops/api-tls', 'shop/web-tls']);
  expect(first.every((s) => s.apiVersion === 'v1' && s.kind === 'Secret' && s.type === 'kubernetes.io/tls')).toBe(true);
  expect(source!.current()).toBe(first);
});

test('the API server is asked for TLS Secrets only: others are never read', async () => {
  server.apply(secret('db-password', 'shop', 'Opaque'));
  await start().ready();
  const secretRequests = server.requests.filter((r) => r.path === '/api/v1/secrets');
  expect(secretRequests.length).toBeGreaterThan(0);
  expect(secretRequests.every((r) => r.query['fieldSelector'] === 'type=kubernetes.io/tls')).toBe(true);
});

test('a Secret added, updated and deleted reaches subscribers; a non-TLS Secret never appears', async () => {
  server.apply(secret('web-tls'));
  await start().ready();
  const sets: Secret[][] = [];
  source!.subscribe((secrets) => sets.push(secrets));
  expect(sets).toHaveLength(1);

  server.apply(secret('api-tls'));
  await eventually('api-tls added', () => names(sets.at(-1)).includes('shop/api-tls'));
  server.apply(secret('web-tls', 'shop', 'kubernetes.io/tls', 'renewed'));
  await eventually('web-tls updated', () => crtOf(sets.at(-1), 'web-tls') === 'renewed');
  server.remove('Secret/shop/api-tls');
  await eventually('api-tls deleted', () => !names(sets.at(-1)).includes('shop/api-tls'));

  // A TLS change after a non-TLS one: the set that arrives never held the other Secret.
  const before = sets.length;
  server.apply(secret('db-password', 'shop', 'Opaque'));
  server.apply(secret('late-tls'));
  await eventually('late-tls added', () => names(sets.at(-1)).includes('shop/late-tls'));
  expect(sets.slice(before).every((set) => !names(set).includes('shop/db-password'))).toBe(true);
  expect(names(sets.at(-1))).toEqual(['shop/late-tls', 'shop/web-tls']);
});

test('unsubscribe stops the calls', async () => {
  await start().ready();
  const sets: Secret[][] = [];
  const unsubscribe = source!.subscribe((secrets) => sets.push(secrets));
  unsubscribe();
  server.apply(secret('web-tls'));
  await eventually('the source to see it', () => names(source!.current()).includes('shop/web-tls'));
  expect(sets).toHaveLength(1);
});

test('namespaces limit what is read', async () => {
  server.apply(secret('web-tls'));
  server.apply(secret('api-tls', 'ops'));
  expect(names(await start(['ops']).ready())).toEqual(['ops/api-tls']);
  expect(Object.keys(source!.status())).toEqual(['secrets#0']);
  expect(server.requests.some((r) => r.path === '/api/v1/namespaces/ops/secrets')).toBe(true);
});

test('the last set stays while the API server is gone', async () => {
  server.apply(secret('web-tls'));
  const first = await start().ready();
  await server.close();
  await eventually('the loop to notice', () => Object.values(source!.status()).every((s) => s.lastError !== undefined));
  expect(source!.current()).toBe(first);
  await server.start();
  server.apply(secret('api-tls'));
  await eventually('api-tls after the restart', () => names(source!.current()).includes('shop/api-tls'), 10_000);
});

describe('IngressSource.ingresses() and ingressClasses(), the other TLS input from a cluster', () => {
  test('hold every Ingress and IngressClass, in scope or not', async () => {
    server.apply(ingressObject('a'));
    server.apply({ ...ingressObject('b'), spec: { ...ingressObject('b').spec, ingressClassName: 'other' } });
    server.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'switchyard' }, spec: { controller: 'example.com/switchyard' } });
    const ingresses = new IngressSource({ connection: { server: server.address.url }, debounceMs: 10, ingressClass: 'switchyard' });
    try {
      await ingresses.ready();
      expect(ingresses.ingresses().map((i) => i.metadata.name).sort()).toEqual(['a', 'b']);
      expect(ingresses.ingressClasses().map((c) => c.metadata.name)).toEqual(['switchyard']);
      server.remove('Ingress/shop/a');
      await eventually('a gone', () => ingresses.ingresses().length === 1);
    } finally {
      await ingresses.close();
    }
  });
});
