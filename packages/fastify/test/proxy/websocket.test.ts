import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { headerOf, RawConnection } from '../helpers/raw-http.js';
import { neverAnswer, startTcpUpstream } from '../helpers/tcp-upstream.js';
import { refusedPort } from '@switchyard/test-utils';

interface EchoServer {
  readonly port: number;
  readonly upgrades: Array<{ url: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A WebSocket server that echoes each message prefixed with its name. */
async function startEcho(name: string): Promise<EchoServer> {
  const server: Server = createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server });
  const upgrades: EchoServer['upgrades'] = [];
  wss.on('connection', (socket, request) => {
    upgrades.push({ url: request.url ?? '', headers: request.headers });
    socket.on('message', (data, isBinary) => socket.send(isBinary ? data : `${name}:${data.toString()}`, { binary: isBinary }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    upgrades,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

let chat: EchoServer, feed: EchoServer;
let declining: Server;
let gw: TestGateway;
let deadPort: number;

beforeAll(async () => {
  [chat, feed, deadPort] = await Promise.all([startEcho('chat'), startEcho('feed'), refusedPort()]);
  declining = createServer((_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('no upgrades here'));
  declining.listen(0, '127.0.0.1');
  await once(declining, 'listening');
  gw = await startTestGateway(
    [
      ingress('ws', [
        ['ws.test', '/chat', 'Prefix', 'chat', 80],
        ['ws.test', '/feed', 'Prefix', 'feed', 80],
        ['ws.test', '/dead', 'Prefix', 'dead', 80],
        ['ws.test', '/flaky', 'Prefix', 'flaky', 80],
        ['ws.test', '/declined', 'Prefix', 'declining', 80],
      ]),
    ],
    {
      'default/chat:80': at(chat.port),
      'default/feed:80': at(feed.port),
      'default/dead:80': at(deadPort),
      'default/flaky:80': at(deadPort, chat.port),
      'default/declining:80': at((declining.address() as AddressInfo).port),
    },
  );
});
afterAll(async () => {
  await gw.close();
  await Promise.all([chat.close(), feed.close()]);
  declining.close();
});

function open(path: string, host = 'ws.test'): WebSocket {
  const socket = new WebSocket(`${gw.url.replace('http', 'ws')}${path}`, { headers: { host } });
  // terminate() before the handshake completes emits an error; awaited events still see errors.
  socket.on('error', () => undefined);
  return socket;
}

async function roundTrip(socket: WebSocket, message: string): Promise<string> {
  await once(socket, 'open');
  socket.send(message);
  const [data] = (await once(socket, 'message')) as [Buffer];
  return data.toString();
}

test('an upgrade is routed by host and path and messages flow both ways', async () => {
  const a = open('/chat/room?id=1');
  expect(await roundTrip(a, 'hello')).toBe('chat:hello');
  const b = open('/feed');
  expect(await roundTrip(b, 'hello')).toBe('feed:hello');
  a.send('again');
  const [again] = (await once(a, 'message')) as [Buffer];
  expect(again.toString()).toBe('chat:again');
  const seen = chat.upgrades.at(-1)!;
  expect(seen.url).toBe('/chat/room?id=1');
  expect(seen.headers['host']).toBe('ws.test');
  expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  expect(typeof seen.headers['x-request-id']).toBe('string');
  a.close();
  b.close();
});

test('an absolute-form upgrade is routed by its authority, which is the Host the upstream gets', async () => {
  const connection = await RawConnection.open(gw.url);
  try {
    connection.write(
      'GET http://ws.test/chat/abs HTTP/1.1\r\nHost: elsewhere.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    const response = await connection.readResponse();
    expect(response.statusCode).toBe(101);
    const seen = chat.upgrades.at(-1)!;
    expect(seen.url).toBe('/chat/abs');
    expect(seen.headers['host']).toBe('ws.test');
  } finally {
    connection.close();
  }
});

test('an absolute-form upgrade tells the upstream its authority as X-Forwarded-Host, not the Host header beside it', async () => {
  const connection = await RawConnection.open(gw.url);
  try {
    connection.write(
      'GET http://ws.test/chat/abs HTTP/1.1\r\nHost: elsewhere.test/x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect((await connection.readResponse()).statusCode).toBe(101);
    const seen = chat.upgrades.at(-1)!;
    expect(seen.headers['host']).toBe('ws.test');
    expect(seen.headers['x-forwarded-host']).toBe('ws.test');
  } finally {
    connection.close();
  }
});

test.each([
  ['a Content-Length', 'Content-Length: 5\r\n\r\nhello'],
  ['a chunked', 'Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'],
])('an upgrade request with %s body: 400 SWY_PROXY_BAD_REQUEST, closed, nothing sent upstream', async (_what, framing) => {
  const before = chat.upgrades.length;
  const connection = await RawConnection.open(gw.url);
  try {
    connection.write(`POST /chat HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${framing}`);
    const response = await connection.readResponse();
    expect(response.statusCode).toBe(400);
    expect(headerOf(response, 'x-switchyard-error')).toBe('SWY_PROXY_BAD_REQUEST');
    await connection.ended;
  } finally {
    connection.close();
  }
  // A handshake after it is the first the upstream sees since.
  expect(await roundTrip(open('/chat/after'), 'hi')).toBe('chat:hi');
  expect(chat.upgrades.slice(before).map((upgrade) => upgrade.url)).toEqual(['/chat/after']);
});

test('binary frames pass unchanged', async () => {
  const socket = open('/chat');
  await once(socket, 'open');
  const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
  socket.send(payload, { binary: true });
  const [data] = (await once(socket, 'message')) as [Buffer];
  expect(Buffer.compare(data, payload)).toBe(0);
  socket.close();
});

test.each([
  ['/nowhere', 'other.test', 404, 'SWY_PROXY_NO_ROUTE'],
  ['/dead', 'ws.test', 502, 'SWY_PROXY_UPSTREAM_FAILED'],
])('an upgrade to %s (Host %s) answers %i with its code', async (path, host, status, code) => {
  const socket = open(path, host);
  const [, response] = (await once(socket, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
  expect(response.statusCode).toBe(status);
  expect(response.headers['x-switchyard-error']).toBe(code);
  socket.terminate();
});

test('a failed connection is retried on another endpoint', async () => {
  for (let i = 0; i < 4; i++) {
    expect(await roundTrip(open('/flaky'), `try${i}`)).toBe(`chat:try${i}`);
  }
});

test("an upstream that declines the upgrade has its answer relayed", async () => {
  const socket = open('/declined');
  const [, response] = (await once(socket, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
  expect(response.statusCode).toBe(403);
  let body = '';
  for await (const chunk of response) body += String(chunk);
  expect(body).toBe('no upgrades here');
  socket.terminate();
});

test('the tunnel closes when the upstream closes', async () => {
  const socket = open('/chat');
  await once(socket, 'open');
  const closed = once(socket, 'close');
  await chat.close();
  await closed;
  chat = await startEcho('chat');
});

test('an upstream that accepts the upgrade but never answers: 504 after firstByteMs, not retried as a connect failure', async () => {
  const silent = await startTcpUpstream('silent', neverAnswer);
  const port = silent.port;
  const slow = await startTestGateway([ingress('silent', [['ws.test', '/', 'Prefix', 'silent', 80]])], { 'default/silent:80': at(port, port) }, { proxy: { timeouts: { firstByteMs: 300 } } });
  try {
    const socket = new WebSocket(`${slow.url.replace('http', 'ws')}/`, { headers: { host: 'ws.test' } });
    socket.on('error', () => undefined);
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
    expect(response.statusCode).toBe(504);
    expect(response.headers['x-switchyard-error']).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    expect(silent.connections).toBe(1);
    socket.terminate();
  } finally {
    await slow.close();
    await silent.close();
  }
});
