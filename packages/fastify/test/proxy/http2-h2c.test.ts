import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { constants, type ClientHttp2Session } from 'node:http2';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startUpstream, type SeenRequest, type Upstream } from '@switchyard/test-utils';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http2Request, http2Session, readAnswer } from '../helpers/http2-client.js';
import { metricValue } from '../helpers/metric-value.js';

// h2c with prior knowledge on the plain listener (`h2c: true`), next to HTTP/1.1 on the same port.

let shop: Upstream, blog: Upstream;
let gw: TestGateway;
let session: ClientHttp2Session;

beforeAll(async () => {
  [shop, blog] = await Promise.all([startUpstream('shop'), startUpstream('blog')]);
  gw = await startTestGateway(
    [ingress('web', [['shop.example.com', '/', 'Prefix', 'shop', 80], ['blog.example.com', '/', 'Prefix', 'blog', 80], ['empty.example.com', '/', 'Prefix', 'empty', 80]])],
    { 'default/shop:80': at(shop.port), 'default/blog:80': at(blog.port), 'default/empty:80': [] },
    { h2c: true },
  );
  session = await http2Session(gw.url);
});
afterAll(async () => {
  session.close();
  await gw.close();
  await Promise.all([shop.close(), blog.close()]);
});

function echoOf(body: string): SeenRequest {
  return JSON.parse(body) as SeenRequest;
}

describe('routing by :authority', () => {
  test('concurrent streams on one connection go to the backends their :authority names', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => http2Request(session, { ':authority': i % 2 === 0 ? 'shop.example.com' : 'blog.example.com', ':path': `/item/${i}?q=${i}` })),
    );
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      const echo = echoOf(answer.body);
      expect(echo.upstream).toBe(i % 2 === 0 ? 'shop' : 'blog');
      expect(echo.url).toBe(`/item/${i}?q=${i}`);
    });
  });

  test('upstream gets Host from :authority, no pseudo-header, HTTP/1.1 framing; the client gets no connection-specific header', async () => {
    const answer = await http2Request(session, { ':authority': 'Shop.Example.com:80', ':path': '/a//b/../c', 'x-custom': 'kept', te: 'trailers' });
    expect(answer.status).toBe(200);
    const echo = echoOf(answer.body);
    expect(echo.upstream).toBe('shop');
    // The normalized path is what goes upstream; the authority is forwarded as the client wrote it.
    expect(echo.url).toBe('/a/c');
    expect(echo.headers.host).toBe('Shop.Example.com:80');
    expect(echo.headers['x-forwarded-host']).toBe('Shop.Example.com:80');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.headers['x-custom']).toBe('kept');
    expect(echo.headers.te).toBeUndefined();
    expect(echo.rawHeaders.filter((_, i) => i % 2 === 0 && echo.rawHeaders[i]!.startsWith(':'))).toEqual([]);
    expect(answer.headers['x-upstream']).toBe('shop');
    expect(answer.headers['x-request-id']).toBe(echo.headers['x-request-id']);
    for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']) expect(answer.headers[name]).toBeUndefined();
  });

  test('a request body without Content-Length (DATA frames only) is forwarded whole', async () => {
    const answer = await http2Request(session, { ':method': 'POST', ':authority': 'blog.example.com', ':path': '/upload' }, Buffer.alloc(100_000, 7));
    expect(answer.status).toBe(200);
    expect(echoOf(answer.body)).toMatchObject({ upstream: 'blog', method: 'POST', bodyBytes: 100_000 });
  });

  test('a Host header that names another authority than :authority is refused with 400 and the proxy\'s code', async () => {
    const before = shop.seen.length + blog.seen.length;
    const answer = await http2Request(session, { ':authority': 'shop.example.com', ':path': '/', host: 'blog.example.com' });
    expect(answer.status).toBe(400);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_BAD_REQUEST');
    expect(answer.body).toContain(':authority and Host');
    expect(shop.seen.length + blog.seen.length).toBe(before);
  });

  test('a Host header equal to :authority (any case) is accepted', async () => {
    const answer = await http2Request(session, { ':authority': 'shop.example.com', ':path': '/', host: 'SHOP.example.com' });
    expect(answer.status).toBe(200);
    expect(echoOf(answer.body).upstream).toBe('shop');
  });

  test('without :authority, the Host header routes', async () => {
    const answer = await http2Request(session, { ':path': '/', host: 'blog.example.com' });
    expect(answer.status).toBe(200);
    expect(echoOf(answer.body).upstream).toBe('blog');
  });

  test.each([['shop.example.com@evil.com'], ['exa%mple.com'], ['shop.example.com:abc'], ['[::1']])('an :authority with bad characters (%s) is refused with 400', async (authority) => {
    const answer = await http2Request(session, { ':authority': authority, ':path': '/' });
    expect(answer.status).toBe(400);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_BAD_REQUEST');
  });

  test('an :authority Node\'s HTTP/2 stack itself refuses (a space) resets that stream only', async () => {
    await expect(http2Request(session, { ':authority': 'shop example.com', ':path': '/' })).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
    expect((await http2Request(session, { ':authority': 'shop.example.com', ':path': '/' })).status).toBe(200);
  });

  test('a body longer than the flow-control window to a backend without endpoints: 503 whole, the rest of the body dropped, the session serves on', async () => {
    // 1 MiB: past the 16 KiB the proxy reads before picking an endpoint and the 64 KiB stream window.
    const upload = session.request({ ':authority': 'empty.example.com', ':path': '/upload', ':method': 'POST' });
    const closed = once(upload, 'close');
    const answer = await readAnswer(upload, Buffer.alloc(1024 * 1024, 'u'));
    // The whole body went out (the gateway read it to drop it), so the stream closed; else it
    // would stay open, and hold the gateway's drain, until the session went.
    await closed;
    expect(upload.rstCode).toBe(constants.NGHTTP2_NO_ERROR);
    expect(answer.status).toBe(503);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_NO_ENDPOINT');
    expect(answer.body).toContain('default/empty:80 has no ready endpoint');
    expect((await http2Request(session, { ':authority': 'shop.example.com', ':path': '/' })).status).toBe(200);
  });

  test('an :authority no rule takes is 404 with the proxy\'s code', async () => {
    const answer = await http2Request(session, { ':authority': 'nobody.example.com', ':path': '/' });
    expect(answer.status).toBe(404);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_NO_ROUTE');
  });
});

