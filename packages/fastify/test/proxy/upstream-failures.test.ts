import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { ERROR_HEADER } from '@switchyard/fastify';
import { attempt, rawExchange, upstreamOf } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { dropAtOnce, readRequest, resetAfterRequest, startTcpUpstream, type TcpUpstream } from '../helpers/tcp-upstream.js';
import { refusedPort, startUpstream, type Upstream } from '@switchyard/test-utils';

// Upstreams that break the connection once the test says so: the test waits until the client
// holds the start of the response, so the break is surely after the headers.
const pendingResets: Array<() => void> = [];
function resetWhenAsked(response: ServerResponse): void {
  pendingResets.push(() => response.socket?.resetAndDestroy());
}
function resetPending(): void {
  for (const reset of pendingResets.splice(0)) reset();
}

const SLOW_CHUNKS = ['one,', 'two,', 'three,', 'four,', 'five'];

let healthy: Upstream, lengthThenReset: Upstream, chunkedThenReset: Upstream, slow: Upstream, failing: Upstream;
let resetting: TcpUpstream, dropping: TcpUpstream, headThenReset: TcpUpstream;
let gw: TestGateway;

beforeAll(async () => {
  [healthy, resetting, dropping] = await Promise.all([
    startUpstream('healthy'),
    startTcpUpstream('resetting', resetAfterRequest),
    startTcpUpstream('dropping', dropAtOnce),
  ]);
  // The response head, then a reset before any body byte. Nothing shows when the gateway has read
  // the head, so the reset waits a little; if it came first, the answer must be the same 502.
  headThenReset = await startTcpUpstream('head-then-reset', (socket) => {
    readRequest(socket).then(() => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\nx-upstream: head-then-reset\r\n\r\n', () => {
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
    }, () => undefined);
  });
  lengthThenReset = await startUpstream('length-then-reset', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000 });
    response.write('x'.repeat(100));
    resetWhenAsked(response);
  });
  chunkedThenReset = await startUpstream('chunked-then-reset', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first chunk');
    resetWhenAsked(response);
  });
  slow = await startUpstream('slow', (_request, response) => {
    // Slow, but far inside the gateway's timeouts below: headers after 300 ms, then a chunk every 100 ms.
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'slow' });
      let sent = 0;
      const next = (): void => {
        const chunk = SLOW_CHUNKS[sent++];
        if (chunk === undefined) return void response.end();
        response.write(chunk);
        setTimeout(next, 100);
      };
      next();
    }, 300);
  });
  failing = await startUpstream('failing', (request, response) => {
    const status = request.url === '/500' ? 500 : 503;
    failing.seen.push({ upstream: 'failing', method: request.method ?? '', url: request.url ?? '', headers: request.headers, rawHeaders: request.rawHeaders, bodyBytes: 0 });
    response.writeHead(status, { 'content-type': 'text/plain', 'x-upstream': 'failing', 'x-detail': 'kept' });
    response.end(`upstream says ${status}`);
  });
  const refused = await refusedPort();
  gw = await startTestGateway(
    [
      ingress('failures', [
        ['healthy.test', '/', 'Prefix', 'healthy', 80],
        ['refused.test', '/', 'Prefix', 'refused', 80],
        ['resetting.test', '/', 'Prefix', 'resetting', 80],
        ['dropping.test', '/', 'Prefix', 'dropping', 80],
        ['head-reset.test', '/', 'Prefix', 'head-reset', 80],
        ['length-reset.test', '/', 'Prefix', 'length-reset', 80],
        ['chunked-reset.test', '/', 'Prefix', 'chunked-reset', 80],
        ['slow.test', '/', 'Prefix', 'slow', 80],
        ['failing.test', '/', 'Prefix', 'failing', 80],
      ]),
    ],
    {
      'default/healthy:80': at(healthy.port),
      'default/refused:80': at(refused),
      'default/resetting:80': at(resetting.port),
      'default/dropping:80': at(dropping.port),
      'default/head-reset:80': at(headThenReset.port),
      'default/length-reset:80': at(lengthThenReset.port),
      'default/chunked-reset:80': at(chunkedThenReset.port),
      'default/slow:80': at(slow.port),
      'default/failing:80': at(failing.port),
    },
    { proxy: { timeouts: { connectMs: 10_000, firstByteMs: 10_000, idleMs: 10_000 } } },
  );
});
afterAll(async () => {
  resetPending();
  await gw?.close();
  await Promise.all([healthy, lengthThenReset, chunkedThenReset, slow, failing, resetting, dropping, headThenReset].map((u) => u?.close()));
});

