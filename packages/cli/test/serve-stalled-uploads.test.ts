import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '@switchyard/test-utils';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

/** As many stalled uploads as it takes to use up the 128 upstream connections per endpoint, and two more. */
const STALLED = 130;
const BODY_TIMEOUT_S = 2;
/** A body longer than the 16 KiB the gateway reads before taking an upstream connection: it streams. */
const LONG = 100_000;
const LONG_SENT = 20_000;

/**
 * The upstream, on a raw socket: reads each request (head, then Content-Length bytes), records it
 * and answers 200 once the body is whole. A request whose body never ends holds its connection.
 */
class RecordingUpstream {
  readonly requests: string[] = [];
  connections = 0;
  readonly open = new Set<Socket>();
  private constructor(readonly server: Server) {
    server.on('connection', (socket) => {
      this.connections++;
      this.open.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => this.open.delete(socket));
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          const headEnd = buffered.indexOf('\r\n\r\n');
          if (headEnd < 0) return;
          const head = buffered.subarray(0, headEnd).toString('latin1');
          const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffered.length < headEnd + 4 + length) return;
          this.requests.push(head.split('\r\n')[0]!);
          buffered = buffered.subarray(headEnd + 4 + length);
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        }
      });
    });
  }

  static async start(): Promise<RecordingUpstream> {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new RecordingUpstream(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    this.server.close();
  }
}

/** A client on a raw socket: what it sent, and the first response's status and error code once it came. */
class RawClient {
  private received = '';
  readonly answered: Promise<{ status: number; error: string | undefined }>;
  private constructor(readonly socket: Socket) {
    socket.on('error', () => undefined);
    this.answered = new Promise((resolve) => {
      const check = (): void => {
        const headEnd = this.received.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = this.received.slice(0, headEnd);
        socket.off('data', onData);
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), error: /\r\nx-switchyard-error: ([^\r]+)/i.exec(head)?.[1] });
      };
      const onData = (chunk: Buffer): void => {
        this.received += chunk.toString('latin1');
        check();
      };
      socket.on('data', onData);
    });
  }

  static async open(port: number, request: string | Buffer): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(request);
    return new RawClient(socket);
  }
}

function uploadHead(path: string, length: number): string {
  return `POST ${path} HTTP/1.1\r\nhost: uploads.test\r\ncontent-type: application/octet-stream\r\ncontent-length: ${length}\r\n\r\n`;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
let upstream: RecordingUpstream;
let cli: CliProcess;
let port: number;

beforeAll(async () => {
  dir = await tempDir();
  upstream = await RecordingUpstream.start();
  await dir.write('uploads.yaml', documents(ingress('uploads', { paths: [{ path: '/', service: 'uploads' }] }), ...backend('uploads', upstream.port)));
  cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--request-body-timeout', String(BODY_TIMEOUT_S)]);
  port = Number(new URL((await cli.urls()).http).port);
});
afterAll(async () => {
  await cli?.stop('SIGTERM');
  await upstream?.close();
  await dir?.remove();
});

/** Sends a GET from another client while the stalled ones are open: how long until it is answered. */
async function timedGet(): Promise<{ status: number; ms: number }> {
  const startedAt = performance.now();
  const client = await RawClient.open(port, 'GET /other HTTP/1.1\r\nhost: uploads.test\r\nconnection: close\r\n\r\n');
  const { status } = await client.answered;
  client.socket.destroy();
  return { status, ms: performance.now() - startedAt };
}

describe(`${STALLED} stalled uploads against one backend (switchyard serve --request-body-timeout ${BODY_TIMEOUT_S})`, () => {
  test('short bodies (Content-Length 1000, ten bytes sent): another client is answered within a second, no upstream connection is taken, and each stalled upload gets 408 after the body timeout', async () => {
    const before = upstream.connections;
    const sentAt = performance.now();
    const stalled = await Promise.all(Array.from({ length: STALLED }, () => RawClient.open(port, `${uploadHead('/stalled', 1000)}0123456789`)));

    const other = await timedGet();
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(1000);

    const answers = await Promise.all(stalled.map((client) => client.answered));
    const elapsed = performance.now() - sentAt;
    expect(answers).toEqual(Array.from({ length: STALLED }, () => ({ status: 408, error: 'SWY_PROXY_BODY_TIMEOUT' })));
    expect(elapsed).toBeGreaterThanOrEqual(BODY_TIMEOUT_S * 1000 - 100);
    // Only the GET reached the upstream: the stalled bodies never held a connection.
    expect(upstream.requests.filter((line) => line.startsWith('POST /stalled'))).toEqual([]);
    expect(upstream.connections - before).toBeLessThanOrEqual(1);
    for (const client of stalled) client.socket.destroy();
  });

  test('long bodies that stream and then stall: half the pool at most (64) holds connections, the others get 503 at once, another client is answered within a second, and each held upload gets 408', async () => {
    const stalled = await Promise.all(Array.from({ length: STALLED }, () => RawClient.open(port, Buffer.concat([Buffer.from(uploadHead('/stalled-long', LONG), 'latin1'), Buffer.alloc(LONG_SENT, 0x61)]))));
    await eventually('the streamed uploads to hold their upstream connections', () => upstream.open.size >= 64);

    const other = await timedGet();
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(1000);

    const answers = await Promise.all(stalled.map((client) => client.answered));
    const count = (status: number, error: string): number => answers.filter((a) => a.status === status && a.error === error).length;
    expect({ timedOut: count(408, 'SWY_PROXY_BODY_TIMEOUT'), busy: count(503, 'SWY_PROXY_UPLOADS_BUSY') }).toEqual({ timedOut: 64, busy: STALLED - 64 });
    // The aborted uploads freed their connections: none is left open by them.
    await eventually('the upstream connections of the stalled uploads to close', () => upstream.open.size <= 1);
    expect(upstream.requests.filter((line) => line.startsWith('POST /stalled-long'))).toEqual([]);
    for (const client of stalled) client.socket.destroy();
  });
});
