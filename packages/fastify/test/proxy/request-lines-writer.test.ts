import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLineWriter } from '@switchyard/fastify';
import { refusedPort, startUpstream, type Upstream } from '@switchyard/test-utils';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { LogLines, type LogLine } from '../helpers/log-lines.js';

// The plugin's `requestLines` writes the per-request line itself: the same requests must give
// the same lines as through the app's logger, and close() must not lose the ones it holds.

let upstream: Upstream;
let refused: number;
const viaLogger = new LogLines();
const viaWriter = new LogLines();
let loggerGateway: TestGateway;
let writerGateway: TestGateway;

const ROUTES = [
  ingress('logged', [
    ['logged.test', '/', 'Prefix', 'logged', 80],
    ['logged.test', '/empty', 'Prefix', 'empty', 80],
    ['logged.test', '/down', 'Prefix', 'down', 80],
  ]),
];

beforeAll(async () => {
  upstream = await startUpstream('logged');
  refused = await refusedPort();
  const endpoints = { 'default/logged:80': at(upstream.port), 'default/empty:80': [], 'default/down:80': at(refused) };
  loggerGateway = await startTestGateway(ROUTES, endpoints, { logger: { level: 'info', stream: viaLogger.stream }, proxy: { retries: 0 } });
  writerGateway = await startTestGateway(ROUTES, endpoints, {
    logger: { level: 'info', stream: viaWriter.stream },
    proxy: { retries: 0, requestLines: new RequestLineWriter(viaWriter.stream) },
  });
});
afterAll(async () => {
  await loggerGateway?.close();
  await writerGateway?.close();
  await upstream?.close();
});

/** What differs between two gateways for the same request (its time, ids and duration) by type only; the rest as it is, and the order of the fields. */
function comparable(line: LogLine): Record<string, unknown> {
  const { time, reqId, requestId, durationMs, ...rest } = line;
  return { ...rest, keys: Object.keys(line), time: typeof time, reqId: typeof reqId, requestId: typeof requestId, durationMs: typeof durationMs };
}

const REQUESTS: Array<[path: string, host: string, method: string]> = [
  ['/a/./b?x=1', 'Logged.Test:8080', 'GET'],
  ['/posted', 'logged.test', 'POST'],
  ['/head', 'logged.test', 'HEAD'],
  ['/', 'nowhere.test', 'GET'],
  ['/empty/x', 'logged.test', 'GET'],
  ['/down/x', 'logged.test', 'GET'],
  ['/a%zz', 'logged.test', 'GET'],
  ['/"quoted"\\', 'logged.test', 'GET'],
];

async function send(url: string, [path, host, method]: [string, string, string]): Promise<number> {
  const answer = await request(`${url}${path}`, { method, headers: { host }, ...(method === 'POST' ? { body: 'x' } : {}) });
  await answer.body.dump();
  return answer.statusCode;
}

test('the writer writes the line the logger writes, request for request, field for field', async () => {
  for (const req of REQUESTS) {
    expect(await send(writerGateway.url, req)).toBe(await send(loggerGateway.url, req));
  }
  const proxied = (lines: LogLines) => lines.lines.filter((line) => line.msg === 'proxied');
  await viaLogger.waitFor(() => proxied(viaLogger).length >= REQUESTS.length);
  await viaWriter.waitFor(() => proxied(viaWriter).length >= REQUESTS.length);
  expect(proxied(viaWriter).map(comparable)).toEqual(proxied(viaLogger).map(comparable));
  expect(proxied(viaWriter).map((line) => line['status'])).toEqual([200, 200, 200, 404, 503, 502, 400, 200]);
});

test('through the writer and a buffered pino destination, every request\'s line is in the file when close() resolves', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'swy-request-lines-'));
  try {
    const file = join(dir, 'access.log');
    // More than the lines' worth: nothing reaches the file before close() flushes.
    const stream = pino.destination({ dest: file, sync: false, minLength: 8_192 });
    await once(stream, 'ready');
    const gw = await startTestGateway(ROUTES, { 'default/logged:80': at(upstream.port) }, { logger: { level: 'info', stream }, proxy: { requestLines: new RequestLineWriter(stream) } });
    const sent = Array.from({ length: 20 }, (_, i) => `/r-${i}`);
    const statuses = await Promise.all(sent.map((path) => send(gw.url, [path, 'logged.test', 'GET'])));
    expect(statuses.every((status) => status === 200)).toBe(true);
    await gw.close();
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const paths = text.trimEnd().split('\n').map((line) => JSON.parse(line) as LogLine).filter((line) => line.msg === 'proxied').map((line) => line['path']);
    expect(paths.sort()).toEqual([...sent].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
