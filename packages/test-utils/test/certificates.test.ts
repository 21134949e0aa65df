import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createTestCa, tlsSecret } from '@switchyard/test-utils';
import { expect, test } from 'vitest';

test('issue() signs a leaf for the hosts, with the validity asked for, verifiable against the CA', async () => {
  const ca = await createTestCa();
  const notBefore = new Date('2020-01-01T00:00:00Z');
  const notAfter = new Date('2020-02-01T00:00:00Z');
  const pair = await ca.issue({ hosts: ['a.example.com', '*.apps.example.com'], notBefore, notAfter });
  const leaf = new X509Certificate(pair.cert);
  const caCert = new X509Certificate(ca.certPem);
  expect(leaf.subjectAltName).toBe('DNS:a.example.com, DNS:*.apps.example.com');
  expect(new Date(leaf.validFrom).toISOString()).toBe(notBefore.toISOString());
  expect(new Date(leaf.validTo).toISOString()).toBe(notAfter.toISOString());
  expect(leaf.checkIssued(caCert)).toBe(true);
  expect(leaf.verify(caCert.publicKey)).toBe(true);
  expect(leaf.ca).toBe(false);
  expect(caCert.ca).toBe(true);
  expect(leaf.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
});

test('two leaves have different keys and serials', async () => {
  const ca = await createTestCa();
  const [a, b] = await Promise.all([ca.issue({ hosts: ['a.example.com'] }), ca.issue({ hosts: ['a.example.com'] })]);
  expect(a.key).not.toBe(b.key);
  expect(new X509Certificate(a.cert).serialNumber).not.toBe(new X509Certificate(b.cert).serialNumber);
});

test('tlsSecret() holds the pair base64-encoded in a kubernetes.io/tls Secret', async () => {
  const pair = await (await createTestCa()).issue({ hosts: ['a.example.com'] });
  const secret = tlsSecret('web-tls', 'shop', pair);
  expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-tls', namespace: 'shop' }, type: 'kubernetes.io/tls' });
  expect(Buffer.from(secret.data['tls.crt'], 'base64').toString()).toBe(pair.cert);
  expect(Buffer.from(secret.data['tls.key'], 'base64').toString()).toBe(pair.key);
});
