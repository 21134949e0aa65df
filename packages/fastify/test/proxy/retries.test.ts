import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { DEFAULT_REQUEST_BUFFER_BYTES, ERROR_HEADER } from '@switchyard/fastify';
import { attempt, upstreamOf } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/metric-value.js';
import { dropAtOnce, readRequest, resetAfterRequest, startTcpUpstream, type TcpUpstream } from '../helpers/tcp-upstream.js';
import { refusedPort, startUpstream, type Upstream } from '@switchyard/test-utils';

// Outlier detection is off throughout: it would eject the failing endpoints after a few
// failures and so hide whether a request was retried.
const NO_EJECTION = { balancing: { outlierDetection: false } } as const;
const REQUESTS = 20;

describe('one endpoint of two refuses connections', () => {
  let good: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    good = await startUpstream('good');
    gw = await startTestGateway([ingress('mixed', [[undefined, '/', 'Prefix', 'mixed', 80]])], { 'default/mixed:80': [...at(await refusedPort()), ...at(good.port)] }, NO_EJECTION);
  });
  afterAll(async () => {
    await gw?.close();
    await good?.close();
  });

  test.each(['GET', 'HEAD', 'PUT', 'DELETE'] as const)('every %s succeeds on the other endpoint', async (method) => {
    const seenBefore = good.seen.length;
    const retriesBefore = await metricValue(gw.gateway, 'upstream_retries_total', { backend: 'default/mixed:80' });
    for (let i = 0; i < REQUESTS; i++) {
      const response = await attempt(`${gw.url}/item/${i}`, { method });
      expect(response.status, `${method} #${i}`).toBe(200);
      expect(upstreamOf(response)).toBe('good');
    }
    // Each request reached the good upstream once, and round robin sent at least every other one to the refusing endpoint first.
    expect(good.seen.length - seenBefore).toBe(REQUESTS);
    expect(good.seen.slice(seenBefore).every((seen) => seen.method === method)).toBe(true);
    const retries = (await metricValue(gw.gateway, 'upstream_retries_total', { backend: 'default/mixed:80' })) - retriesBefore;
    expect(retries).toBeGreaterThanOrEqual(REQUESTS / 2);
  });

  test('a PUT whose body was not read yet (the connection was refused) is retried with its body', async () => {
    const seenBefore = good.seen.length;
    for (let i = 0; i < REQUESTS / 2; i++) {
      const response = await attempt(`${gw.url}/item/${i}`, { method: 'PUT', body: 'x'.repeat(1000), headers: { 'content-type': 'text/plain' } });
      expect(response.status, `PUT #${i}`).toBe(200);
    }
    expect(good.seen.slice(seenBefore).map((seen) => seen.bodyBytes)).toEqual(new Array(REQUESTS / 2).fill(1000));
  });

  test.each([
    ['with a body', 'payload'],
    ['without a body', undefined],
  ])('a POST %s is never retried: 502 when it lands on the refusing endpoint', async (_label, body) => {
    const seenBefore = good.seen.length;
    const statuses: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const response = await attempt(`${gw.url}/orders`, { method: 'POST', ...(body === undefined ? {} : { body, headers: { 'content-type': 'text/plain' } }) });
      statuses.push(response.status ?? 0);
      if (response.status === 502) expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
      else expect(upstreamOf(response)).toBe('good');
    }
    const failed = statuses.filter((status) => status === 502).length;
    // Round robin over two endpoints: half the POSTs land on the refusing one.
    expect(failed).toBe(REQUESTS / 2);
    expect(statuses.filter((status) => status === 200).length).toBe(REQUESTS / 2);
    expect(good.seen.length - seenBefore).toBe(REQUESTS / 2);
  });
});

describe('the number of attempts is bounded by `retries`', () => {
  test.each([0, 1, 2])('retries: %i with three failing endpoints: 502 after retries + 1 attempts', async (retries) => {
    const failing = await Promise.all([startTcpUpstream('a', dropAtOnce), startTcpUpstream('b', dropAtOnce), startTcpUpstream('c', dropAtOnce)]);
    const gw = await startTestGateway([ingress('bad', [[undefined, '/', 'Prefix', 'bad', 80]])], { 'default/bad:80': at(...failing.map((u) => u.port)) }, { ...NO_EJECTION, proxy: { retries } });
    try {
      const attempts = (): number => failing.reduce((sum, u) => sum + u.connections, 0);
      for (let i = 1; i <= 3; i++) {
        const response = await attempt(`${gw.url}/x`);
        expect(response.status).toBe(502);
        expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
        expect(attempts()).toBe(i * (retries + 1));
      }
      // Never the same endpoint twice within one request: with every retry used, each endpoint was tried once per request.
      if (retries === 2) expect(failing.map((u) => u.connections)).toEqual([3, 3, 3]);
    } finally {
      await gw.close();
      await Promise.all(failing.map((u) => u.close()));
    }
  });
});

