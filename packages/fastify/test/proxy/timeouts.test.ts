import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FIRST_BYTE_TIMEOUT_MS, ERROR_HEADER } from '@switchyard/fastify';
import { attempt, upstreamOf } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/metric-value.js';
import { startStalledListener, type StalledListener } from '../helpers/stalled-listener.js';
import { neverAnswer, readRequest, startTcpUpstream, type TcpUpstream } from '../helpers/tcp-upstream.js';
import { eventually, startUpstream, type Upstream } from '@switchyard/test-utils';
import { setTimeout as sleep } from 'node:timers/promises';

const TIMEOUT_MS = 300;
// Lower bounds only: a loaded machine makes timeouts fire late, never early. (undici runs its
// connect timer on a clock of about 1 s resolution, so 300 ms fire after 0.5-1 s; the proxy keeps
// firstByteMs and idleMs itself, to the millisecond.)
const AT_LEAST_MS = 250;

describe('firstByteMs: the upstream takes too long to send its response head', () => {
  let silent: TcpUpstream[];
  let trickling: Upstream;
  let counting: Upstream;
  let held: TcpUpstream;
  let gw: TestGateway;
  let streamingGw: TestGateway;
  let oneConnectionGw: TestGateway;
  const CHUNKS = 6;

  beforeAll(async () => {
    silent = await Promise.all([startTcpUpstream('silent-1', neverAnswer), startTcpUpstream('silent-2', neverAnswer)]);
    // Answers at once, then takes longer than firstByteMs over the body: that timeout must not cut it.
    trickling = await startUpstream('trickling', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'trickling' });
      let sent = 0;
      const next = (): void => {
        if (sent === CHUNKS) return void response.end();
        response.write(`chunk ${sent++};`);
        setTimeout(next, 100);
      };
      next();
    });
    gw = await startTestGateway(
      [ingress('first-byte', [['silent.test', '/', 'Prefix', 'silent', 80], ['trickling.test', '/', 'Prefix', 'trickling', 80]])],
      { 'default/silent:80': at(...silent.map((u) => u.port)), 'default/trickling:80': at(trickling.port) },
      { proxy: { timeouts: { firstByteMs: TIMEOUT_MS } } },
    );
    // Answers once it has read the whole request body.
    counting = await startUpstream('counting', (req, response) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => response.end(`received ${bytes} bytes`));
    });
    streamingGw = await startTestGateway(
      [ingress('first-byte-upload', [['counting.test', '/', 'Prefix', 'counting', 80]])],
      { 'default/counting:80': at(counting.port) },
      // Bodies stream from their first byte: the upstream gets each chunk as the client sends it.
      { proxy: { timeouts: { firstByteMs: TIMEOUT_MS }, requestBody: { bufferBytes: 0 } } },
    );
    held = await startTcpUpstream('held', neverAnswer);
    oneConnectionGw = await startTestGateway(
      [ingress('first-byte-queue', [['held.test', '/', 'Prefix', 'held', 80]])],
      { 'default/held:80': at(held.port) },
      { proxy: { timeouts: { firstByteMs: TIMEOUT_MS }, upstream: { connectionsPerEndpoint: 1 }, requestBody: { bufferBytes: 0 }, retries: 0 } },
    );
  });
  afterAll(async () => {
    await Promise.all([gw, streamingGw, oneConnectionGw].map((g) => g?.close()));
    await Promise.all([...(silent ?? []), trickling, counting, held].map((u) => u?.close()));
  });

  test(`an upstream that never answers gets 504 SWY_PROXY_UPSTREAM_TIMEOUT after ${TIMEOUT_MS} ms, without a retry`, async () => {
    const started = performance.now();
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'silent.test' } });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(AT_LEAST_MS);
    expect(elapsed).toBeLessThan(DEFAULT_FIRST_BYTE_TIMEOUT_MS / 6);
    // The request reached an upstream, which may be acting on it: it is not sent to a second one.
    expect(silent.reduce((sum, u) => sum + u.connections, 0)).toBe(1);
  });

  test('a streamed request body that takes longer than firstByteMs to send is not cut while it flows', async () => {
    // 6 chunks 100 ms apart: twice firstByteMs from the request's start to the body's end.
    async function* slowBody(): AsyncGenerator<Buffer> {
      for (let i = 0; i < CHUNKS; i++) {
        yield Buffer.alloc(1024, 97 + i);
        await sleep(100);
      }
    }
    const response = await attempt(`${streamingGw.url}/upload`, { method: 'POST', headers: { host: 'counting.test' }, body: Readable.from(slowBody()) });
    expect(response.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body).toBe(`received ${CHUNKS * 1024} bytes`);
  });

  test('a request still waiting for a connection when firstByteMs passes gets its 504 then, and is never sent', async () => {
    // One connection per endpoint, held by an upload that keeps flowing (so its own wait for the
    // head keeps starting again): the second request waits for that connection.
    let uploading = true;
    async function* endlessBody(): AsyncGenerator<Buffer> {
      while (uploading) {
        yield Buffer.from('more;');
        await sleep(50);
      }
    }
    const first = attempt(`${oneConnectionGw.url}/one`, { method: 'POST', headers: { host: 'held.test' }, body: Readable.from(endlessBody()) });
    await eventually('the upload on the only connection', () => held.connections === 1);
    const started = performance.now();
    const second = await attempt(`${oneConnectionGw.url}/two`, { headers: { host: 'held.test' } });
    expect(second.status).toBe(504);
    expect(second.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(AT_LEAST_MS);
    // Answered while the upload still held the connection, and never sent on it or on another.
    await sleep(100);
    expect(held.connections).toBe(1);
    uploading = false;
    expect((await first).status).toBe(504);
    expect(held.connections).toBe(1);
  });

  test('a body that streams for longer than firstByteMs is not cut by it', async () => {
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'trickling.test' } });
    expect(response.error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body).toBe(Array.from({ length: CHUNKS }, (_, i) => `chunk ${i};`).join(''));
  });
});

