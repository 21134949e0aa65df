import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { ERROR_HEADER } from '@switchyard/fastify';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { within } from '../helpers/deferred.js';
import { errorCodeOf, rawExchange, statusOf } from '../helpers/raw-http.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

let upstream: Upstream;
let gw: TestGateway;
/** Every request line the upstream saw, as soon as its head arrived (body or not). */
let received: string[] = [];
/** Every connection made to the upstream. */
let connections = 0;

beforeAll(async () => {
  upstream = await startUpstream('recorder');
  upstream.server.on('request', (req) => received.push(`${req.method} ${req.url}`));
  upstream.server.on('connection', () => connections++);
  gw = await startTestGateway([ingress('bad', [['bad.test', '/', 'Prefix', 'recorder', 80]])], { 'default/recorder:80': at(upstream.port) });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});
beforeEach(() => {
  received = [];
});

/** Sends raw bytes on a new connection; the whole answer (the gateway closes the connection after refusing). */
async function send(text: string): Promise<string> {
  return within(rawExchange(gw.url, text), 15_000, 'the gateway to answer and close');
}

/**
 * What reached the upstream while a bad request was handled. A well-formed request sent
 * afterwards is the barrier: once it has come back, anything forwarded before it has arrived.
 */
async function forwardedBesidesBarrier(): Promise<string[]> {
  const barrier = await request(`${gw.url}/barrier`, { headers: { host: 'bad.test' } });
  await barrier.body.text();
  expect(barrier.statusCode).toBe(200);
  return received.filter((line) => line !== 'GET /barrier');
}


describe('requests the parser refuses: nothing is forwarded', () => {
  test('headers over 16 KiB answer 431', async () => {
    const before = connections;
    const answer = await send(`GET / HTTP/1.1\r\nHost: bad.test\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(statusOf(answer)).toBe(431);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(await forwardedBesidesBarrier()).toEqual([]);
    // Not even a connection was opened for it: only the barrier's, if the pool had none idle.
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  test('Content-Length with Transfer-Encoding answers 400', async () => {
    const answer = await send('POST / HTTP/1.1\r\nHost: bad.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(await forwardedBesidesBarrier()).toEqual([]);
  });

  test('two different Content-Length headers answer 400', async () => {
    const answer = await send('POST / HTTP/1.1\r\nHost: bad.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!');
    expect(statusOf(answer)).toBe(400);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(await forwardedBesidesBarrier()).toEqual([]);
  });
});

describe('the header line limit: Node keeps `server.maxHeadersCount` lines (1000 by default) and drops the rest unseen', () => {
  /** A request of `lines` header lines in all, Host and Connection included, the last one a Content-Length with its body. */
  function withLines(lines: number): string {
    let head = 'POST /many HTTP/1.1\r\nHost: bad.test\r\nConnection: close\r\n';
    for (let i = 0; i < lines - 3; i++) head += `x-${i}: v\r\n`;
    return `${head}Content-Length: 5\r\n\r\nhello`;
  }
  const server = () => gw.gateway.apps.http.server;

  test('a request that reaches the limit answers 431 and forwards nothing (what was dropped may be its framing)', async () => {
    const answer = await send(withLines(1001));
    expect(statusOf(answer)).toBe(431);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(answer).toContain('too many header lines');
    expect(await forwardedBesidesBarrier()).toEqual([]);
    expect(statusOf(await send(withLines(1000)))).toBe(431);
  });

  test('one line under the limit is forwarded', async () => {
    expect(statusOf(await send(withLines(999)))).toBe(200);
    expect(await forwardedBesidesBarrier()).toEqual(['POST /many']);
  });

  test("the limit is the server's maxHeadersCount, read per request; 0 means none", async () => {
    try {
      server().maxHeadersCount = 10;
      expect(statusOf(await send(withLines(10)))).toBe(431);
      expect(statusOf(await send(withLines(9)))).toBe(200);
      server().maxHeadersCount = 0;
      expect(statusOf(await send(withLines(1200)))).toBe(200);
      expect(await forwardedBesidesBarrier()).toEqual(['POST /many', 'POST /many']);
    } finally {
      server().maxHeadersCount = null;
    }
  });
});

describe('bad targets and hosts answer 400 SWY_PROXY_BAD_REQUEST and forward nothing', () => {
  test.each([
    ['a control character in the target', 'GET /a\x01b HTTP/1.1\r\nHost: bad.test\r\n\r\n'],
    ['DEL in the target', 'GET /a\x7fb HTTP/1.1\r\nHost: bad.test\r\n\r\n'],
    ['a raw non-ASCII byte in the target', 'GET /caf\xe9 HTTP/1.1\r\nHost: bad.test\r\n\r\n'],
    ['a relative target', 'GET ../x HTTP/1.1\r\nHost: bad.test\r\n\r\n'],
    ['a dot-relative target without a slash', 'GET ..%2Fx HTTP/1.1\r\nHost: bad.test\r\n\r\n'],
    ['a Host with a space', 'GET / HTTP/1.1\r\nHost: bad .test\r\n\r\n'],
    ['a Host with a slash', 'GET / HTTP/1.1\r\nHost: bad.test/x\r\n\r\n'],
    ['a Host with userinfo', 'GET / HTTP/1.1\r\nHost: user@bad.test\r\n\r\n'],
    ['a Host with angle brackets', 'GET / HTTP/1.1\r\nHost: <bad.test>\r\n\r\n'],
    ['a Host with a bad port', 'GET / HTTP/1.1\r\nHost: bad.test:80x\r\n\r\n'],
  ])('%s', async (_what, text) => {
    const answer = await send(`${text.slice(0, -2)}Connection: close\r\n\r\n`);
    expect(statusOf(answer), answer).toBe(400);
    expect(errorCodeOf(answer)).toBe('SWY_PROXY_BAD_REQUEST');
    expect(await forwardedBesidesBarrier()).toEqual([]);
  });
});

describe('request smuggling', () => {
  // The front end reads the Content-Length, a back end the chunked framing: a second request hides in the body.
  const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: bad.test\r\n\r\n';
  const body = `0\r\n\r\n${smuggled}`;
  test.each([
    ['plain', 'Transfer-Encoding: chunked'],
    ['TE before CL', 'Transfer-Encoding: chunked', true],
    ['with a tab', 'Transfer-Encoding:\tchunked'],
    ['in a list', 'Transfer-Encoding: identity, chunked'],
    ['in capitals', 'TRANSFER-ENCODING: CHUNKED'],
  ])('CL.TE (%s) gets no second request to the upstream', async (_what, te, teFirst = false) => {
    const cl = `Content-Length: ${body.length}`;
    const framing = teFirst ? `${te}\r\n${cl}` : `${cl}\r\n${te}`;
    const answer = await send(`POST /front HTTP/1.1\r\nHost: bad.test\r\n${framing}\r\n\r\n${body}`);
    expect(statusOf(answer)).toBe(400);
    const forwarded = await forwardedBesidesBarrier();
    expect(forwarded).not.toContain('GET /smuggled');
    expect(forwarded).toEqual([]);
  });

  test('a chunked body holding a request reaches the upstream as one request', async () => {
    // Valid framing: the upstream gets the bytes as a body, never as a request of its own.
    const chunk = smuggled;
    const answer = await send(
      `POST /front HTTP/1.1\r\nHost: bad.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(statusOf(answer)).toBe(200);
    expect(await forwardedBesidesBarrier()).toEqual(['POST /front']);
  });
});
