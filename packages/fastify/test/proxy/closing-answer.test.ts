import { afterAll, beforeAll, expect, test } from 'vitest';
import { startUpstream, type Upstream } from '@switchyard/test-utils';
import { within } from '../helpers/deferred.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { LogLines } from '../helpers/log-lines.js';
import { metricValue } from '../helpers/metric-value.js';
import { headerOf, RawConnection } from '../helpers/raw-http.js';

// A request that reaches the proxy once its app is closing gets the proxy's 503, in its words
// (code, header, body), with its log line and its count, rather than Fastify's own 503, which
// was logged in Fastify's words and counted nowhere.

const EVENT_MS = 10_000;

let upstream: Upstream;
let gw: TestGateway;
const log = new LogLines();

beforeAll(async () => {
  upstream = await startUpstream('late');
  gw = await startTestGateway([ingress('late', [['closing.test', '/', 'Prefix', 'late', 80]])], { 'default/late:80': at(upstream.port) }, { logger: { level: 'info', stream: log.stream } });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

test('a request that arrives while the gateway closes: 503 SWY_PROXY_CLOSING with Connection: close, one line, counted, not forwarded', async () => {
  const connection = await RawConnection.open(gw.url);
  // Headers under way: the connection is not idle, so closing leaves it open.
  connection.write('GET /late?x=1 HTTP/1.1\r\nHost: closing.test\r\n');
  const closing = gw.gateway.close();
  const server = gw.gateway.apps.http.server;
  // The server stops listening once the app's preClose hooks ran (the proxy knows it is closing).
  await within(
    (async () => {
      while (server.listening) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    EVENT_MS,
    'the listener to stop',
  );
  connection.write('\r\n');
  const response = await within(connection.readResponse(), EVENT_MS, 'the answer');
  expect(response.statusCode).toBe(503);
  expect(headerOf(response, 'x-switchyard-error')).toBe('SWY_PROXY_CLOSING');
  expect(headerOf(response, 'connection')).toBe('close');
  expect(response.body.toString()).toContain('SWY_PROXY_CLOSING');
  await within(closing, EVENT_MS, 'close() to resolve');

  const lines = log.lines.filter((line) => line.msg === 'proxied');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ protocol: 'http1', method: 'GET', host: 'closing.test', path: '/late?x=1', status: 503, error: 'SWY_PROXY_CLOSING' });
  expect(log.lines.some((line) => typeof line.msg === 'string' && line.msg.includes('server is closing'))).toBe(false);
  expect(await metricValue(gw.gateway, 'requests_total', { status: '503', protocol: 'http1' })).toBe(1);
  expect(await metricValue(gw.gateway, 'errors_total', { code: 'SWY_PROXY_CLOSING' })).toBe(1);
  expect(upstream.seen).toHaveLength(0);
});