describe('idleMs: the upstream falls silent inside the body', () => {
  let stalling: TcpUpstream;
  let headOnly: TcpUpstream;
  let healthy: Upstream;
  let dripping: Upstream;
  let bulk: Upstream;
  const BULK_BYTES = 32 * 1024 * 1024;
  let gw: TestGateway;
  const open: Socket[] = [];

  beforeAll(async () => {
    const answerThenStall = (head: string) => (socket: Socket) => {
      readRequest(socket).then(() => {
        open.push(socket);
        socket.write(head);
      }, () => undefined);
    };
    stalling = await startTcpUpstream('stalling', answerThenStall('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\nthe start of the body'));
    headOnly = await startTcpUpstream('head-only', answerThenStall('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n'));
    healthy = await startUpstream('healthy');
    // A chunk every 100 ms for 600 ms: never silent for idleMs.
    dripping = await startUpstream('dripping', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const next = (): void => {
        if (sent === 6) return void response.end();
        response.write(`drop ${sent++};`);
        setTimeout(next, 100);
      };
      next();
    });
    // More than the sockets between it and a client that stops reading can hold.
    bulk = await startUpstream('bulk', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BULK_BYTES) });
      response.end(Buffer.alloc(BULK_BYTES, 120));
    });
    gw = await startTestGateway(
      [
        ingress('idle', [
          ['stalling.test', '/', 'Prefix', 'stalling', 80],
          ['head-only.test', '/', 'Prefix', 'head-only', 80],
          ['healthy.test', '/', 'Prefix', 'healthy', 80],
          ['dripping.test', '/', 'Prefix', 'dripping', 80],
          ['bulk.test', '/', 'Prefix', 'bulk', 80],
        ]),
      ],
      { 'default/stalling:80': at(stalling.port), 'default/head-only:80': at(headOnly.port), 'default/healthy:80': at(healthy.port), 'default/dripping:80': at(dripping.port), 'default/bulk:80': at(bulk.port) },
      { proxy: { timeouts: { idleMs: TIMEOUT_MS } } },
    );
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await gw?.close();
    await Promise.all([stalling, headOnly, healthy, dripping, bulk].map((u) => u?.close()));
  });

  test('each body chunk starts the wait again: a body that drips for longer than idleMs is not cut', async () => {
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'dripping.test' } });
    expect(response.error).toBeUndefined();
    expect(response.body).toBe(Array.from({ length: 6 }, (_, i) => `drop ${i};`).join(''));
  });

  test('a client that stops reading is not cut by idleMs: the upstream is silent because the proxy holds it back', async () => {
    const response = await request(`${gw.url}/x`, { headers: { host: 'bulk.test' } });
    expect(response.statusCode).toBe(200);
    let received = 0;
    let paused = false;
    for await (const chunk of response.body) {
      received += (chunk as Buffer).length;
      if (!paused) {
        // Three times idleMs without reading: the sockets fill and the proxy stops reading the upstream.
        paused = true;
        await sleep(3 * TIMEOUT_MS);
      }
    }
    expect(received).toBe(BULK_BYTES);
  });

  test(`after headers and part of the body, ${TIMEOUT_MS} ms of silence cuts the client connection`, async () => {
    const response = await request(`${gw.url}/x`, { headers: { host: 'stalling.test' } });
    expect(response.statusCode).toBe(200);
    let firstChunkAt = 0;
    let received = '';
    const reading = (async () => {
      for await (const chunk of response.body) {
        if (firstChunkAt === 0) firstChunkAt = performance.now();
        received += (chunk as Buffer).toString();
      }
    })();
    await expect(reading).rejects.toThrow();
    const silentFor = performance.now() - firstChunkAt;
    expect(received).toBe('the start of the body');
    // Measured from when the client got the chunk, a little after the gateway did: hence the slack.
    expect(silentFor).toBeGreaterThanOrEqual(AT_LEAST_MS - 50);
    expect(silentFor).toBeLessThan(DEFAULT_FIRST_BYTE_TIMEOUT_MS / 6);

    const after = await attempt(`${gw.url}/x`, { headers: { host: 'healthy.test' } });
    expect(after.status).toBe(200);
  });

  test('after the head alone, silence answers 504 SWY_PROXY_UPSTREAM_TIMEOUT (nothing was sent to the client yet)', async () => {
    const started = performance.now();
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'head-only.test' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(AT_LEAST_MS);
    expect(response.status).toBe(504);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    expect(response.body).toMatch(/^504 Gateway Timeout: .*\(SWY_PROXY_UPSTREAM_TIMEOUT\)\n$/);
  });
});

