import { once } from 'node:events';
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway, type Gateway } from '@switchyard/fastify';
import { endpointSlice, service, sliceEndpoint } from '@switchyard/test-utils';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ingress } from '../helpers/gateway.js';
import { connect } from 'node:net';

/**
 * An HTTP/1.1 client through the gateway to a cleartext HTTP/2 upstream, chosen by the Service
 * port's `appProtocol: kubernetes.io/h2c` (StaticDiscovery reading a Service and its
 * EndpointSlice, as from a cluster).
 */

const HOST = 'shop.test';

/** A `node:http2` h2c server: records each stream's headers; `handle` answers (default: echo with a trailer). */
interface H2cUpstream {
  readonly port: number;
  readonly seen: IncomingHttpHeaders[];
  sessions: number;
  open: number;
  maxOpen: number;
  handle: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;
  close(): Promise<void>;
}

function echoWithTrailer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'content-type': 'text/plain', 'x-path': String(headers[':path']) }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc123', 'x-count': String(Buffer.concat(chunks).length) }));
    stream.end(`echo:${Buffer.concat(chunks).toString()}`);
  });
}

async function startH2cUpstream(): Promise<H2cUpstream> {
  const server = http2.createServer();
  const upstream: H2cUpstream = {
    port: 0,
    seen: [],
    sessions: 0,
    open: 0,
    maxOpen: 0,
    handle: echoWithTrailer,
    close: async () => {
      server.close();
      for (const session of sessions) session.destroy();
      await once(server, 'close').catch(() => undefined);
    },
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    upstream.sessions++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    upstream.seen.push(headers);
    upstream.open++;
    upstream.maxOpen = Math.max(upstream.maxOpen, upstream.open);
    stream.on('close', () => upstream.open--);
    upstream.handle(stream, headers);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  Object.defineProperty(upstream, 'port', { value: (server.address() as AddressInfo).port });
  return upstream;
}

/** A gateway routing `/h2c` to a Service whose port says h2c and `/plain` to one that says nothing, both on `upstream`. */
async function startH2cGateway(upstream: H2cUpstream): Promise<{ gateway: Gateway; url: string; close(): Promise<void> }> {
  const objects = [
    service('grpc', [{ name: 'h2c', port: 80, appProtocol: 'kubernetes.io/h2c' }], { namespace: 'default' }),
    endpointSlice('grpc-a', 'grpc', [{ name: 'h2c', port: upstream.port }], [sliceEndpoint('127.0.0.1')], { namespace: 'default' }),
    service('plain', [{ name: 'http', port: 80 }], { namespace: 'default' }),
    endpointSlice('plain-a', 'plain', [{ name: 'http', port: upstream.port }], [sliceEndpoint('127.0.0.1')], { namespace: 'default' }),
  ];
  const { table } = compile({
    ingresses: [
      ingress('routes', [
        [HOST, '/h2c', 'Prefix', 'grpc', 80],
        [HOST, '/plain', 'Prefix', 'plain', 80],
      ]),
    ],
  });
  const discovery = new StaticDiscovery({ objects });
  const router = new Router({ table, discovery, balancing: { outlierDetection: false } });
  const gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false, proxy: { retries: 0 } });
  return {
    gateway,
    url: gateway.urls.http,
    close: async () => {
      await gateway.close();
      router.close();
      await discovery.close();
    },
  };
}

let upstream: H2cUpstream;
let gw: Awaited<ReturnType<typeof startH2cGateway>>;

beforeAll(async () => {
  upstream = await startH2cUpstream();
  gw = await startH2cGateway(upstream);
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});
afterEach(() => {
  upstream.handle = echoWithTrailer;
  upstream.seen.length = 0;
});

/** Reads a raw HTTP/1.1 exchange until the end of a chunked body (its trailers included). */
async function rawChunkedExchange(text: string): Promise<string> {
  const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
  let received = '';
  try {
    socket.write(text);
    return await new Promise<string>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (/\r\n0\r\n(?:[^\r\n]+\r\n)*\r\n$/.test(received)) resolve(received);
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`closed before the chunked body ended: ${JSON.stringify(received)}`)));
    });
  } finally {
    socket.destroy();
  }
}

