import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { within } from '../helpers/deferred.js';
import { LogLines, type LogLine } from '../helpers/log-lines.js';
import { refusedPort, startUpstream, type Upstream } from '@switchyard/test-utils';

const LINE_MS = 15_000;

let upstream: Upstream;
let gw: TestGateway;
let refused: number;
const log = new LogLines();

beforeAll(async () => {
  upstream = await startUpstream('logged');
  refused = await refusedPort();
  gw = await startTestGateway(
    [
      ingress('logged', [
        ['logged.test', '/', 'Prefix', 'logged', 80],
        ['logged.test', '/empty', 'Prefix', 'empty', 80],
        ['logged.test', '/down', 'Prefix', 'down', 80],
      ]),
    ],
    { 'default/logged:80': at(upstream.port), 'default/empty:80': [], 'default/down:80': at(refused) },
    { logger: { level: 'info', stream: log.stream }, proxy: { retries: 0 } },
  );
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

/**
 * Sends a request and returns every log line written from then until a second request, the
 * barrier, has logged its own line. Requests go one at a time and a request's line is
 * written when its response finishes, so what lies between belongs to the first request.
 */
async function linesOf(path: string, host = 'logged.test'): Promise<{ lines: LogLine[]; requestId: string | undefined; status: number }> {
  const from = log.lines.length;
  const response = await request(`${gw.url}${path}`, { headers: { host } });
  await response.body.text();
  const barrier = await request(`${gw.url}/barrier`, { headers: { host: 'logged.test' } });
  await barrier.body.text();
  const barrierId = barrier.headers['x-request-id'];
  const barrierLine = await within(
    log.waitFor((line) => line.requestId === barrierId),
    LINE_MS,
    'the barrier log line',
  );
  const lines = log.lines.slice(from).filter((line) => line.reqId !== barrierLine.reqId);
  const requestId = response.headers['x-request-id'];
  return { lines, requestId: typeof requestId === 'string' ? requestId : undefined, status: response.statusCode };
}

describe('one line per request', () => {
  test('a proxied request logs exactly one line with method, host, path, backend, endpoint, status, duration and id', async () => {
    const { lines, requestId, status } = await linesOf('/a/./b?x=1', 'Logged.Test:8080');
    expect(status).toBe(200);
    expect(requestId).toBeDefined();
    expect(lines, JSON.stringify(lines)).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 30,
      reqId: expect.any(String),
      method: 'GET',
      host: 'Logged.Test:8080',
      path: '/a/b?x=1',
      backend: 'default/logged:80',
      endpoint: `127.0.0.1:${upstream.port}`,
      status: 200,
      requestId,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(line).not.toHaveProperty('error');
  });

  test.each([
    ['no route', '/', 'nowhere.test', 404, 'SWY_PROXY_NO_ROUTE'],
    ['no endpoint', '/empty', 'logged.test', 503, 'SWY_PROXY_NO_ENDPOINT'],
    ['upstream refused', '/down', 'logged.test', 502, 'SWY_PROXY_UPSTREAM_FAILED'],
    ['bad Host', '/', 'bad host', 400, 'SWY_PROXY_BAD_REQUEST'],
  ])('an answer of its own (%s) logs one line with its status and error code', async (_what, path, host, status, code) => {
    const { lines, requestId, status: answered } = await linesOf(path, host);
    expect(answered).toBe(status);
    expect(lines, JSON.stringify(lines)).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: expect.any(String), method: 'GET', host, status, error: code, requestId });
  });

  test('a target Fastify cannot decode (bad percent-encoding) logs one line with its error code', async () => {
    const { lines, status } = await linesOf('/a%zz');
    expect(status).toBe(400);
    expect(lines, JSON.stringify(lines)).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: expect.any(String), method: 'GET', host: 'logged.test', status: 400, error: 'SWY_PROXY_BAD_REQUEST' });
  });
});

test("Fastify's and reply-from's own request lines are absent", async () => {
  await linesOf('/quiet');
  await linesOf('/', 'nowhere.test');
  const chatter = log.lines.filter((line) => ['incoming request', 'request completed', 'fetching from remote server', 'response received'].includes(String(line.msg)));
  expect(chatter).toEqual([]);
  // Lines were written at all (the filter above is not vacuous).
  expect(log.lines.some((line) => line.requestId !== undefined)).toBe(true);
});