describe('no retry once the upstream has the request in hand', () => {
  let readers: TcpUpstream[];
  let halfAnswering: TcpUpstream[];
  const resets: Socket[] = [];
  let gw: TestGateway;

  beforeAll(async () => {
    readers = await Promise.all([startTcpUpstream('reader-1', resetAfterRequest), startTcpUpstream('reader-2', resetAfterRequest)]);
    // Sends the head and the start of a body, then waits (for the test to reset it).
    const halfAnswer = (socket: Socket): void => {
      readRequest(socket).then(() => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\nx-upstream: half\r\n\r\nstart of the body');
        resets.push(socket);
      }, () => undefined);
    };
    halfAnswering = await Promise.all([startTcpUpstream('half-1', halfAnswer), startTcpUpstream('half-2', halfAnswer)]);
    gw = await startTestGateway(
      [ingress('read', [['readers.test', '/', 'Prefix', 'readers', 80], ['half.test', '/', 'Prefix', 'half', 80]])],
      { 'default/readers:80': at(...readers.map((u) => u.port)), 'default/half:80': at(...halfAnswering.map((u) => u.port)) },
      NO_EJECTION,
    );
  });
  afterAll(async () => {
    for (const socket of resets) socket.destroy();
    await gw?.close();
    await Promise.all([...(readers ?? []), ...(halfAnswering ?? [])].map((u) => u.close()));
  });

  const connectionsOf = (upstreams: TcpUpstream[]): number => upstreams.reduce((sum, u) => sum + u.connections, 0);

  test('a GET the upstream read and reset is retried on the other endpoint (the control for the PUT below)', async () => {
    const before = connectionsOf(readers);
    const response = await attempt(`${gw.url}/x`, { headers: { host: 'readers.test' } });
    expect(response.status).toBe(502);
    expect(connectionsOf(readers) - before).toBe(2);
  });

  test('a PUT whose streamed body (longer than the buffer) the upstream read is not retried: one attempt, 502', async () => {
    const before = connectionsOf(readers);
    const body = 'b'.repeat(DEFAULT_REQUEST_BUFFER_BYTES + 1);
    const response = await attempt(`${gw.url}/x`, { method: 'PUT', body, headers: { host: 'readers.test', 'content-type': 'text/plain' } });
    expect(response.status).toBe(502);
    expect(response.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    expect(connectionsOf(readers) - before).toBe(1);
  });

  test('a PUT whose body was buffered whole is retried like the GET: both endpoints get it', async () => {
    const before = connectionsOf(readers);
    const response = await attempt(`${gw.url}/x`, { method: 'PUT', body: 'the body', headers: { host: 'readers.test', 'content-type': 'text/plain' } });
    expect(response.status).toBe(502);
    expect(connectionsOf(readers) - before).toBe(2);
  });

  test('a POST whose body was buffered whole is still not retried (not idempotent)', async () => {
    const before = connectionsOf(readers);
    const response = await attempt(`${gw.url}/x`, { method: 'POST', body: 'the body', headers: { host: 'readers.test', 'content-type': 'text/plain' } });
    expect(response.status).toBe(502);
    expect(connectionsOf(readers) - before).toBe(1);
  });

  test('an upstream that sent the response head, then resets: one attempt, the client sees a broken response', async () => {
    const before = connectionsOf(halfAnswering);
    const response = await request(`${gw.url}/x`, { headers: { host: 'half.test' } });
    expect(response.statusCode).toBe(200);
    const reading = (async () => {
      for await (const chunk of response.body) {
        void chunk;
        for (const socket of resets.splice(0)) socket.resetAndDestroy();
      }
    })();
    await expect(reading).rejects.toThrow();
    // A full round trip through the gateway afterwards, so a late retry would have connected by now.
    expect((await attempt(`${gw.url}/x`, { headers: { host: 'readers.test' } })).status).toBe(502);
    expect(connectionsOf(halfAnswering) - before).toBe(1);
  });
});
