import type { IngressClass, Secret } from '@switchyard/core';
import { CertificateStore } from '@switchyard/tls';
import { createTestCa, handshake, tlsSecret, type PemPair, type TestCa } from '@switchyard/test-utils';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { startTlsServer, tlsIngress, type TestTlsServer } from './helpers.js';

let ca: TestCa;
let web: PemPair;
let apps: PemPair;
let fallback: PemPair;
let other: PemPair;
let server: TestTlsServer | undefined;

beforeAll(async () => {
  ca = await createTestCa();
  [web, apps, fallback, other] = await Promise.all([
    ca.issue({ hosts: ['web.example.com', 'www.example.com'] }),
    ca.issue({ hosts: ['*.apps.example.com'] }),
    ca.issue({ hosts: ['default.example.com'] }),
    ca.issue({ hosts: ['web.example.com'] }),
  ]);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DEFAULT_NAME = 'default.example.com';

async function serve(store: CertificateStore) {
  server = await startTlsServer(store.serverOptions());
  return server;
}

test('an Ingress spec.tls entry is served with the certificate of the Secret it names, in its namespace', async () => {
  const store = new CertificateStore({
    ingresses: [tlsIngress('web', ['web.example.com'], [{ hosts: ['web.example.com'], secretName: 'web-tls' }])],
    secrets: [tlsSecret('web-tls', 'shop', web)],
    defaultCertificate: fallback,
  });
  expect(store.diagnostics).toEqual([]);
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'web.example.com')).toMatchObject({ ok: true, sans: 'DNS:web.example.com, DNS:www.example.com' });
  // www is in the certificate but not in spec.tls: not ours to serve with it.
  expect(await handshake(port, ca.certPem, 'www.example.com', DEFAULT_NAME)).toMatchObject({ ok: true, sans: `DNS:${DEFAULT_NAME}` });
  expect(store.describe()).toEqual([{ host: 'web.example.com', source: 'Secret shop/web-tls', notAfter: expect.stringMatching(/^\d{4}-/), sans: ['web.example.com', 'www.example.com'], fallback: false }]);
});

test('a wildcard spec.tls host serves one label under it', async () => {
  const store = new CertificateStore({
    ingresses: [tlsIngress('apps', ['*.apps.example.com'], [{ hosts: ['*.apps.example.com'], secretName: 'apps-tls' }])],
    secrets: [tlsSecret('apps-tls', 'shop', apps)],
  });
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'a.apps.example.com')).toMatchObject({ ok: true, sans: 'DNS:*.apps.example.com' });
  expect(await handshake(port, ca.certPem, 'apps.example.com')).toEqual({ ok: false, code: 'ECONNRESET' });
});

test('an entry without hosts covers the hosts of its Ingress rules', async () => {
  const store = new CertificateStore({
    ingresses: [tlsIngress('web', ['web.example.com', 'www.example.com'], [{ secretName: 'web-tls' }])],
    secrets: [tlsSecret('web-tls', 'shop', web)],
  });
  expect(store.diagnostics).toEqual([]);
  expect(store.describe().map((a) => a.host)).toEqual(['web.example.com', 'www.example.com']);
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'www.example.com')).toMatchObject({ ok: true, sans: 'DNS:web.example.com, DNS:www.example.com' });
});

test('stringData (plain PEM) is read as well as data (base64)', async () => {
  const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-tls', namespace: 'shop' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': web.cert, 'tls.key': web.key } };
  const store = new CertificateStore({ ingresses: [tlsIngress('web', ['web.example.com'], [{ secretName: 'web-tls' }])], secrets: [secret] });
  expect(store.diagnostics).toEqual([]);
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'web.example.com')).toMatchObject({ ok: true });
});

