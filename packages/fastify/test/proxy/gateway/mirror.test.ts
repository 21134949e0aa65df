import { once } from 'node:events';
import http2 from 'node:http2';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DEFAULT_ADDRESS_POLICY } from '@switchyard/core';
import { eventually, refusedPort } from '@switchyard/test-utils';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { forwardHeaderList } from '../../../src/proxy/forward-headers.js';
import { modifyRequestHeaders } from '../../../src/proxy/gateway/header-modifier.js';
import { Mirror } from '../../../src/proxy/gateway/mirror.js';
import { H2cSessions } from '../../../src/proxy/h2c-sessions.js';

/** One request a test server received, body included. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly body: string;
}

/** A server on 127.0.0.1 that records each request and answers it with `answer` (or never, when it returns false). */
interface TestServer {
  readonly url: string;
  readonly received: Received[];
  /** Responses held open by a server that does not answer. */
  readonly held: ServerResponse[];
  close(): Promise<void>;
}

async function startServer(answer: (received: Received, res: ServerResponse) => boolean): Promise<TestServer> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record = { method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString() };
      received.push(record);
      if (!answer(record, res)) held.push(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    held,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  return values;
}

const ok = (_received: Received, res: ServerResponse): boolean => {
  res.end('primary');
  return true;
};

const requestModifier = { set: [['x-header-set', 'set-overwrites-values']], add: [['x-header-add-append', 'header-val-2']], remove: ['x-header-remove'], names: new Set(['x-header-set', 'x-header-add-append', 'x-header-remove']) } as const;

/**
 * A stand-in for the proxy's request path, as the lead will wire it: the body read whole, the
 * headers made by `forwardHeaderList` and the rule's modifier, a copy to the mirror, then the
 * primary dispatch, whose answer is relayed to the client.
 */
async function startFront(agent: Agent, mirror: Mirror, primary: () => string, mirrorOrigin: () => string): Promise<TestServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 0 ? null : Buffer.concat(chunks);
      const host = req.headers.host ?? '';
      const headers = forwardHeaderList(req, host, host, 'req-1', false);
      modifyRequestHeaders(requestModifier, headers);
      mirror.send(1, mirrorOrigin(), req.method!, req.url!, headers, body);
      request(primary() + req.url!, { dispatcher: agent, method: req.method as 'GET', headers, body }).then(
        async (answer) => {
          const text = await answer.body.text();
          res.writeHead(answer.statusCode, { 'x-mirror-in-flight': String(mirror.inFlight) });
          res.end(text);
        },
        () => res.destroy(),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    held: [],
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

let agent: Agent;
const servers: TestServer[] = [];

async function server(answer: (received: Received, res: ServerResponse) => boolean): Promise<TestServer> {
  const started = await startServer(answer);
  servers.push(started);
  return started;
}

beforeAll(() => {
  agent = new Agent({ connections: 16, pipelining: 1, connect: { timeout: 2_000 } });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const started of servers.splice(0)) {
    for (const res of started.held) res.destroy();
    await started.close();
  }
});

afterAll(async () => {
  await agent.destroy();
});