describe('an HTTP/1.1 client to an h2c upstream', () => {
  test('appProtocol kubernetes.io/h2c: the request goes as HTTP/2, with :authority, path and body; the body comes back', async () => {
    const response = await request(`${gw.url}/h2c/items?x=1`, { method: 'POST', headers: { host: HOST, 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('echo:hello');
    const seen = upstream.seen[0]!;
    expect(seen[':authority']).toBe(HOST);
    expect(seen[':path']).toBe('/h2c/items?x=1');
    expect(seen[':method']).toBe('POST');
    expect(seen[':scheme']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(HOST);
  });

  test('the same upstream behind a Service port without appProtocol is spoken to as HTTP/1.1 (and refuses it): 502', async () => {
    const response = await request(`${gw.url}/plain/items`, { headers: { host: HOST } });
    await response.body.text();
    expect(response.statusCode).toBe(502);
    expect(upstream.seen).toHaveLength(0);
  });

  test('hop-by-hop request headers do not go to the h2 upstream; TE goes only as "trailers"', async () => {
    const answer = await rawChunkedExchange(
      `POST /h2c/hop HTTP/1.1\r\nHost: ${HOST}\r\nConnection: keep-alive, TE, X-Private\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\nX-Private: secret\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    const seen = upstream.seen[0]!;
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'x-private', 'host']) expect(seen[name], name).toBeUndefined();
    expect(seen.te).toBe('trailers');
  });

  test('a response without a length reaches the client chunked, with the upstream trailers when the client sent TE: trailers', async () => {
    const answer = await rawChunkedExchange(`POST /h2c/t HTTP/1.1\r\nHost: ${HOST}\r\nTE: trailers\r\nConnection: TE\r\nContent-Length: 3\r\n\r\nabc`);
    const [head, body] = answer.split('\r\n\r\n', 2) as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(body).toContain('echo:abc');
    expect(answer.toLowerCase()).toMatch(/\r\n0\r\nx-checksum: abc123\r\nx-count: 3\r\n\r\n$/);
  });

  test('without TE: trailers the client gets the body and no trailers', async () => {
    const answer = await rawChunkedExchange(`POST /h2c/t HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 3\r\n\r\nabc`);
    expect(answer).toContain('echo:abc');
    expect(answer.toLowerCase()).not.toContain('x-checksum');
    expect(answer).toMatch(/\r\n0\r\n\r\n$/);
  });

  test('concurrent POSTs share one HTTP/2 connection as concurrent streams', async () => {
    const sessionsBefore = upstream.sessions;
    const held: Array<() => void> = [];
    upstream.handle = (stream) => {
      stream.resume();
      held.push(() => stream.respond({ ':status': 200 }, { endStream: true }));
      if (held.length === 5) for (const release of held) release();
    };
    upstream.maxOpen = 0;
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => request(`${gw.url}/h2c/c${i}`, { method: 'POST', headers: { host: HOST }, body: `m${i}` })));
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      await response.body.text();
    }
    expect(upstream.maxOpen).toBe(5);
    expect(upstream.sessions - sessionsBefore).toBeLessThanOrEqual(1);
  });

  test('a graceful GOAWAY from the upstream lets the stream in flight finish; the next request opens a new session', async () => {
    upstream.handle = (stream) => {
      stream.resume();
      stream.session!.close();
      setTimeout(() => {
        stream.respond({ ':status': 200 });
        stream.end('finished');
      }, 50);
    };
    const first = await request(`${gw.url}/h2c/goaway`, { headers: { host: HOST } });
    expect(first.statusCode).toBe(200);
    expect(await first.body.text()).toBe('finished');
    upstream.handle = echoWithTrailer;
    const sessionsBefore = upstream.sessions;
    const second = await request(`${gw.url}/h2c/after`, { method: 'POST', headers: { host: HOST }, body: 'again' });
    expect(await second.body.text()).toBe('echo:again');
    expect(upstream.sessions - sessionsBefore).toBe(1);
  });

  test('the upstream resetting a stream after its head cuts the response; the session serves the next request', async () => {
    upstream.handle = (stream) => {
      stream.resume();
      stream.on('error', () => undefined);
      stream.respond({ ':status': 200 });
      stream.write('part');
      setTimeout(() => stream.destroy(new Error('upstream crash')), 20);
    };
    const response = await request(`${gw.url}/h2c/reset`, { headers: { host: HOST } });
    await expect(response.body.text()).rejects.toThrow();
    upstream.handle = echoWithTrailer;
    const next = await request(`${gw.url}/h2c/next`, { method: 'POST', headers: { host: HOST }, body: 'ok' });
    expect(await next.body.text()).toBe('echo:ok');
  });
});
