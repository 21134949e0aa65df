import { CertificateStore } from '@switchyard/tls';
import { createTestCa, tlsSecret, type PemPair } from '@switchyard/test-utils';
import { beforeAll, expect, test } from 'vitest';
import { tlsIngress } from './helpers.js';

let web: PemPair;
let apps: PemPair;

beforeAll(async () => {
  const ca = await createTestCa();
  [web, apps] = await Promise.all([ca.issue({ hosts: ['web.example.com'] }), ca.issue({ hosts: ['*.apps.example.com'] })]);
});

test.each([
  ['web.example.com', true],
  ['a.apps.example.com', true],
  ['pem.example.com', true],
  ['missing.example.com', true], // its Secret is missing: still a TLS host, so HTTP still redirects
  ['apps.example.com', false],
  ['a.b.apps.example.com', false],
  ['example.com', false],
  ['other.example.com', false],
  ['', false],
  ['.apps.example.com', false],
])('isTlsHost(%j) is %s', (host, expected) => {
  const store = new CertificateStore({
    ingresses: [
      tlsIngress('web', ['web.example.com'], [{ secretName: 'web-tls' }]),
      tlsIngress('apps', ['*.apps.example.com'], [{ hosts: ['*.apps.example.com'], secretName: 'apps-tls' }]),
      tlsIngress('missing', ['missing.example.com'], [{ secretName: 'nowhere' }]),
    ],
    secrets: [tlsSecret('web-tls', 'shop', web), tlsSecret('apps-tls', 'shop', apps)],
    certificates: [{ ...web, hosts: ['PEM.example.com.'] }],
  });
  expect(store.isTlsHost(host)).toBe(expected);
});

test('a PEM certificate without hosts serves its DNS subjectAltNames', () => {
  const store = new CertificateStore({ certificates: [apps] });
  expect(store.isTlsHost('x.apps.example.com')).toBe(true);
  expect(store.describe().map((a) => [a.host, a.source])).toEqual([['*.apps.example.com', 'certificates[0]']]);
});

test('an empty store serves nothing', () => {
  const store = new CertificateStore();
  expect(store.isTlsHost('web.example.com')).toBe(false);
  expect(store.describe()).toEqual([]);
  expect(store.diagnostics).toEqual([]);
  expect(Object.keys(store.serverOptions())).toEqual(['SNICallback']);
});
