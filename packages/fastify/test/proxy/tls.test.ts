import { afterAll, beforeAll, expect, test } from 'vitest';
import { Agent, request } from 'undici';
import { createTestCa, handshake, type SeenRequest, startUpstream, type TestCa, tlsSecret, type Upstream } from '@switchyard/test-utils';
import { CertificateStore } from '@switchyard/tls';
import type { Ingress } from '@switchyard/core';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let ca: TestCa;
let shop: Upstream, apps: Upstream, plain: Upstream;
let gw: TestGateway;
let httpsPort: number;
let certificates: CertificateStore;

beforeAll(async () => {
  ca = await createTestCa();
  [shop, apps, plain] = await Promise.all([startUpstream('shop'), startUpstream('apps'), startUpstream('plain')]);
  const routes = ingress('web', [
    ['shop.example.com', '/', 'Prefix', 'shop', 80],
    ['*.apps.example.com', '/', 'Prefix', 'apps', 80],
    ['plain.example.com', '/', 'Prefix', 'plain', 80],
  ]);
  const withTls: Ingress = { ...routes, spec: { ...routes.spec, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }, { hosts: ['*.apps.example.com'], secretName: 'apps-tls' }] } };
  certificates = new CertificateStore({
    ingresses: [withTls],
    secrets: [tlsSecret('shop-tls', 'default', await ca.issue({ hosts: ['shop.example.com'] })), tlsSecret('apps-tls', 'default', await ca.issue({ hosts: ['*.apps.example.com'] }))],
    defaultCertificate: await ca.issue({ hosts: ['default.invalid'] }),
  });
  expect(certificates.diagnostics).toEqual([]);
  gw = await startTestGateway([withTls], { 'default/shop:80': at(shop.port), 'default/apps:80': at(apps.port), 'default/plain:80': at(plain.port) }, {
    https: { listen: { host: '127.0.0.1', port: 0 }, certificates },
  });
  httpsPort = Number(new URL(gw.gateway.urls.https!).port);
});
afterAll(async () => {
  await gw.close();
  await Promise.all([shop, apps, plain].map((u) => u.close()));
});

async function httpsGet(host: string, path: string) {
  const dispatcher = new Agent({ connect: { ca: ca.certPem, servername: host } });
  try {
    const response = await request(`https://127.0.0.1:${httpsPort}${path}`, { headers: { host }, dispatcher });
    return { status: response.statusCode, echo: JSON.parse(await response.body.text()) as SeenRequest };
  } finally {
    await dispatcher.close();
  }
}

test.each([
  ['shop.example.com', 'shop.example.com', 'DNS:shop.example.com'],
  ['tenant.apps.example.com', 'tenant.apps.example.com', 'DNS:*.apps.example.com'],
  ['unknown.example.com', 'default.invalid', 'DNS:default.invalid'],
  [undefined, 'default.invalid', 'DNS:default.invalid'],
])('SNI %s is served a certificate for %s (%s), verified against the test CA', async (servername, expectName, san) => {
  const result = await handshake(httpsPort, ca.certPem, servername, expectName);
  expect(result).toMatchObject({ ok: true });
  expect(result.ok && result.sans).toBe(san);
});

test('HTTPS requests are routed and verified against the CA, with X-Forwarded-Proto https', async () => {
  const { status, echo } = await httpsGet('shop.example.com', '/cart?x=1');
  expect(status).toBe(200);
  expect(echo).toMatchObject({ upstream: 'shop', url: '/cart?x=1' });
  expect(echo.headers['x-forwarded-proto']).toBe('https');
  expect((await httpsGet('tenant.apps.example.com', '/')).echo.upstream).toBe('apps');
});

test('plain HTTP for a TLS host redirects to HTTPS with 308, keeping path and query', async () => {
  const response = await request(`${gw.url}/cart/../checkout?step=2`, { headers: { host: 'Shop.Example.com:8080' } });
  expect(response.statusCode).toBe(308);
  expect(response.headers.location).toBe(`https://shop.example.com:${httpsPort}/checkout?step=2`);
  await response.body.dump();
  const wildcard = await request(`${gw.url}/`, { headers: { host: 'x.apps.example.com' } });
  expect(wildcard.statusCode).toBe(308);
  await wildcard.body.dump();
  expect(shop.seen.filter((s) => s.url.startsWith('/checkout'))).toEqual([]);
});

test('plain HTTP for a host without TLS is proxied', async () => {
  const response = await request(`${gw.url}/`, { headers: { host: 'plain.example.com' } });
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(await response.body.text())).toMatchObject({ upstream: 'plain' });
});

test('a certificate update reaches new handshakes without a restart', async () => {
  const renewed = await ca.issue({ hosts: ['shop.example.com', 'www.shop.example.com'] });
  const routes = ingress('web', [['shop.example.com', '/', 'Prefix', 'shop', 80]]);
  certificates.update({ ingresses: [{ ...routes, spec: { ...routes.spec, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] } }], secrets: [tlsSecret('shop-tls', 'default', renewed)] });
  const result = await handshake(httpsPort, ca.certPem, 'shop.example.com');
  expect(result).toMatchObject({ ok: true });
  expect(result.ok && result.sans).toBe('DNS:shop.example.com, DNS:www.shop.example.com');
});

test('the redirect names the public HTTPS port when one is given (a load balancer in front)', async () => {
  const behindLb = await startTestGateway([ingress('lb', [['shop.example.com', '/', 'Prefix', 'shop', 80]])], { 'default/shop:80': at(shop.port) }, {
    https: { listen: { host: '127.0.0.1', port: 0 }, certificates },
    publicHttpsPort: 443,
  });
  try {
    const response = await request(`${behindLb.url}/a?b=1`, { headers: { host: 'shop.example.com' } });
    expect(response.statusCode).toBe(308);
    expect(response.headers.location).toBe('https://shop.example.com/a?b=1');
    await response.body.dump();
  } finally {
    await behindLb.close();
  }
});