test('an Ingress of another class gives no TLS host; one of ours does', async () => {
  const ours = tlsIngress('ours', ['web.example.com'], [{ secretName: 'web-tls' }], { ingressClassName: 'switchyard' });
  const theirs = tlsIngress('theirs', ['apps.example.com'], [{ hosts: ['*.apps.example.com'], secretName: 'apps-tls' }], { ingressClassName: 'nginx' });
  const store = new CertificateStore({ ingresses: [ours, theirs], ingressClass: 'switchyard', secrets: [tlsSecret('web-tls', 'shop', web), tlsSecret('apps-tls', 'shop', apps)], defaultCertificate: fallback });
  expect(store.isTlsHost('web.example.com')).toBe(true);
  expect(store.isTlsHost('a.apps.example.com')).toBe(false);
  expect(store.diagnostics).toEqual([]);
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'a.apps.example.com', DEFAULT_NAME)).toMatchObject({ ok: true, sans: `DNS:${DEFAULT_NAME}` });
});

test('an Ingress naming no class is ours when our IngressClass is the default one', () => {
  const unnamed = tlsIngress('web', ['web.example.com'], [{ secretName: 'web-tls' }]);
  const secrets = [tlsSecret('web-tls', 'shop', web)];
  const defaultClass: IngressClass = { metadata: { name: 'switchyard', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } };
  expect(new CertificateStore({ ingresses: [unnamed], ingressClass: 'switchyard', secrets }).isTlsHost('web.example.com')).toBe(false);
  expect(new CertificateStore({ ingresses: [unnamed], ingressClass: 'switchyard', ingressClasses: [defaultClass], secrets }).isTlsHost('web.example.com')).toBe(true);
});

test('an invalid Ingress gives nothing and no TLS diagnostic (compile reports it)', () => {
  const invalid = tlsIngress('bad', ['web.example.com'], [{ hosts: ['Web.Example.com'], secretName: 'web-tls' }]);
  const store = new CertificateStore({ ingresses: [invalid], secrets: [tlsSecret('web-tls', 'shop', web)] });
  expect(store.isTlsHost('web.example.com')).toBe(false);
  expect(store.diagnostics).toEqual([]);
});

test('a Secret of the same name in another namespace is not used', () => {
  const store = new CertificateStore({ ingresses: [tlsIngress('web', ['web.example.com'], [{ secretName: 'web-tls' }])], secrets: [tlsSecret('web-tls', 'elsewhere', web)] });
  expect(store.diagnostics.map((d) => [d.code, d.object, d.field])).toEqual([['SWY_TLS_SECRET_NOT_FOUND', 'shop/web', 'spec.tls[0].secretName']]);
});

test('two Ingresses naming one Secret for one host agree: no conflict', () => {
  const store = new CertificateStore({
    ingresses: [tlsIngress('a', ['web.example.com'], [{ secretName: 'web-tls' }]), tlsIngress('b', ['web.example.com'], [{ secretName: 'web-tls' }])],
    secrets: [tlsSecret('web-tls', 'shop', web)],
  });
  expect(store.diagnostics).toEqual([]);
});

test('two certificates for one host: the older Ingress keeps it, then Ingresses before PEM certificates', async () => {
  const older = { ...tlsIngress('older', ['web.example.com'], [{ secretName: 'other-tls' }]), metadata: { name: 'older', namespace: 'shop', creationTimestamp: '2024-01-01T00:00:00Z' } };
  const newer = { ...tlsIngress('newer', ['web.example.com'], [{ hosts: ['web.example.com'], secretName: 'web-tls' }]), metadata: { name: 'newer', namespace: 'shop', creationTimestamp: '2025-01-01T00:00:00Z' } };
  const store = new CertificateStore({
    // Listed newest first: the order of the input does not decide.
    ingresses: [newer, older],
    secrets: [tlsSecret('web-tls', 'shop', web), tlsSecret('other-tls', 'shop', other)],
    certificates: [{ ...web, hosts: ['web.example.com'], source: 'web.pem' }],
  });
  expect(store.diagnostics.map((d) => [d.code, d.object, d.field, d.related?.object])).toEqual([
    ['SWY_TLS_HOST_CONFLICT', 'shop/newer', 'spec.tls[0].hosts[0]', 'shop/older'],
    ['SWY_TLS_HOST_CONFLICT', 'web.pem', 'hosts[0]', 'shop/older'],
  ]);
  const { port } = await serve(store);
  expect(await handshake(port, ca.certPem, 'web.example.com')).toMatchObject({ ok: true, sans: 'DNS:web.example.com' });
});