describe('what the mirror receives', () => {
  test('the same method, target with query, headers (Host included) and buffered body as the primary', async () => {
    const primary = await server(ok);
    const mirrored = await server(ok);
    const mirror = new Mirror(agent);
    const front = await startFront(agent, mirror, () => primary.url, () => mirrored.url);
    servers.push(front);

    const answer = await request(`${front.url}/mirror-and-modify-headers?gateway-api-conformance-request-id=42`, {
      method: 'POST',
      headers: { host: 'app.example', 'content-type': 'text/plain', 'x-header-remove': 'remove-val', 'x-header-add-append': 'append-val-1' },
      body: 'hello mirror',
    });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.text()).toBe('primary');
    await eventually('the mirror to get its copy', () => mirror.completed === 1);

    const [seenByPrimary] = primary.received;
    const [seenByMirror] = mirrored.received;
    expect(seenByMirror).toMatchObject({ method: 'POST', url: '/mirror-and-modify-headers?gateway-api-conformance-request-id=42', body: 'hello mirror' });
    // Every header line the primary got, the mirror got too, in the same order.
    expect(seenByMirror!.rawHeaders).toEqual(seenByPrimary!.rawHeaders);
    expect(headerValues(seenByMirror!.rawHeaders, 'host')).toEqual(['app.example']);
    expect(headerValues(seenByMirror!.rawHeaders, 'x-header-add-append')).toEqual(['append-val-1,header-val-2']);
    expect(headerValues(seenByMirror!.rawHeaders, 'x-header-set')).toEqual(['set-overwrites-values']);
    expect(headerValues(seenByMirror!.rawHeaders, 'x-header-remove')).toEqual([]);
    expect(headerValues(seenByMirror!.rawHeaders, 'x-request-id')).toEqual(['req-1']);
    expect(mirror).toMatchObject({ sent: 1, completed: 1, failed: 0, inFlight: 0 });
  });

  test('a request without a body is mirrored without one', async () => {
    const mirrored = await server(ok);
    const mirror = new Mirror(agent);
    expect(mirror.send(1, mirrored.url, 'GET', '/get?x=1', ['host', 'app.example', 'accept', '*/*'], null)).toBe('sent');
    await eventually('the copy to complete', () => mirror.completed === 1);
    expect(mirrored.received[0]).toMatchObject({ method: 'GET', url: '/get?x=1', body: '' });
    expect(headerValues(mirrored.received[0]!.rawHeaders, 'content-length')).toEqual([]);
  });

  test('a copy to an h2c endpoint goes over HTTP/2 when the mirror has an h2c pool; over HTTP/1.1 it would be refused', async () => {
    const seen: Array<{ method: string; path: string; authority: string; body: string }> = [];
    const h2 = http2.createServer();
    h2.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        seen.push({ method: String(headers[':method']), path: String(headers[':path']), authority: String(headers[':authority']), body: Buffer.concat(chunks).toString() });
        stream.respond({ ':status': 200 });
        stream.end('mirrored');
      });
    });
    h2.listen(0, '127.0.0.1');
    await once(h2, 'listening');
    const origin = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    const pool = new H2cSessions({ connectMs: 1_000, firstByteMs: 5_000, idleMs: 5_000, sessionIdleMs: 5_000, addressPolicy: DEFAULT_ADDRESS_POLICY });
    try {
      const mirror = new Mirror(agent, { h2c: pool });
      expect(mirror.send(1, origin, 'POST', '/pkg.Svc/Call?x=1', ['host', 'app.example', 'content-type', 'text/plain'], Buffer.from('copy'), 'h2c')).toBe('sent');
      await eventually('the copy to complete', () => mirror.completed === 1);
      expect(seen).toEqual([{ method: 'POST', path: '/pkg.Svc/Call?x=1', authority: 'app.example', body: 'copy' }]);
      // The same copy over HTTP/1.1 (no protocol given) fails against an h2c-only server.
      mirror.send(1, origin, 'POST', '/again', ['host', 'app.example'], Buffer.from('copy'));
      await eventually('the HTTP/1.1 copy to fail', () => mirror.failed === 1);
      expect(seen).toHaveLength(1);
    } finally {
      await pool.destroy();
      h2.close();
    }
  });

  test('a streamed body is not mirrored, and counted', async () => {
    const mirrored = await server(ok);
    const mirror = new Mirror(agent);
    const stream = Readable.from([Buffer.from('chunk')]);
    expect(mirror.send(1, mirrored.url, 'POST', '/upload', ['host', 'app.example'], stream)).toBe('streamed-body');
    expect(mirror).toMatchObject({ sent: 0, droppedStreamed: 1, inFlight: 0 });
    // Nothing read the stream: it is the primary's alone.
    expect(stream.readableFlowing).toBe(null);
    expect(mirrored.received).toEqual([]);
  });

  test('the mirror’s answer is read whole and dropped, and its connection serves the next copy', async () => {
    const big = Buffer.alloc(1024 * 1024, 'm');
    const mirrored = await server((_received, res) => {
      res.writeHead(500, { 'content-length': big.length });
      res.end(big);
      return true;
    });
    const mirror = new Mirror(agent);
    mirror.send(1, mirrored.url, 'GET', '/a', ['host', 'app.example'], null);
    await eventually('the first copy to complete', () => mirror.completed === 1);
    mirror.send(1, mirrored.url, 'GET', '/b', ['host', 'app.example'], null);
    await eventually('the second copy to complete', () => mirror.completed === 2);
    // A 5xx answer is the mirror's business: a completed copy, not a failure.
    expect(mirror).toMatchObject({ sent: 2, completed: 2, failed: 0, inFlight: 0 });
    expect(mirrored.received.map((r) => r.url)).toEqual(['/a', '/b']);
  });
});

