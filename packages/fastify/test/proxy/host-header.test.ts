import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ERROR_HEADER } from '@switchyard/fastify';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/raw-http.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

let upstream: Upstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startUpstream('app');
  gw = await startTestGateway([ingress('app', [['app.test', '/', 'Prefix', 'app', 80]], ['app', 80])], { 'default/app:80': at(upstream.port) });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

/** Sends raw bytes and returns the whole answer, after a barrier request shows what reached the upstream. */
async function probe(bytes: string): Promise<{ answer: string; forwarded: number }> {
  const before = upstream.seen.length;
  const answer = await rawExchange(gw.url, bytes);
  // The barrier is answered by the upstream only after anything sent before it has arrived there.
  const barrier = await request(`${gw.url}${BARRIER_PATH}`, { headers: { host: 'app.test' } });
  await barrier.body.text();
  expect(barrier.statusCode).toBe(200);
  return { answer, forwarded: upstream.seen.slice(before).filter((seen) => seen.url !== BARRIER_PATH).length };
}

const BARRIER_PATH = '/barrier';

/** The last request the upstream saw other than a barrier. */
function lastForwarded(): Upstream['seen'][number] {
  return upstream.seen.filter((seen) => seen.url !== BARRIER_PATH).at(-1)!;
}

test.each([
  ['two Host headers', 'GET / HTTP/1.1\r\nHost: app.test\r\nHost: evil.test\r\nConnection: close\r\n\r\n'],
  ['two Host headers of different case', 'GET / HTTP/1.1\r\nhost: app.test\r\nHOST: app.test\r\nConnection: close\r\n\r\n'],
  ['an HTTP/1.1 request without Host', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'],
  ['CONNECT', 'CONNECT app.test:443 HTTP/1.1\r\nHost: app.test:443\r\n\r\n'],
])('%s: 400 with the code, nothing forwarded', async (_name, bytes) => {
  const { answer, forwarded } = await probe(bytes);
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer.toLowerCase()).toContain(`${ERROR_HEADER}: swy_proxy_bad_request`);
  expect(forwarded).toBe(0);
});

test('an HTTP/1.0 request without Host reaches the hostless rules, with the upstream address as Host and no X-Forwarded-Host', async () => {
  const { answer, forwarded } = await probe('GET /x HTTP/1.0\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  expect(forwarded).toBe(1);
  expect(lastForwarded().headers.host).toBe(`127.0.0.1:${upstream.port}`);
  expect(lastForwarded().rawHeaders.map((name) => name.toLowerCase())).not.toContain('x-forwarded-host');
});

test.each([
  ['an empty Host', 'GET /x HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n'],
  ['a Host that is only a port', 'GET /x HTTP/1.1\r\nHost: :8080\r\nConnection: close\r\n\r\n'],
])('%s names no host: the hostless rules, the upstream address as Host, no X-Forwarded-Host', async (_what, bytes) => {
  const { answer, forwarded } = await probe(bytes);
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  expect(forwarded).toBe(1);
  expect(lastForwarded().headers.host).toBe(`127.0.0.1:${upstream.port}`);
  expect(lastForwarded().rawHeaders.map((name) => name.toLowerCase())).not.toContain('x-forwarded-host');
});

test('an absolute-form HTTP/1.1 target needs no Host header', async () => {
  const { answer } = await probe('GET http://app.test/y HTTP/1.1\r\nConnection: close\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  expect(lastForwarded().headers.host).toBe('app.test');
});
