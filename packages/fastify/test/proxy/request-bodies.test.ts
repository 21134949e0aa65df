import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { DEFAULT_REQUEST_BUFFER_BYTES, ERROR_HEADER } from '@switchyard/fastify';
import { eventually } from '@switchyard/test-utils';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { headerOf, RawConnection } from '../helpers/raw-http.js';
import { readRequest, startTcpUpstream, type RawRequest, type TcpUpstream } from '../helpers/tcp-upstream.js';

const IDLE_MS = 400;
const STREAMING_PER_ENDPOINT = 2;
const LONG = DEFAULT_REQUEST_BUFFER_BYTES * 4;

/** What the recording upstream saw: each whole request, and the connections open now. */
const received: RawRequest[] = [];
const open = new Set<Socket>();
let upstream: TcpUpstream;
let slowReader: TcpUpstream;
let gw: TestGateway;

beforeAll(async () => {
  // Records each whole request and answers it; a request whose body never ends is only held.
  upstream = await startTcpUpstream('recorder', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const serve = (): void => {
      readRequest(socket).then((seen) => {
        received.push(seen);
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        serve();
      }, () => undefined);
    };
    serve();
  });
  // Reads nothing for three idle timeouts, then reads the request and answers it.
  slowReader = await startTcpUpstream('slow-reader', (socket) => {
    socket.pause();
    setTimeout(() => {
      readRequest(socket).then((seen) => {
        received.push(seen);
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
      }, () => undefined);
      socket.resume();
    }, IDLE_MS * 3);
  });
  const rules: Array<[string, string, 'Prefix', string, number]> = [['bodies.test', '/', 'Prefix', 'recorder', 80], ['slow.test', '/', 'Prefix', 'slow', 80]];
  gw = await startTestGateway([ingress('bodies', rules)], { 'default/recorder:80': at(upstream.port), 'default/slow:80': at(slowReader.port) }, {
    proxy: { timeouts: { requestBodyIdleMs: IDLE_MS }, upstream: { connectionsPerEndpoint: 4 }, requestBody: { streamingPerEndpoint: STREAMING_PER_ENDPOINT } },
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  await slowReader?.close();
});
beforeEach(() => {
  received.length = 0;
});

/** Opens a raw connection and sends a request head announcing `length` body bytes, then `sent` of them. */
async function upload(length: number, sent: number, path = '/upload'): Promise<RawConnection> {
  const client = await RawConnection.open(gw.url);
  client.write(`POST ${path} HTTP/1.1\r\nhost: bodies.test\r\ncontent-type: application/octet-stream\r\ncontent-length: ${length}\r\n\r\n`);
  if (sent > 0) client.write(Buffer.alloc(sent, 0x61));
  return client;
}

describe('a request body that stops coming', () => {
  test('a short body that stalls is answered 408 after the idle timeout, its connection closed, and no upstream connection was ever taken', async () => {
    const before = upstream.connections;
    const client = await upload(1000, 10);
    const startedAt = performance.now();
    const response = await client.readResponse();
    const waited = performance.now() - startedAt;
    expect(response.statusCode).toBe(408);
    expect(headerOf(response, ERROR_HEADER)).toBe('SWY_PROXY_BODY_TIMEOUT');
    expect(headerOf(response, 'connection')).toBe('close');
    expect(waited).toBeGreaterThanOrEqual(IDLE_MS - 50);
    await client.ended;
    expect(upstream.connections - before).toBe(0);
    expect(received).toEqual([]);
  });

  test('a short body sent in pieces with pauses under the timeout goes upstream whole, byte for byte, with its Content-Length', async () => {
    const client = await upload(30, 10);
    for (const piece of ['b'.repeat(10), 'c'.repeat(10)]) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
      client.write(piece);
    }
    const response = await client.readResponse();
    expect(response.statusCode).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.toString('latin1')).toBe(`${'a'.repeat(10)}${'b'.repeat(10)}${'c'.repeat(10)}`);
    expect(received[0]!.head).toMatch(/\r\ncontent-length: 30(\r\n|$)/i);
    client.close();
  });

  test('a long body that stalls mid-stream is answered 408 and the upstream connection it held is closed', async () => {
    const client = await upload(LONG, DEFAULT_REQUEST_BUFFER_BYTES + 100);
    // It streams: the upstream has a connection with the head and the first bytes.
    await eventually('the upstream connection of the streamed body', () => open.size >= 1);
    const held = [...open];
    const response = await client.readResponse();
    expect(response.statusCode).toBe(408);
    expect(headerOf(response, ERROR_HEADER)).toBe('SWY_PROXY_BODY_TIMEOUT');
    await eventually('the held upstream connection to close', () => held.every((socket) => socket.destroyed));
    client.close();
  });
});

describe('streamed uploads hold at most requestBody.streamingPerEndpoint connections of an endpoint', () => {
  test('past the cap a streamed upload is answered 503 at once, requests without a long body still go through, and a slot freed by a timeout is taken again', async () => {
    const stalled = await Promise.all(Array.from({ length: STREAMING_PER_ENDPOINT }, () => upload(LONG, DEFAULT_REQUEST_BUFFER_BYTES + 100)));
    await eventually('both streamed bodies to hold a connection', () => open.size >= STREAMING_PER_ENDPOINT);

    const refused = await upload(LONG, DEFAULT_REQUEST_BUFFER_BYTES + 100);
    const answer = await refused.readResponse();
    expect(answer.statusCode).toBe(503);
    expect(headerOf(answer, ERROR_HEADER)).toBe('SWY_PROXY_UPLOADS_BUSY');
    refused.close();

    // A GET and a short POST take the connections the cap kept free.
    const get = await request(`${gw.url}/plain`, { headers: { host: 'bodies.test' } });
    expect(get.statusCode).toBe(200);
    await get.body.text();
    const post = await request(`${gw.url}/short`, { method: 'POST', headers: { host: 'bodies.test' }, body: 'short' });
    expect(post.statusCode).toBe(200);
    await post.body.text();

    // The stalled ones time out and give their slots back: a whole long upload then streams through.
    for (const client of stalled) expect((await client.readResponse()).statusCode).toBe(408);
    const whole = await upload(LONG, LONG, '/whole');
    expect((await whole.readResponse()).statusCode).toBe(200);
    expect(received.find((seen) => seen.head.startsWith('POST /whole '))?.body.length).toBe(LONG);
    for (const client of [...stalled, whole]) client.close();
  });
});

describe('the body timeout does not count time the proxy itself holds the client back', () => {
  test('an upload to an upstream that reads nothing for three idle timeouts is not cut: the client was waiting on backpressure, not silent', async () => {
    // Far more than the socket buffers hold, so the client is held back while the upstream reads nothing.
    const body = Buffer.alloc(8 * 1024 * 1024, 0x62);
    const response = await request(`${gw.url}/big`, { method: 'PUT', headers: { host: 'slow.test', 'content-length': String(body.length) }, body });
    expect(response.statusCode).toBe(200);
    await response.body.text();
    expect(received.at(-1)?.body.length).toBe(body.length);
  });
});
