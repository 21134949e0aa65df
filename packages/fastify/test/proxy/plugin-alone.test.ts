import type { IncomingMessage, ServerResponse } from 'node:http';
import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { GatewayMetrics, switchyard, switchyardServerOptions } from '@switchyard/fastify';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { within } from '../helpers/deferred.js';
import { startSlowUpstream, type SlowUpstream } from '../helpers/slow-upstream.js';
import { at, ingress, startTestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/metric-value.js';
import { errorCodeOf, headerOf, rawExchange, RawConnection, statusOf } from '../helpers/raw-http.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

/**
 * The plugin registered on an app of one's own, with `switchyardServerOptions`, answers bad
 * requests and drains exactly as `startGateway` does: each case runs against both.
 */

const EVENT_MS = 15_000;
const HOST = 'alone.test';

/** A proxying app, however it was made: where it listens, its metrics, and how it closes. */
interface Subject {
  readonly url: string;
  readonly metrics: GatewayMetrics;
  /** Starts closing (draining); resolves when closed. */
  close(): Promise<void>;
}

let upstream: Upstream;
let received: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream('alone', (request: IncomingMessage, response: ServerResponse) => {
    received.push(`${request.method} ${request.url}`);
    request.resume();
    response.writeHead(200, { 'content-length': '2' }).end('ok');
  });
});
afterAll(async () => {
  await upstream?.close();
});

const open: Subject[] = [];
const slowUpstreams: SlowUpstream[] = [];
afterEach(async () => {
  for (const slow of slowUpstreams) slow.release.resolve();
  await Promise.all(open.splice(0).map((subject) => subject.close()));
  await Promise.all(slowUpstreams.splice(0).map((slow) => slow.upstream.close()));
  received = [];
});

const routes = [ingress('alone', [[HOST, '/', 'Prefix', 'alone', 80]])];

async function viaGateway(port: number): Promise<Subject> {
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const gw = await startTestGateway(routes, { 'default/alone:80': at(port) }, { metrics, drainTimeoutMs: 60_000 });
  return { url: gw.url, metrics, close: () => gw.close() };
}

async function viaPlugin(port: number): Promise<Subject> {
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const discovery = new StaticDiscovery({ endpoints: { 'default/alone:80': at(port) } });
  const router = new Router({ table: compile({ ingresses: routes }).table, discovery });
  const app = Fastify({ ...switchyardServerOptions({ observer: metrics }), logger: false });
  await app.register(switchyard, { router, observer: metrics });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    metrics,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        router.close();
        await discovery.close();
      })()),
  };
}

const subjects: ReadonlyArray<[string, (upstreamPort: number) => Promise<Subject>]> = [
  ['startGateway', viaGateway],
  ['the plugin on an app of its own', viaPlugin],
];


describe.each(subjects)('%s', (_name, make) => {
  test.each<[string, string, number]>([
    ['an HTTP/1.1 request without Host', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
    ['two Host headers', `GET / HTTP/1.1\r\nHost: ${HOST}\r\nHost: other.test\r\nConnection: close\r\n\r\n`, 400],
    ['a target Fastify cannot decode', `GET /a%zz HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`, 400],
    ['headers over 16 KiB', `GET / HTTP/1.1\r\nHost: ${HOST}\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431],
    ['Content-Length with Transfer-Encoding', `POST / HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
    ['a CONNECT request', `CONNECT ${HOST}:443 HTTP/1.1\r\nHost: ${HOST}:443\r\n\r\n`, 400],
  ])('%s: the proxy\'s own answer, counted, nothing forwarded', async (_label, text, status) => {
    const subject = await make(upstream.port);
    open.push(subject);
    const answer = await within(rawExchange(subject.url, text), EVENT_MS, 'the answer');
    expect(statusOf(answer)).toBe(status);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(await metricValue(subject, 'errors_total', { code: 'SWY_PROXY_BAD_REQUEST' })).toBe(1);
    // A good request after it is the barrier: anything forwarded before it has arrived by then.
    const barrier = await within(rawExchange(subject.url, `GET /barrier HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`), EVENT_MS, 'the barrier');
    expect(statusOf(barrier)).toBe(200);
    expect(received).toEqual(['GET /barrier']);
  });

  test('closing: a response in flight finishes with Connection: close, then its connection ends', async () => {
    const slow = await startSlowUpstream();
    slowUpstreams.push(slow);
    const { started, release } = slow;
    const subject = await make(slow.upstream.port);
    open.push(subject);
    const connection = await RawConnection.open(subject.url);
    try {
      connection.write(`GET /slow HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      await within(started.promise, EVENT_MS, 'the upstream to start answering');
      const closed = subject.close();
      release.resolve();
      const response = await within(connection.readResponse(), EVENT_MS, 'the response in flight');
      expect(response.body.toString()).toBe('start;done');
      expect(headerOf(response, 'connection')).toBe('close');
      await within(connection.ended, EVENT_MS, 'the connection to end');
      await within(closed, EVENT_MS, 'close() to resolve once drained');
    } finally {
      connection.close();
    }
  });

  test('closing: an idle keep-alive connection is closed', async () => {
    const subject = await make(upstream.port);
    open.push(subject);
    const connection = await RawConnection.open(subject.url);
    try {
      connection.write(`GET /quick HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      const response = await within(connection.readResponse(), EVENT_MS, 'the response');
      expect(response.statusCode).toBe(200);
      expect(connection.isEnded).toBe(false);
      const closed = subject.close();
      await within(connection.ended, EVENT_MS, 'the idle connection to be closed');
      await within(closed, EVENT_MS, 'close() to resolve');
    } finally {
      connection.close();
    }
  });
});