async function expectStillServing(): Promise<void> {
  const response = await attempt(`${gw.url}/after`, { headers: { host: 'healthy.test' } });
  expect(response.status).toBe(200);
  expect(upstreamOf(response)).toBe('healthy');
}

describe('connection failures answer 502 SWY_PROXY_UPSTREAM_FAILED', () => {
  test.each(['GET', 'POST'] as const)('connection refused (%s)', async (method) => {
    const response = await attempt(`${gw.url}/x`, { method, headers: { host: 'refused.test' } });
    expect(response.status).toBe(502);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    expect(response.body).toMatch(/^502 Bad Gateway: .*\(SWY_PROXY_UPSTREAM_FAILED\)\n$/);
  });

  test('the upstream reads the request, then resets the connection without answering', async () => {
    const before = resetting.connections;
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'resetting.test' } });
    expect(response.status).toBe(502);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    expect(resetting.connections - before).toBe(1);
  });

  test('the upstream accepts, then drops the connection at once', async () => {
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'dropping.test' } });
    expect(response.status).toBe(502);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    await expectStillServing();
  });
});

test('the upstream sends its response head, then resets before any body byte: 502, as nothing reached the client yet', async () => {
  const response = await attempt(`${gw.url}/x`, { headers: { host: 'head-reset.test' } });
  expect(response.status).toBe(502);
  expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
  expect(response.body).toMatch(/^502 Bad Gateway: .*\(SWY_PROXY_UPSTREAM_FAILED\)\n$/);
  // None of the upstream's head leaks into the gateway's own answer.
  expect(response.headers['x-upstream']).toBeUndefined();
  await expectStillServing();
});

describe('a reset in the middle of the body breaks the client response', () => {
  test('with a Content-Length: the client sees the body cut short, as an error', async () => {
    const response = await request(`${gw.url}/x`, { headers: { host: 'length-reset.test' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe('1000');
    let received = 0;
    const reading = (async () => {
      for await (const chunk of response.body) {
        received += (chunk as Buffer).length;
        resetPending();
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(1000);
    await expectStillServing();
  });

  test('chunked: the response never gets its last chunk, so no client takes it for a whole body', async () => {
    const { data } = await rawExchange(gw.url, 'GET /x HTTP/1.1\r\nHost: chunked-reset.test\r\nConnection: close\r\n\r\n', (received) => {
      if (received.includes('first chunk')) resetPending();
    });
    const text = data.toString('latin1');
    const headEnd = text.indexOf('\r\n\r\n');
    expect(headEnd).toBeGreaterThan(0);
    const head = text.slice(0, headEnd);
    const body = text.slice(headEnd + 4);
    expect(head).toMatch(/^HTTP\/1.1 200 /);
    // Framed, so the cut shows: without chunking (or a length) the end of the connection would look like the end of the body.
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(body).toContain('first chunk');
    expect(body.endsWith('0\r\n\r\n')).toBe(false);
    await expectStillServing();
  });
});

test('a slow upstream inside the timeouts is relayed whole', async () => {
  const response = await attempt(`${gw.url}/x`, { headers: { host: 'slow.test' } });
  expect(response.error).toBeUndefined();
  expect(response.status).toBe(200);
  expect(upstreamOf(response)).toBe('slow');
  expect(response.body).toBe(SLOW_CHUNKS.join(''));
});

describe('an upstream 5xx is relayed as it is, not turned into a 502', () => {
  test.each([500, 503])('%i', async (status) => {
    const before = failing.seen.length;
    const response = await attempt(`${gw.url}/${status}`, { headers: { host: 'failing.test' } });
    expect(response.status).toBe(status);
    expect(response.headers[ERROR_HEADER]).toBeUndefined();
    expect(response.headers['x-detail']).toBe('kept');
    expect(response.body).toBe(`upstream says ${status}`);
    // Answered once: a 5xx is an answer, not a failed connection, so nothing is retried.
    expect(failing.seen.length - before).toBe(1);
  });
});
