import { get as httpGet, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { within } from '../helpers/deferred.js';
import { FixedNameResolver } from '../helpers/fixed-name-resolver.js';
import { headerOf, headersOf, RawConnection } from '../helpers/raw-http.js';
import { type SeenRequest, startUpstream, type Upstream } from '@switchyard/test-utils';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let echo: Upstream, responder: Upstream;
let gw: TestGateway, trusting: TestGateway, external: TestGateway, externalService: TestGateway;

/** Answers by path, with the response headers a proxy must rewrite. */
function respond(request: IncomingMessage, response: import('node:http').ServerResponse): void {
  request.resume();
  request.once('end', () => {
    switch (request.url) {
      case '/respond/hop-by-hop':
        response.writeHead(200, {
          connection: 'keep-alive, X-Private',
          'keep-alive': 'timeout=5, max=7',
          'proxy-connection': 'keep-alive',
          'x-private': 'secret',
          'x-public': 'ok',
          'transfer-encoding': 'chunked',
        });
        response.write('hello, ');
        response.end('chunked world');
        return;
      case '/respond/keep-alive':
        response.writeHead(200, { connection: 'keep-alive', 'keep-alive': 'timeout=5', 'content-length': '3' });
        response.end('bye');
        return;
      case '/respond/cookies':
        response.writeHead(200, { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'], 'content-length': '2' });
        response.end('ok');
        return;
      default:
        response.writeHead(404).end();
    }
  });
}

beforeAll(async () => {
  [echo, responder] = await Promise.all([startUpstream('echo'), startUpstream('responder', respond)]);
  const rules = ingress('app', [
    ['app.test', '/', 'Prefix', 'echo', 80],
    ['app.test', '/respond', 'Prefix', 'responder', 80],
  ]);
  const endpoints = { 'default/echo:80': at(echo.port), 'default/responder:80': at(responder.port) };
  [gw, trusting, external, externalService] = await Promise.all([
    startTestGateway([rules], endpoints),
    startTestGateway([rules], endpoints, { proxy: { trustForwarded: true, trustRequestId: true } }),
    startTestGateway([ingress('ext', [['app.test', '/', 'Prefix', 'ext', 80]])], {
      // An ExternalName Service resolved to this upstream: the endpoint carries the name it came from.
      'default/ext:80': [{ address: '127.0.0.1', port: echo.port, externalName: 'ext.example.net' }],
    }),
    startTestGateway([ingress('ext', [['app.test', '/', 'Prefix', 'ext', 80]])], {}),
  ]);
  // The same through a Service of type ExternalName and a resolver, as a cluster source feeds it.
  externalService.discovery.update({
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ext', namespace: 'default' },
        spec: { type: 'ExternalName', externalName: 'ext.example.net', ports: [{ port: 80, targetPort: echo.port }] },
      },
    ],
    externalNames: new FixedNameResolver({ 'ext.example.net': ['127.0.0.1'] }),
    allowExternalNames: ['ext.example.net'],
  });
});
afterAll(async () => {
  await Promise.all([gw, trusting, external, externalService].map((g) => g?.close()));
  await Promise.all([echo, responder].map((u) => u?.close()));
});

/** GETs `path` through `through` with the given headers; the echo upstream's record of it. */
async function echoed(through: TestGateway, headers: Record<string, string>, path = '/echo') {
  const response = await request(`${through.url}${path}`, { headers: { host: 'app.test', ...headers } });
  const body = await response.body.text();
  expect(response.statusCode).toBe(200);
  return { seen: JSON.parse(body) as SeenRequest, headers: response.headers };
}

function port(url: string): string {
  return new URL(url).port;
}

describe('Host', () => {
  test("the client's Host reaches the upstream as sent, port and case included", async () => {
    const { seen } = await echoed(gw, { host: 'App.Test:8443' });
    expect(seen.headers.host).toBe('App.Test:8443');
  });

  test('an ExternalName endpoint written in code gets its external name as Host, with the port when not 80', async () => {
    const { seen } = await echoed(external, { host: 'app.test' });
    expect(seen.headers.host).toBe(`ext.example.net:${echo.port}`);
    // The client's Host is still told through X-Forwarded-Host.
    expect(seen.headers['x-forwarded-host']).toBe('app.test');
  });

  test('an ExternalName Service resolved by discovery gets its external name as Host', async () => {
    const { seen } = await echoed(externalService, { host: 'app.test' });
    expect(seen.headers.host).toBe(`ext.example.net:${echo.port}`);
    expect(seen.headers['x-forwarded-host']).toBe('app.test');
  });
});

describe('X-Forwarded-*', () => {
  test('are set: the client address, http, the Host as sent, the gateway port', async () => {
    const { seen } = await echoed(gw, { host: 'app.test:1234' });
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('app.test:1234');
    expect(seen.headers['x-forwarded-port']).toBe(port(gw.url));
  });

  test('X-Forwarded-Host is the authority routed: an absolute-form target\'s, never the Host header beside it', async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write('GET http://app.test:8080/abs HTTP/1.1\r\nHost: evil.test/x\r\n\r\n');
      const response = await connection.readResponse();
      expect(response.statusCode).toBe(200);
      const seen = JSON.parse(response.body.toString()) as SeenRequest;
      expect(seen.url).toBe('/abs');
      expect(seen.headers.host).toBe('app.test:8080');
      expect(seen.headers['x-forwarded-host']).toBe('app.test:8080');
      expect(JSON.stringify(seen.rawHeaders)).not.toContain('evil');
    } finally {
      connection.close();
    }
  });

  const spoofed = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'spoofed.example', 'x-forwarded-port': '443', forwarded: 'for=203.0.113.7;proto=https', 'x-real-ip': '203.0.113.7' };

  test("replace the client's own by default", async () => {
    const { seen } = await echoed(gw, spoofed);
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('app.test');
    expect(seen.headers['x-forwarded-port']).toBe(port(gw.url));
    expect(seen.rawHeaders.filter((name) => name.toLowerCase() === 'x-forwarded-for')).toHaveLength(1);
    // The other spellings of the same claims are dropped, not passed on.
    expect(seen.headers['forwarded']).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBeUndefined();
  });

  test('with trustForwarded, X-Forwarded-For is appended to and the others are kept', async () => {
    const { seen } = await echoed(trusting, spoofed);
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers['x-forwarded-host']).toBe('spoofed.example');
    expect(seen.headers['x-forwarded-port']).toBe('443');
    expect(seen.headers['forwarded']).toBe('for=203.0.113.7;proto=https');
    expect(seen.headers['x-real-ip']).toBe('203.0.113.7');
  });

  test('with trustForwarded but none sent, they are set as usual', async () => {
    const { seen } = await echoed(trusting, {});
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('app.test');
    expect(seen.headers['x-forwarded-port']).toBe(port(trusting.url));
  });
});