describe('the client’s request never waits for, nor breaks with, the mirror', () => {
  test('a mirror that never answers: the client has its answer while the copy is still in flight', async () => {
    const primary = await server(ok);
    const silent = await server(() => false);
    const mirror = new Mirror(agent);
    const front = await startFront(agent, mirror, () => primary.url, () => silent.url);
    servers.push(front);

    const answer = await request(`${front.url}/mirror`, { method: 'POST', headers: { host: 'app.example' }, body: 'payload' });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.text()).toBe('primary');
    // The primary had answered while the copy was still in flight.
    expect(answer.headers['x-mirror-in-flight']).toBe('1');
    await eventually('the silent mirror to have the copy', () => silent.received.length === 1);
    expect(silent.received[0]).toMatchObject({ url: '/mirror', body: 'payload' });
    expect(silent.held).toHaveLength(1);
    expect(silent.held[0]!.writableEnded).toBe(false);
    expect(mirror.inFlight).toBe(1);
  });

  test('a mirror that refuses connections: the client is answered, the failure counted and told', async () => {
    const primary = await server(ok);
    const port = await refusedPort();
    const failures: Error[] = [];
    const mirror = new Mirror(agent, { onFailure: (error) => failures.push(error) });
    const front = await startFront(agent, mirror, () => primary.url, () => `http://127.0.0.1:${port}`);
    servers.push(front);

    const answer = await request(`${front.url}/mirror`, { headers: { host: 'app.example' } });
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.text()).toBe('primary');
    await eventually('the failure to be counted', () => mirror.failed === 1);
    expect(failures.map((error) => (error as { code?: string }).code)).toEqual(['ECONNREFUSED']);
    expect(mirror.inFlight).toBe(0);
  });

  test('a mirror that never answers frees its slot after the timeout, as a failure', async () => {
    const silent = await server(() => false);
    const failures: Error[] = [];
    const mirror = new Mirror(agent, { timeoutMs: 50, onFailure: (error) => failures.push(error) });
    mirror.send(1, silent.url, 'GET', '/slow', ['host', 'app.example'], null);
    await eventually('the copy to time out', () => mirror.failed === 1);
    expect(failures.map((error) => (error as { code?: string }).code)).toEqual(['UND_ERR_HEADERS_TIMEOUT']);
    expect(mirror.inFlight).toBe(0);
  });

  test('a copy undici refuses at once (a bad header) is a failure, not a throw', () => {
    const failures: Error[] = [];
    const mirror = new Mirror(agent, { onFailure: (error) => failures.push(error) });
    expect(mirror.send(1, 'http://127.0.0.1:1', 'GET', '/x', ['bad header', 'v'], null)).toBe('sent');
    expect(mirror).toMatchObject({ failed: 1, inFlight: 0 });
    expect(failures).toHaveLength(1);
  });
});

describe('bounds', () => {
  test('past maxInFlight a copy is dropped and counted; a freed slot takes the next', async () => {
    const silent = await server(() => false);
    const mirror = new Mirror(agent, { maxInFlight: 2 });
    const headers = ['host', 'app.example'];
    expect(mirror.send(1, silent.url, 'GET', '/1', headers, null)).toBe('sent');
    expect(mirror.send(1, silent.url, 'GET', '/2', headers, null)).toBe('sent');
    expect(mirror.send(1, silent.url, 'GET', '/3', headers, null)).toBe('busy');
    expect(mirror).toMatchObject({ sent: 2, droppedBusy: 1, inFlight: 2 });

    await eventually('both copies to arrive', () => silent.held.length === 2);
    silent.held.shift()!.end('late');
    await eventually('a slot to free', () => mirror.inFlight === 1);
    expect(mirror.send(1, silent.url, 'GET', '/4', headers, null)).toBe('sent');
    await eventually('the fourth copy to arrive', () => silent.received.length === 3);
    expect(silent.received.map((r) => r.url)).toEqual(['/1', '/2', '/4']);
  });

  test('fraction: 0 never sends, 1 always does, others follow Math.random()', async () => {
    const mirrored = await server(ok);
    const mirror = new Mirror(agent);
    const headers = ['host', 'app.example'];
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValue(0);
    expect(mirror.send(0, mirrored.url, 'GET', '/never', headers, null)).toBe('not-sampled');
    random.mockReturnValue(0.999);
    expect(mirror.send(1, mirrored.url, 'GET', '/always', headers, null)).toBe('sent');
    random.mockReturnValue(0.2);
    expect(mirror.send(0.25, mirrored.url, 'GET', '/in', headers, null)).toBe('sent');
    random.mockReturnValue(0.25);
    expect(mirror.send(0.25, mirrored.url, 'GET', '/out', headers, null)).toBe('not-sampled');
    await eventually('the sampled copies to complete', () => mirror.completed === 2);
    expect(mirrored.received.map((r) => r.url).sort()).toEqual(['/always', '/in']);
    expect(mirror.sent).toBe(2);
  });
});
