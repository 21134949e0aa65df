import type { Secret } from '@switchyard/core';
import { CertificateStore, type TlsInputs } from '@switchyard/tls';
import { createTestCa, handshake, tlsSecret, type PemPair, type TestCa } from '@switchyard/test-utils';
import { beforeAll, describe, expect, test } from 'vitest';
import { startTlsServer, tlsIngress } from './helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let ca: TestCa;
let web: PemPair;
let stranger: PemPair;
let expired: PemPair;
let future: PemPair;
let fallback: PemPair;

beforeAll(async () => {
  ca = await createTestCa();
  const now = Date.now();
  [web, stranger, expired, future, fallback] = await Promise.all([
    ca.issue({ hosts: ['web.example.com'] }),
    ca.issue({ hosts: ['web.example.com'] }),
    ca.issue({ hosts: ['web.example.com'], notBefore: new Date(now - 10 * DAY_MS), notAfter: new Date(now - DAY_MS) }),
    ca.issue({ hosts: ['web.example.com'], notBefore: new Date(now + DAY_MS), notAfter: new Date(now + 10 * DAY_MS) }),
    ca.issue({ hosts: ['default.example.com'] }),
  ]);
});

const ingress = () => tlsIngress('web', ['web.example.com'], [{ hosts: ['web.example.com'], secretName: 'web-tls' }]);
const withSecret = (secret: Secret | undefined): TlsInputs => ({ ingresses: [ingress()], secrets: secret ? [secret] : [], defaultCertificate: fallback });
const summary = (store: CertificateStore) => store.diagnostics.map((d) => ({ code: d.code, severity: d.severity, object: d.object, field: d.field, related: d.related }));
const viaIngress = { object: 'shop/web', field: 'spec.tls[0].secretName' };

describe('each unusable Secret is a diagnostic, and its host falls back to the default certificate', () => {
  const cases: Array<[string, () => Secret | undefined, object]> = [
    ['a missing Secret', () => undefined, { code: 'SWY_TLS_SECRET_NOT_FOUND', severity: 'error', object: 'shop/web', field: 'spec.tls[0].secretName', related: undefined }],
    ['a Secret of the wrong type', () => ({ ...tlsSecret('web-tls', 'shop', web), type: 'Opaque' }) as unknown as Secret, { code: 'SWY_TLS_SECRET_WRONG_TYPE', severity: 'error', object: 'shop/web-tls', field: 'type', related: viaIngress }],
    [
      'a tls.crt that is no PEM',
      () => ({ ...tlsSecret('web-tls', 'shop', web), data: { 'tls.crt': Buffer.from('not a certificate').toString('base64'), 'tls.key': Buffer.from(web.key).toString('base64') } }),
      { code: 'SWY_TLS_PEM_INVALID', severity: 'error', object: 'shop/web-tls', field: 'data[tls.crt]', related: viaIngress },
    ],
    [
      'a tls.key that is missing',
      () => ({ ...tlsSecret('web-tls', 'shop', web), data: { 'tls.crt': Buffer.from(web.cert).toString('base64') } }),
      { code: 'SWY_TLS_PEM_INVALID', severity: 'error', object: 'shop/web-tls', field: 'data[tls.key]', related: viaIngress },
    ],
    ['a key of another certificate', () => tlsSecret('web-tls', 'shop', { cert: web.cert, key: stranger.key }), { code: 'SWY_TLS_KEY_MISMATCH', severity: 'error', object: 'shop/web-tls', field: 'data[tls.key]', related: viaIngress }],
    ['an expired certificate', () => tlsSecret('web-tls', 'shop', expired), { code: 'SWY_TLS_CERT_EXPIRED', severity: 'error', object: 'shop/web-tls', field: 'data[tls.crt]', related: viaIngress }],
    ['a certificate not valid yet', () => tlsSecret('web-tls', 'shop', future), { code: 'SWY_TLS_CERT_NOT_YET_VALID', severity: 'error', object: 'shop/web-tls', field: 'data[tls.crt]', related: viaIngress }],
  ];

  test.each(cases)('%s', async (_what, secret, expected) => {
    const store = new CertificateStore(withSecret(secret()));
    expect(summary(store)).toEqual([expected]);
    expect(store.isTlsHost('web.example.com')).toBe(true);
    expect(store.describe()).toEqual([expect.objectContaining({ host: 'web.example.com', fallback: true, sans: ['default.example.com'] })]);
    const server = await startTlsServer(store.serverOptions());
    try {
      expect(await handshake(server.port, ca.certPem, 'web.example.com', 'default.example.com')).toMatchObject({ ok: true, sans: 'DNS:default.example.com' });
    } finally {
      await server.close();
    }
  });
});