describe('connectMs: the upstream does not accept the connection', () => {
  let stalled: StalledListener;
  let healthy: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    // Its accept queue is full, so a connect hangs (SYNs go unanswered) until the gateway gives up.
    stalled = await startStalledListener();
    healthy = await startUpstream('healthy');
    gw = await startTestGateway(
      [ingress('connect', [['stalled.test', '/', 'Prefix', 'stalled', 80], ['either.test', '/', 'Prefix', 'either', 80]])],
      { 'default/stalled:80': at(stalled.port), 'default/either:80': [...at(stalled.port), ...at(healthy.port)] },
      // A connect that wrongly succeeded would then fail fast on firstByteMs, with another code.
      { proxy: { timeouts: { connectMs: TIMEOUT_MS, firstByteMs: 5_000 } }, balancing: { outlierDetection: false } },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([stalled?.close(), healthy?.close()]);
  });

  test(`a connect that hangs answers 504 SWY_PROXY_UPSTREAM_TIMEOUT after ${TIMEOUT_MS} ms`, async () => {
    const started = performance.now();
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'stalled.test' } });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(AT_LEAST_MS);
    expect(elapsed).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS);
  });

  test('a connect timeout is a failed connection: an idempotent request is retried on another endpoint', async () => {
    const retriesBefore = await metricValue(gw.gateway, 'upstream_retries_total', { backend: 'default/either:80' });
    for (let i = 0; i < 4; i++) {
      const response = await attempt(`${gw.url}/x`, { headers: { host: 'either.test' } });
      expect(response.status).toBe(200);
      expect(upstreamOf(response)).toBe('healthy');
    }
    // Round robin over two endpoints sent at least every other one to the stalled endpoint first.
    expect((await metricValue(gw.gateway, 'upstream_retries_total', { backend: 'default/either:80' })) - retriesBefore).toBeGreaterThanOrEqual(2);
  });
});
