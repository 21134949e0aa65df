import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createTestCa, startUpstream, tlsSecret, type SeenRequest, type TestCa, type Upstream } from '@switchyard/test-utils';
import { CertificateStore } from '@switchyard/tls';
import type { Ingress } from '@switchyard/core';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http2Request, http2Session, readAnswer } from '../helpers/http2-client.js';
import { metricValue } from '../helpers/metric-value.js';

// The HTTPS listener negotiates h2 or HTTP/1.1 by ALPN; WebSocket upgrades stay on HTTP/1.1.

let ca: TestCa;
let shop: Upstream;
let chat: { port: number; close(): void };
let gw: TestGateway;
let httpsUrl: string;
let dir: string;

beforeAll(async () => {
  ca = await createTestCa();
  shop = await startUpstream('shop');
  const server = createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`chat:${data.toString()}`)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  chat = { port: (server.address() as AddressInfo).port, close: () => (wss.close(), server.closeAllConnections(), server.close()) };
  const routes = ingress('web', [['shop.example.com', '/', 'Prefix', 'shop', 80], ['shop.example.com', '/chat', 'Prefix', 'chat', 80]]);
  const withTls: Ingress = { ...routes, spec: { ...routes.spec, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] } };
  const certificates = new CertificateStore({
    ingresses: [withTls],
    secrets: [tlsSecret('shop-tls', 'default', await ca.issue({ hosts: ['shop.example.com'] }))],
    defaultCertificate: await ca.issue({ hosts: ['default.invalid'] }),
  });
  gw = await startTestGateway([withTls], { 'default/shop:80': at(shop.port), 'default/chat:80': at(chat.port) }, { https: { listen: { host: '127.0.0.1', port: 0 }, certificates } });
  httpsUrl = gw.gateway.urls.https!;
  dir = await mkdtemp(join(tmpdir(), 'swy-h2-'));
  await writeFile(join(dir, 'ca.pem'), ca.certPem);
});
afterAll(async () => {
  await gw.close();
  await shop.close();
  chat.close();
  await rm(dir, { recursive: true, force: true });
});

test('an h2 client gets h2 by ALPN, its certificate by SNI, and is routed by :authority with X-Forwarded-Proto https', async () => {
  const session = await http2Session(httpsUrl, { ca: ca.certPem, servername: 'shop.example.com' });
  try {
    expect(session.alpnProtocol).toBe('h2');
    const answers = await Promise.all([1, 2, 3].map((i) => http2Request(session, { ':authority': 'shop.example.com', ':path': `/p/${i}` })));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      const echo = JSON.parse(answer.body) as SeenRequest;
      expect(echo).toMatchObject({ upstream: 'shop', url: `/p/${i + 1}` });
      expect(echo.headers['x-forwarded-proto']).toBe('https');
      expect(echo.headers.host).toBe('shop.example.com');
    }
  } finally {
    session.close();
  }
});

test('an HTTP/1.1 client on the same port gets http/1.1 and is served', async () => {
  const dispatcher = new Agent({ connect: { ca: ca.certPem, servername: 'shop.example.com', ALPNProtocols: ['http/1.1'] } });
  try {
    const response = await request(`${httpsUrl}/one`, { headers: { host: 'shop.example.com' }, dispatcher });
    expect(response.statusCode).toBe(200);
    expect((JSON.parse(await response.body.text()) as SeenRequest).upstream).toBe('shop');
  } finally {
    await dispatcher.close();
  }
});

test('a client without ALPN is served HTTP/1.1', async () => {
  const dispatcher = new Agent({ connect: { ca: ca.certPem, servername: 'shop.example.com' } });
  try {
    const response = await request(`${httpsUrl}/no-alpn`, { headers: { host: 'shop.example.com' }, dispatcher });
    expect(response.statusCode).toBe(200);
  } finally {
    await dispatcher.close();
  }
});

test('a WebSocket upgrade over TLS on the same listener is tunnelled', async () => {
  const socket = new WebSocket(`wss://127.0.0.1:${new URL(httpsUrl).port}/chat`, { ca: ca.certPem, servername: 'shop.example.com', headers: { host: 'shop.example.com' } } as WebSocket.ClientOptions);
  await once(socket, 'open');
  socket.send('hello');
  const [message] = (await once(socket, 'message')) as [Buffer];
  expect(message.toString()).toBe('chat:hello');
  socket.close();
  await once(socket, 'close');
});

test('/metrics labels h2 requests', async () => {
  const labels = { backend: 'default/shop:80', status: '200', protocol: 'h2' };
  const before = await metricValue(gw.gateway, 'requests_total', labels);
  const session = await http2Session(httpsUrl, { ca: ca.certPem, servername: 'shop.example.com' });
  await http2Request(session, { ':authority': 'shop.example.com', ':path': '/m' });
  session.close();
  expect(await metricValue(gw.gateway, 'requests_total', labels)).toBe(before + 1);
});

// curl is on this machine (checked when the suite was written): a missing curl fails this test, as CI wants.
test('curl --http2 negotiates h2 by ALPN and is routed', async () => {
  const port = new URL(httpsUrl).port;
  const { stdout } = await promisify(execFile)('curl', ['-sS', '--http2', '--cacert', join(dir, 'ca.pem'), '--resolve', `shop.example.com:${port}:127.0.0.1`, '-w', '\n%{http_version}', `https://shop.example.com:${port}/curl`]);
  const [body, version] = stdout.split('\n');
  expect(version).toBe('2');
  expect(JSON.parse(body!) as SeenRequest).toMatchObject({ upstream: 'shop', url: '/curl' });
});

test('an h2 CONNECT is refused with 400 in the proxy\'s words, and the session serves on', async () => {
  const session = await http2Session(httpsUrl, { ca: ca.certPem, servername: 'shop.example.com' });
  try {
    const refused = await readAnswer(session.request({ ':method': 'CONNECT', ':authority': 'example.com:443' }, { endStream: false }));
    expect(refused.status).toBe(400);
    expect(refused.headers['x-switchyard-error']).toBe('SWY_PROXY_BAD_REQUEST');
    expect((await http2Request(session, { ':authority': 'shop.example.com', ':path': '/after' })).status).toBe(200);
  } finally {
    session.close();
  }
});