test('a Secret named by two Ingresses is reported once', () => {
  const second = tlsIngress('web2', ['web.example.com'], [{ secretName: 'web-tls' }]);
  const store = new CertificateStore({ ingresses: [ingress(), second], secrets: [tlsSecret('web-tls', 'shop', expired)] });
  expect(summary(store).map((d) => d.code)).toEqual(['SWY_TLS_CERT_EXPIRED']);
});

test('stringData problems name the stringData field', () => {
  const secret: Secret = { metadata: { name: 'web-tls', namespace: 'shop' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'garbage', 'tls.key': web.key } };
  const store = new CertificateStore(withSecret(secret));
  expect(summary(store)).toEqual([expect.objectContaining({ code: 'SWY_TLS_PEM_INVALID', field: 'stringData[tls.crt]' })]);
});

test('an entry without secretName: its hosts are TLS hosts on the default certificate', () => {
  const store = new CertificateStore({ ingresses: [tlsIngress('web', ['web.example.com'], [{ hosts: ['web.example.com'] }])], defaultCertificate: fallback });
  expect(summary(store)).toEqual([{ code: 'SWY_TLS_NO_SECRET_NAME', severity: 'warning', object: 'shop/web', field: 'spec.tls[0].secretName', related: undefined }]);
  expect(store.isTlsHost('web.example.com')).toBe(true);
});

test('an entry without hosts on an Ingress whose rules name none serves nothing', () => {
  const onlyDefault = { ...tlsIngress('web', [], [{ secretName: 'web-tls' }]), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, tls: [{ secretName: 'web-tls' }] } };
  const store = new CertificateStore({ ingresses: [onlyDefault], secrets: [tlsSecret('web-tls', 'shop', web)] });
  expect(summary(store)).toEqual([expect.objectContaining({ code: 'SWY_TLS_NO_HOSTS', object: 'shop/web', field: 'spec.tls[0].hosts' })]);
  expect(store.describe()).toEqual([]);
});

test('a host the certificate does not name is a warning, and served anyway', () => {
  const store = new CertificateStore({ ingresses: [tlsIngress('web', ['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'web-tls' }])], secrets: [tlsSecret('web-tls', 'shop', web)] });
  expect(summary(store)).toEqual([expect.objectContaining({ code: 'SWY_TLS_HOST_NOT_IN_CERTIFICATE', severity: 'warning', object: 'shop/web', field: 'spec.tls[0].hosts[0]' })]);
  expect(store.describe()).toEqual([expect.objectContaining({ host: 'shop.example.com', source: 'Secret shop/web-tls', fallback: false })]);
});

describe('PEM certificates given directly name their source and the field cert or key', () => {
  test.each([
    ['an unparsable certificate', () => ({ cert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', key: web.key }), 'SWY_TLS_PEM_INVALID', 'cert'],
    ['an unparsable key', () => ({ cert: web.cert, key: 'not a key' }), 'SWY_TLS_PEM_INVALID', 'key'],
    ['a mismatched key', () => ({ cert: web.cert, key: stranger.key }), 'SWY_TLS_KEY_MISMATCH', 'key'],
    ['an expired certificate', () => expired, 'SWY_TLS_CERT_EXPIRED', 'cert'],
  ])('%s', (_what, pair, code, field) => {
    const store = new CertificateStore({ certificates: [{ ...pair(), hosts: ['web.example.com'], source: '/etc/tls/web.pem' }], defaultCertificate: { ...pair(), source: '/etc/tls/default.pem' } });
    expect(summary(store)).toEqual([
      { code, severity: 'error', object: '/etc/tls/web.pem', field, related: undefined },
      { code, severity: 'error', object: '/etc/tls/default.pem', field, related: undefined },
    ]);
    // The host named with the certificate stays a TLS host; with no usable default, nothing serves it.
    expect(store.isTlsHost('web.example.com')).toBe(true);
    expect(store.describe()).toEqual([{ host: 'web.example.com', source: 'none', notAfter: '', sans: [], fallback: true }]);
    expect(store.serverOptions()).not.toHaveProperty('cert');
  });

  test('without a source, the position names it', () => {
    const store = new CertificateStore({ certificates: [web, { cert: 'x', key: 'y' }] });
    expect(summary(store).map((d) => [d.object, d.field])).toEqual([
      ['certificates[1]', 'cert'],
      ['certificates[1]', 'key'],
    ]);
  });
});