describe('X-Request-Id', () => {
  test('a UUID is made, sent upstream and returned to the client', async () => {
    const { seen, headers } = await echoed(gw, {});
    const id = seen.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(headers['x-request-id']).toBe(id);
  });

  test('each request gets its own', async () => {
    const [a, b] = await Promise.all([echoed(gw, {}), echoed(gw, {})]);
    expect(a.seen.headers['x-request-id']).not.toBe(b.seen.headers['x-request-id']);
  });

  test("the client's is replaced unless trustRequestId", async () => {
    const { seen, headers } = await echoed(gw, { 'x-request-id': 'client-chosen-42' });
    expect(seen.headers['x-request-id']).toMatch(UUID);
    expect(headers['x-request-id']).toBe(seen.headers['x-request-id']);
  });

  test("with trustRequestId the client's is kept and returned", async () => {
    const { seen, headers } = await echoed(trusting, { 'x-request-id': 'client-chosen-42' });
    expect(seen.headers['x-request-id']).toBe('client-chosen-42');
    expect(headers['x-request-id']).toBe('client-chosen-42');
  });

  test.each([
    ['too long', 'a'.repeat(201)],
    ['with a space', 'two words'],
    ['with a tab', 'tab\there'],
  ])('with trustRequestId an invalid one (%s) is replaced', async (_what, id) => {
    const { seen, headers } = await echoed(trusting, { 'x-request-id': id });
    expect(seen.headers['x-request-id']).toMatch(UUID);
    expect(headers['x-request-id']).toBe(seen.headers['x-request-id']);
  });

  test('with trustRequestId one of exactly the longest length is kept', async () => {
    const id = 'b'.repeat(200);
    const { seen } = await echoed(trusting, { 'x-request-id': id });
    expect(seen.headers['x-request-id']).toBe(id);
  });
});

