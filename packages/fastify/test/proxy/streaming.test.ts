import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deferred, within, type Deferred } from '../helpers/deferred.js';
import { RawConnection, rawExchange } from '../helpers/raw-http.js';
import { DEFAULT_REQUEST_BUFFER_BYTES } from '@switchyard/fastify';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

const BIG = 20 * 1024 * 1024;
/** A guard against a proxy that buffers: the other side would wait forever. */
const SIGNAL_MS = 15_000;

let big: Buffer;
let bigHash: string;
let upstream: Upstream;
let gw: TestGateway;

/** Signals between the upstream handler and the test, one pair per streaming test. */
let uploadFirstChunk: Deferred<string>;
let downloadFirstChunkSeen: Deferred;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = request.url ?? '';
  if (url === '/upload/streamed') {
    // Tell the test the first body chunk arrived; the client sends the rest only then.
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      if (parts.length === 0) uploadFirstChunk.resolve(chunk.toString());
      parts.push(chunk);
    });
    request.on('end', () => response.end(Buffer.concat(parts)));
    return;
  }
  if (url === '/download/streamed') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first;');
    // The rest only once the client has the first chunk.
    void downloadFirstChunkSeen.promise.then(() => response.end('rest'));
    return;
  }
  if (url === '/upload/hash') {
    const hash = createHash('sha256');
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    request.on('end', () => {
      const body = JSON.stringify({ bytes, sha256: hash.digest('hex'), transferEncoding: request.headers['transfer-encoding'] ?? null });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    return;
  }
  if (url === '/download/big') {
    request.resume();
    // Written in 64 KiB pieces with back-pressure, not as one buffer.
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    Readable.from(pieces(big, 64 * 1024)).pipe(response);
    return;
  }
  request.resume();
  request.once('end', () => {
    if (url === '/head') {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '11' });
      response.end(request.method === 'HEAD' ? undefined : 'hello world');
    } else if (url === '/no-content') {
      response.writeHead(204, { 'x-kind': 'no-content' }).end();
    } else if (url === '/not-modified') {
      response.writeHead(304, { etag: '"v1"' }).end();
    } else if (url === '/after') {
      response.writeHead(200, { 'content-length': '5' }).end('after');
    } else {
      response.writeHead(404).end();
    }
  });
}

function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

beforeAll(async () => {
  big = randomBytes(BIG);
  bigHash = sha256(big);
  upstream = await startUpstream('stream', handle);
  gw = await startTestGateway([ingress('stream', [['stream.test', '/', 'Prefix', 'stream', 80]])], { 'default/stream:80': at(upstream.port) });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

describe('request bodies stream', () => {
  test('a body longer than the buffer reaches the upstream before the client sends the rest', async () => {
    uploadFirstChunk = deferred<string>();
    const first = `part-one;${'x'.repeat(DEFAULT_REQUEST_BUFFER_BYTES)};`;
    const client = httpRequest(`${gw.url}/upload/streamed`, { method: 'POST', headers: { host: 'stream.test', 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } });
    const responded = once(client, 'response') as Promise<[IncomingMessage]>;
    client.write(first);
    // A proxy that buffered the whole body would wait for the end, which the client never sends first.
    expect(await within(uploadFirstChunk.promise, SIGNAL_MS, 'the upstream to receive the first chunk')).toMatch(/^part-one;x/);
    client.end('part-two');
    const [response] = await within(responded, SIGNAL_MS, 'the response');
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(response.statusCode).toBe(200);
    expect(body).toBe(`${first}part-two`);
  });

  test('with requestBody.bufferBytes 0, the first 9 bytes of a POST reach the upstream before the client sends the rest', async () => {
    const streaming = await startTestGateway([ingress('stream', [['stream.test', '/', 'Prefix', 'stream', 80]])], { 'default/stream:80': at(upstream.port) }, { proxy: { requestBody: { bufferBytes: 0 } } });
    try {
      uploadFirstChunk = deferred<string>();
      const client = httpRequest(`${streaming.url}/upload/streamed`, { method: 'POST', headers: { host: 'stream.test', 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } });
      const responded = once(client, 'response') as Promise<[IncomingMessage]>;
      client.write('part-one;');
      expect(await within(uploadFirstChunk.promise, SIGNAL_MS, 'the upstream to receive the first chunk')).toBe('part-one;');
      client.end('part-two');
      const [response] = await within(responded, SIGNAL_MS, 'the response');
      let body = '';
      for await (const chunk of response) body += String(chunk);
      expect(response.statusCode).toBe(200);
      expect(body).toBe('part-one;part-two');
    } finally {
      await streaming.close();
    }
  });

  test('a short chunked body is sent whole, with a Content-Length, once its last chunk came', async () => {
    const response = await request(`${gw.url}/upload/hash`, {
      method: 'POST',
      // A stream body without a Content-Length: undici sends it chunked.
      headers: { host: 'stream.test', 'content-type': 'application/octet-stream' },
      body: Readable.from(pieces(big.subarray(0, 5000), 1000)),
    });
    const seen = (await response.body.json()) as { bytes: number; sha256: string; transferEncoding: string | null };
    expect(response.statusCode).toBe(200);
    expect(seen).toEqual({ bytes: 5000, sha256: sha256(big.subarray(0, 5000)), transferEncoding: null });
  });

  test('a 20 MiB upload arrives intact', async () => {
    const response = await request(`${gw.url}/upload/hash`, {
      method: 'POST',
      headers: { host: 'stream.test', 'content-type': 'application/octet-stream' },
      body: Readable.from(pieces(big, 256 * 1024)),
    });
    const seen = (await response.body.json()) as { bytes: number; sha256: string };
    expect(response.statusCode).toBe(200);
    expect(seen.bytes).toBe(BIG);
    expect(seen.sha256).toBe(bigHash);
  });

  test('a 20 MiB upload with a Content-Length arrives intact', async () => {
    const response = await request(`${gw.url}/upload/hash`, {
      method: 'PUT',
      headers: { host: 'stream.test', 'content-type': 'application/octet-stream', 'content-length': String(BIG) },
      body: Readable.from(pieces(big, 256 * 1024)),
    });
    const seen = (await response.body.json()) as { bytes: number; sha256: string };
    expect(response.statusCode).toBe(200);
    expect(seen.bytes).toBe(BIG);
    expect(seen.sha256).toBe(bigHash);
  });

  test('Expect: 100-continue gets a 100 before the body is sent, then the upstream gets the body', async () => {
    const client = httpRequest(`${gw.url}/upload/hash`, {
      method: 'POST',
      headers: { host: 'stream.test', 'content-type': 'application/octet-stream', 'content-length': '5', expect: '100-continue' },
    });
    const responded = once(client, 'response') as Promise<[IncomingMessage]>;
    responded.catch(() => undefined);
    // The body goes only after the interim response (node:http emits 'continue' on it).
    await within(once(client, 'continue'), SIGNAL_MS, 'HTTP/1.1 100 Continue');
    client.end('hello');
    const [response] = await within(responded, SIGNAL_MS, 'the response');
    let body = '';
    for await (const chunk of response) body += String(chunk);
    expect(response.statusCode, body).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ bytes: 5, sha256: sha256(Buffer.from('hello')) });
  });
});