describe('HTTP/1.1 on the same port', () => {
  test('an HTTP/1.1 client is served as before, with keep-alive', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await request(`${gw.url}/x`, { headers: { host: 'shop.example.com' } });
      expect(response.statusCode).toBe(200);
      expect(echoOf(await response.body.text()).upstream).toBe('shop');
    }
  });

  test('a request line starting like the preface (POST, PRI-less) is HTTP/1.1', async () => {
    const response = await request(`${gw.url}/p`, { method: 'POST', body: 'x', headers: { host: 'blog.example.com' } });
    expect(response.statusCode).toBe(200);
    expect(echoOf(await response.body.text())).toMatchObject({ upstream: 'blog', method: 'POST' });
  });
});

describe('first bytes in pieces (raw sockets)', () => {
  async function rawConnection(): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<unknown> }> {
    const { port } = new URL(gw.url);
    const socket = connectTcp(Number(port), '127.0.0.1');
    // Listened for from the start: the gateway may close before the test awaits it.
    const closed = once(socket, 'close');
    await once(socket, 'connect');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { socket, received: () => Buffer.concat(chunks), closed };
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('an HTTP/1.1 request line sent byte by byte is answered', async () => {
    const { socket, received, closed } = await rawConnection();
    for (const piece of ['G', 'E', 'T / HTTP/1.1\r\nHost: shop.example.com\r\n', 'Connection: close\r\n\r\n']) {
      socket.write(piece);
      await pause(20);
    }
    await closed;
    expect(received().toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('a request line that shares the preface\'s first bytes ("PR...") and then differs is HTTP/1.1', async () => {
    const { socket, received, closed } = await rawConnection();
    socket.write('PR');
    await pause(20);
    socket.write('OPFIND / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n');
    await closed;
    expect(received().toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('the preface sent in three pieces reaches the HTTP/2 server (it answers with SETTINGS)', async () => {
    const { socket, received } = await rawConnection();
    for (const piece of ['PRI * HTT', 'P/2.0\r\n\r\nS', 'M\r\n\r\n']) {
      socket.write(piece);
      await pause(20);
    }
    // An empty SETTINGS frame: length 0, type 4, no flags, stream 0.
    socket.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]));
    await expect.poll(() => received().length).toBeGreaterThanOrEqual(9);
    // The server's first frame is its SETTINGS (type 4 on stream 0).
    expect(received()[3]).toBe(4);
    socket.destroy();
  });
});

test('/metrics labels requests by protocol (h2c and http1 on one port)', async () => {
  const before = { h2c: await metricValue(gw.gateway, 'requests_total', { backend: 'default/shop:80', status: '200', protocol: 'h2c' }), http1: await metricValue(gw.gateway, 'requests_total', { backend: 'default/shop:80', status: '200', protocol: 'http1' }) };
  await http2Request(session, { ':authority': 'shop.example.com', ':path': '/m' });
  const response = await request(`${gw.url}/m`, { headers: { host: 'shop.example.com' } });
  await response.body.text();
  expect(await metricValue(gw.gateway, 'requests_total', { backend: 'default/shop:80', status: '200', protocol: 'h2c' })).toBe(before.h2c + 1);
  expect(await metricValue(gw.gateway, 'requests_total', { backend: 'default/shop:80', status: '200', protocol: 'http1' })).toBe(before.http1 + 1);
});

// curl is on this machine (checked when the suite was written): a missing curl fails this test, as CI wants.
test('curl --http2-prior-knowledge is routed over h2c', async () => {
  const { stdout } = await promisify(execFile)('curl', ['-sS', '--http2-prior-knowledge', '-H', 'host: blog.example.com', '-w', '\n%{http_version}', `${gw.url}/curl`]);
  const [body, version] = stdout.split('\n');
  expect(version).toBe('2');
  expect(echoOf(body!)).toMatchObject({ upstream: 'blog', url: '/curl' });
});

test('an HTTP/2 CONNECT is refused with 400 in the proxy\'s words, and the session serves on', async () => {
  const refused = await readAnswer(session.request({ ':method': 'CONNECT', ':authority': 'example.com:443' }, { endStream: false }));
  expect(refused.status).toBe(400);
  expect(refused.headers['x-switchyard-error']).toBe('SWY_PROXY_BAD_REQUEST');
  expect(refused.body).toContain('CONNECT example.com:443 is not proxied');
  expect((await http2Request(session, { ':authority': 'shop.example.com', ':path': '/after' })).status).toBe(200);
});
