import { once } from 'node:events';
import tls from 'node:tls';
import { CertificateStore, isTlsError } from '@switchyard/tls';
import { createTestCa, handshake, type PemPair, type TestCa } from '@switchyard/test-utils';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { startTlsServer, type TestTlsServer } from './helpers.js';

let ca: TestCa;
let v1: PemPair;
let v2: PemPair;
let default1: PemPair;
let default2: PemPair;
let server: TestTlsServer | undefined;

beforeAll(async () => {
  ca = await createTestCa();
  [v1, v2, default1, default2] = await Promise.all([
    ca.issue({ hosts: ['shop.example.com'] }),
    ca.issue({ hosts: ['shop.example.com', 'v2.example.com'] }),
    ca.issue({ hosts: ['default.example.com'] }),
    ca.issue({ hosts: ['default.example.com', 'second.example.com'] }),
  ]);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Reads from `socket` until what arrived ends with `suffix`; pauses it again after, so nothing is lost between reads. */
function readUntil(socket: tls.TLSSocket, suffix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (!text.endsWith(suffix)) return;
      socket.off('data', onData).off('error', reject).pause();
      resolve(text);
    };
    socket.on('data', onData).once('error', reject).resume();
  });
}

test('update() serves new handshakes with the new certificate; an open connection keeps its own', async () => {
  const store = new CertificateStore({ certificates: [v1] });
  server = await startTlsServer(store.serverOptions());
  const open = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'shop.example.com', ca: ca.certPem });
  try {
    await once(open, 'secureConnect');
    expect(await readUntil(open, 'hello')).toBe('hello');
    expect(open.getPeerCertificate().subjectaltname).toBe('DNS:shop.example.com');

    expect(store.update({ certificates: [v2] })).toEqual([]);
    expect(await handshake(server.port, ca.certPem, 'shop.example.com')).toMatchObject({ ok: true, sans: 'DNS:shop.example.com, DNS:v2.example.com' });
    expect(await handshake(server.port, ca.certPem, 'v2.example.com')).toMatchObject({ ok: true, sans: 'DNS:shop.example.com, DNS:v2.example.com' });

    // The connection made before the update still works, on the certificate it was made with.
    open.write('ping');
    expect(await readUntil(open, 'ping')).toBe('ping');
    expect(open.getPeerCertificate().subjectaltname).toBe('DNS:shop.example.com');
  } finally {
    open.destroy();
  }
});

test('update() can take a host away: it is then no TLS host and its name gets the default', async () => {
  const store = new CertificateStore({ certificates: [v2], defaultCertificate: default1 });
  expect(store.isTlsHost('v2.example.com')).toBe(true);
  store.update({ certificates: [v1], defaultCertificate: default1 });
  expect(store.isTlsHost('v2.example.com')).toBe(false);
  server = await startTlsServer(store.serverOptions());
  expect(await handshake(server.port, ca.certPem, 'v2.example.com', 'default.example.com')).toMatchObject({ ok: true, sans: 'DNS:default.example.com' });
});

test('an attached server gives clients without SNI the default certificate of the latest update', async () => {
  const store = new CertificateStore({ defaultCertificate: default1 });
  server = await startTlsServer(store.serverOptions());
  const detach = store.attach(server.server);
  expect(await handshake(server.port, ca.certPem, undefined, 'default.example.com')).toMatchObject({ ok: true, sans: 'DNS:default.example.com' });

  store.update({ defaultCertificate: default2 });
  expect(await handshake(server.port, ca.certPem, undefined, 'default.example.com')).toMatchObject({ ok: true, sans: 'DNS:default.example.com, DNS:second.example.com' });
  // SNI keeps working after the server's own context was replaced.
  store.update({ defaultCertificate: default2, certificates: [v1] });
  expect(await handshake(server.port, ca.certPem, 'shop.example.com')).toMatchObject({ ok: true, sans: 'DNS:shop.example.com' });

  detach();
  store.update({ defaultCertificate: default1 });
  expect(await handshake(server.port, ca.certPem, undefined, 'default.example.com')).toMatchObject({ ok: true, sans: 'DNS:default.example.com, DNS:second.example.com' });
});

test('diagnostics follow the latest update', async () => {
  const store = new CertificateStore({ certificates: [{ cert: 'garbage', key: v1.key, source: 'bad.pem' }] });
  expect(store.diagnostics.map((d) => [d.code, d.object, d.field])).toEqual([['SWY_TLS_PEM_INVALID', 'bad.pem', 'cert']]);
  expect(store.update({ certificates: [v1] })).toEqual([]);
  expect(store.diagnostics).toEqual([]);
});

test('inputs of the wrong shape are API misuse: thrown, and the store keeps what it had', () => {
  expect(() => new CertificateStore({ ingresses: {} as never })).toThrow(expect.objectContaining({ code: 'SWY_TLS_INVALID_OPTIONS', field: 'ingresses' }));
  const store = new CertificateStore({ certificates: [v1] });
  let thrown: unknown;
  try {
    store.update({ certificates: [null as never] });
  } catch (error) {
    thrown = error;
  }
  expect(isTlsError(thrown, 'SWY_TLS_INVALID_OPTIONS')).toBe(true);
  expect(thrown).toMatchObject({ field: 'certificates[0]' });
  expect(store.isTlsHost('shop.example.com')).toBe(true);
});