describe('response bodies stream', () => {
  test('the client receives the first chunk before the upstream ends the response', async () => {
    downloadFirstChunkSeen = deferred();
    const response = await within(request(`${gw.url}/download/streamed`, { headers: { host: 'stream.test' } }), SIGNAL_MS, 'the response head');
    const chunks: string[] = [];
    const read = (async () => {
      for await (const chunk of response.body) {
        chunks.push(String(chunk));
        downloadFirstChunkSeen.resolve();
      }
    })();
    // A proxy that buffered the body would wait for the end, which the upstream never sends first.
    await within(downloadFirstChunkSeen.promise, SIGNAL_MS, 'the first response chunk');
    expect(chunks[0]?.startsWith('first;')).toBe(true);
    await within(read, SIGNAL_MS, 'the end of the body');
    expect(chunks.join('')).toBe('first;rest');
  });

  test('a 20 MiB download arrives intact', async () => {
    const response = await request(`${gw.url}/download/big`, { headers: { host: 'stream.test' } });
    expect(response.statusCode).toBe(200);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    expect(bytes).toBe(BIG);
    expect(hash.digest('hex')).toBe(bigHash);
  });
});

describe('responses without a body', () => {
  // On one connection: any byte of body after a bodiless response would be read as the next status line.
  test('HEAD, 204 and 304 carry no body; the next response on the connection is intact', async () => {
    const connection = await RawConnection.open(gw.url);
    try {
      connection.write(
        'HEAD /head HTTP/1.1\r\nHost: stream.test\r\n\r\n' +
          'GET /no-content HTTP/1.1\r\nHost: stream.test\r\n\r\n' +
          'GET /not-modified HTTP/1.1\r\nHost: stream.test\r\nIf-None-Match: "v1"\r\n\r\n' +
          'GET /after HTTP/1.1\r\nHost: stream.test\r\n\r\n',
      );
      const head = await within(connection.readResponse('HEAD'), SIGNAL_MS, 'the HEAD response');
      expect(head.statusCode).toBe(200);
      const noContent = await within(connection.readResponse(), SIGNAL_MS, 'the 204 response');
      expect(noContent.statusCode).toBe(204);
      expect(noContent.head.toLowerCase()).toContain('x-kind: no-content');
      expect(noContent.head.toLowerCase()).not.toContain('transfer-encoding');
      const notModified = await within(connection.readResponse(), SIGNAL_MS, 'the 304 response');
      expect(notModified.statusCode).toBe(304);
      expect(notModified.head.toLowerCase()).not.toContain('transfer-encoding');
      const after = await within(connection.readResponse(), SIGNAL_MS, 'the response after them');
      expect(after.statusCode).toBe(200);
      expect(after.body.toString()).toBe('after');
      expect(connection.pending.length).toBe(0);
    } finally {
      connection.close();
    }
  });
});

test('a GET with a body has it forwarded, not dropped', async () => {
  const upstream = await startUpstream('get-body');
  const gateway = await startTestGateway([ingress('g', [['get.test', '/', 'Prefix', 'g', 80]])], { 'default/g:80': at(upstream.port) });
  try {
    const answer = await rawExchange(gateway.url, 'GET /q HTTP/1.1\r\nHost: get.test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', bodyBytes: 5 });
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