describe('hop-by-hop headers', () => {
  test('are not forwarded upstream, nor the headers Connection lists; end-to-end ones are', async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write(
        'GET /echo HTTP/1.1\r\nHost: app.test\r\n' +
          'Connection: keep-alive, X-Secret\r\nX-Secret: s3cret\r\nKeep-Alive: timeout=30\r\nTE: trailers\r\nTrailer: X-Checksum\r\n' +
          'Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\nUpgrade: h2c\r\nX-Kept: yes\r\n\r\n',
      );
      const response = await within(connection.readResponse(), 10_000, 'the response');
      expect(response.statusCode).toBe(200);
      const seen = JSON.parse(response.body.toString()) as SeenRequest;
      for (const name of ['x-secret', 'keep-alive', 'te', 'trailer', 'proxy-connection', 'proxy-authorization', 'upgrade']) {
        expect(seen.headers, name).not.toHaveProperty(name);
      }
      // The upstream connection's own Connection header (undici's) may be there, never the client's list.
      expect(seen.headers.connection ?? 'keep-alive').toBe('keep-alive');
      expect(seen.headers['x-kept']).toBe('yes');
    } finally {
      connection.close();
    }
  });

  test("are not returned to the client, nor the headers the upstream's Connection lists; a chunked body is re-framed intact", async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write('GET /respond/hop-by-hop HTTP/1.1\r\nHost: app.test\r\n\r\n');
      const response = await within(connection.readResponse(), 10_000, 'the response');
      expect(response.statusCode).toBe(200);
      expect(response.body.toString()).toBe('hello, chunked world');
      expect(headerOf(response, 'x-public')).toBe('ok');
      expect(headerOf(response, 'x-private')).toBeUndefined();
      expect(headerOf(response, 'proxy-connection')).toBeUndefined();
      // Node writes the gateway's own Connection/Keep-Alive for the client connection; the upstream's must not show.
      expect(headersOf(response, 'connection').join(',').toLowerCase()).not.toContain('x-private');
      expect(headersOf(response, 'keep-alive').join(',')).not.toContain('max=7');
      // One framing only: Node's own chunked encoding, never the upstream's header repeated.
      expect(headersOf(response, 'transfer-encoding').length).toBeLessThanOrEqual(1);
      expect(response.chunked || headerOf(response, 'content-length') === String('hello, chunked world'.length)).toBe(true);
    } finally {
      connection.close();
    }
  });

  test('several Set-Cookie headers reach the client as separate headers', async () => {
    const request = httpGet(`${gw.url}/respond/cookies`, { headers: { host: 'app.test' } });
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    response.resume();
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
  });
});

describe('client connection', () => {
  test("Connection: close from the client closes the socket after the response, whatever the upstream's keep-alive", async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write('GET /respond/keep-alive HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n');
      const response = await within(connection.readResponse(), 10_000, 'the response');
      expect(response.statusCode).toBe(200);
      expect(response.body.toString()).toBe('bye');
      expect(headerOf(response, 'connection')?.toLowerCase()).toBe('close');
      expect(headerOf(response, 'keep-alive')).toBeUndefined();
      await within(connection.ended, 10_000, 'the gateway to close the connection');
      expect(connection.sawEnd).toBe(true);
    } finally {
      connection.close();
    }
  });

  test('without Connection: close, two requests share one client connection', async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write('GET /respond/keep-alive HTTP/1.1\r\nHost: app.test\r\n\r\n');
      const first = await within(connection.readResponse(), 10_000, 'the first response');
      expect(first.statusCode).toBe(200);
      expect(headerOf(first, 'connection')?.toLowerCase()).not.toBe('close');
      connection.write('GET /echo/second HTTP/1.1\r\nHost: app.test\r\n\r\n');
      const second = await within(connection.readResponse(), 10_000, 'the second response');
      expect(second.statusCode).toBe(200);
      expect((JSON.parse(second.body.toString()) as SeenRequest).url).toBe('/echo/second');
      expect(connection.isEnded).toBe(false);
    } finally {
      connection.close();
    }
  });
});
