import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CertificateStore, isTlsError } from '@switchyard/tls';
import { createTestCa, handshake, type PemPair, type TestCa } from '@switchyard/test-utils';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTlsServer, type TestTlsServer } from './helpers.js';

let ca: TestCa;
let exact: PemPair;
let wildcard: PemPair;
let fallback: PemPair;
let server: TestTlsServer | undefined;

beforeAll(async () => {
  ca = await createTestCa();
  [exact, wildcard, fallback] = await Promise.all([
    ca.issue({ hosts: ['shop.example.com'] }),
    ca.issue({ hosts: ['*.apps.example.com'] }),
    ca.issue({ hosts: ['default.example.com'] }),
  ]);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function storeWith(withDefault: boolean): CertificateStore {
  return new CertificateStore({
    certificates: [exact, wildcard],
    ...(withDefault ? { defaultCertificate: { ...fallback, source: 'default.pem' } } : {}),
  });
}

describe('with a default certificate', () => {
  test.each([
    ['an exact host', 'shop.example.com', 'DNS:shop.example.com'],
    ['an exact host in capitals', 'SHOP.Example.COM', 'DNS:shop.example.com'],
    ['an exact host with a trailing dot', 'shop.example.com.', 'DNS:shop.example.com'],
    ['one label under a wildcard', 'a.apps.example.com', 'DNS:*.apps.example.com'],
    ['the apex of a wildcard', 'apps.example.com', 'DNS:default.example.com'],
    ['two labels under a wildcard', 'a.b.apps.example.com', 'DNS:default.example.com'],
    ['an unknown name', 'unknown.example.com', 'DNS:default.example.com'],
  ])('%s: %s gets %s', async (_what, servername, sans) => {
    server = await startTlsServer(storeWith(true).serverOptions());
    // The client checks the name against what the served certificate is for, so the chain and the name are both verified.
    const expectName = sans === 'DNS:default.example.com' ? 'default.example.com' : servername.toLowerCase().replace(/\.$/, '');
    expect(await handshake(server.port, ca.certPem, servername, expectName)).toEqual({ ok: true, sans, body: 'hello' });
  });

  test('a client that sends no SNI gets the default certificate', async () => {
    server = await startTlsServer(storeWith(true).serverOptions());
    expect(await handshake(server.port, ca.certPem, undefined, 'default.example.com')).toEqual({ ok: true, sans: 'DNS:default.example.com', body: 'hello' });
  });

  test('an https server serves by SNI too', async () => {
    const httpsServer = https.createServer(storeWith(true).serverOptions(), (_req, res) => res.end('over https'));
    httpsServer.listen(0, '127.0.0.1');
    await once(httpsServer, 'listening');
    try {
      const { port } = httpsServer.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string; sans: string }>((resolve, reject) => {
        const req = https.get({ host: '127.0.0.1', port, servername: 'x.apps.example.com', headers: { host: 'x.apps.example.com' }, ca: ca.certPem, agent: false }, (res) => {
          const sans = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().subjectaltname ?? '';
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sans }));
        });
        req.on('error', reject);
      });
      expect(answer).toEqual({ status: 200, body: 'over https', sans: 'DNS:*.apps.example.com' });
    } finally {
      await new Promise((resolve) => httpsServer.close(resolve));
    }
  });
});

describe('without a default certificate', () => {
  test('known names are still served', async () => {
    server = await startTlsServer(storeWith(false).serverOptions());
    expect(await handshake(server.port, ca.certPem, 'shop.example.com')).toMatchObject({ ok: true, sans: 'DNS:shop.example.com' });
  });

  test('an unknown name aborts the handshake: the server reports SWY_TLS_UNKNOWN_SERVERNAME, the client sees a reset', async () => {
    server = await startTlsServer(storeWith(false).serverOptions());
    const failed = once(server.server, 'tlsClientError');
    const seen = await handshake(server.port, ca.certPem, 'unknown.example.com');
    const [error] = (await failed) as [unknown];
    expect(seen).toEqual({ ok: false, code: 'ECONNRESET' });
    expect(isTlsError(error, 'SWY_TLS_UNKNOWN_SERVERNAME')).toBe(true);
    expect(error).toMatchObject({ field: 'servername' });
  });

  test('two labels under a wildcard is unknown too', async () => {
    server = await startTlsServer(storeWith(false).serverOptions());
    expect(await handshake(server.port, ca.certPem, 'a.b.apps.example.com')).toEqual({ ok: false, code: 'ECONNRESET' });
  });

  test('a client without SNI gets a handshake_failure alert (no certificate to offer)', async () => {
    server = await startTlsServer(storeWith(false).serverOptions());
    expect(await handshake(server.port, ca.certPem, undefined, 'shop.example.com')).toEqual({ ok: false, code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
  });
});
