import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

// Protocol edges of `switchyard serve`, over raw sockets on both sides: what the client sends is
// written as is, and the upstream records the exact bytes it received.

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CRLF = '\r\n';
const HEAD_END = '\r\n\r\n';
const ACCEPT_UPGRADE = `HTTP/1.1 101 Switching Protocols${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${HEAD_END}`;
const DECLINE = `HTTP/1.1 426 Upgrade Required${CRLF}Content-Length: 2${CRLF}Connection: close${HEAD_END}no`;
const OK = `HTTP/1.1 200 OK${CRLF}Content-Length: 2${CRLF}Connection: close${HEAD_END}ok`;

/**
 * An upstream on a raw TCP server: it keeps every byte each connection brought, and answers a
 * request once its head (and a Content-Length or chunked body) is in, with `answer`. After a 101
 * it keeps the connection open and goes on recording.
 */
class RecordingUpstream {
  /** What each connection received, in the order the connections came. */
  readonly connections: Buffer[] = [];
  answer = OK;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      const index = this.connections.push(Buffer.alloc(0)) - 1;
      let answered = false;
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        const received = (this.connections[index] = Buffer.concat([this.connections[index]!, chunk]));
        if (answered || !requestComplete(received.toString('latin1'))) return;
        answered = true;
        const answer = this.answer;
        if (answer === ACCEPT_UPGRADE) socket.write(answer);
        else socket.end(answer);
      });
    });
  }

  static async start(): Promise<RecordingUpstream> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new RecordingUpstream(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Each connection's bytes as latin1 text. */
  received(): string[] {
    return this.connections.map((bytes) => bytes.toString('latin1'));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** True once `text` holds a whole request: its head, and the body its framing announces. */
function requestComplete(text: string): boolean {
  const headEnd = text.indexOf(HEAD_END);
  if (headEnd < 0) return false;
  const head = text.slice(0, headEnd).toLowerCase();
  const body = text.slice(headEnd + HEAD_END.length);
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) return body.includes(`0${HEAD_END}`);
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  return body.length >= (length === null ? 0 : Number(length[1]));
}

/** What came back on a raw client connection, read until the gateway closed it. */
interface RawAnswer {
  readonly text: string;
  readonly statusLine: string;
  /** Header lines in order, names lowercased. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  /** The gateway closed the connection before the deadline. */
  readonly closed: boolean;
}

/**
 * Sends `bytes` on a new connection to the gateway and reads until it closes the connection,
 * `until` holds for what came back so far (a tunnel stays open), or `deadlineMs` passes; then
 * `closed` is false and the socket is destroyed.
 */
async function exchange(url: string, bytes: string, deadlineMs = 5_000, until?: (received: string) => boolean): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  const chunks: Buffer[] = [];
  socket.write(bytes, 'latin1');
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), deadlineMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (until?.(Buffer.concat(chunks).toString('latin1')) !== true) return;
      clearTimeout(timer);
      resolve(false);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  socket.destroy();
  const text = Buffer.concat(chunks).toString('latin1');
  const headEnd = text.indexOf(HEAD_END);
  const lines = (headEnd < 0 ? text : text.slice(0, headEnd)).split(CRLF);
  const headers = lines.slice(1).map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
  });
  return { text, statusLine: lines[0] ?? '', headers, body: headEnd < 0 ? '' : text.slice(headEnd + HEAD_END.length), closed };
}

function header(answer: RawAnswer, name: string): string | undefined {
  return answer.headers.find(([key]) => key === name)?.[1];
}

/** `count` filler header lines, to bring a request near the parser's header line limit. */
function fillerLines(count: number): string {
  let lines = '';
  for (let i = 0; i < count; i++) lines += `x-${i}: v${CRLF}`;
  return lines;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
/** Routed for `a.example.com`. */
let hosted: RecordingUpstream;
/** Routed for every other host, and for requests without one. */
let hostless: RecordingUpstream;
let cli: CliProcess;
let gateway: string;
let gatewayPort: string;

beforeAll(async () => {
  dir = await tempDir();
  [hosted, hostless] = await Promise.all([RecordingUpstream.start(), RecordingUpstream.start()]);
  await dir.write(
    'routes.yaml',
    documents(
      ingress('hosted', { host: 'a.example.com', paths: [{ path: '/', service: 'hosted' }] }),
      ingress('hostless', { paths: [{ path: '/', service: 'hostless' }] }),
      ...backend('hosted', hosted.port),
      ...backend('hostless', hostless.port),
    ),
  );
  cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  gateway = (await cli.urls()).http;
  gatewayPort = new URL(gateway).port;
});
afterAll(async () => {
  await cli?.stop();
  await Promise.all([hosted?.close(), hostless?.close()]);
  await dir?.remove();
});
beforeEach(() => {
  for (const upstream of [hosted, hostless]) {
    upstream.connections.length = 0;
    upstream.answer = OK;
  }
});

/**
 * Asserts no upstream got a byte of the refused request: a request for `hosted` sent after the
 * refusal was answered is the only one either upstream received.
 */
async function expectNothingForwarded(): Promise<void> {
  hosted.answer = OK;
  const after = await exchange(gateway, `GET /after HTTP/1.1${CRLF}Host: a.example.com${CRLF}Connection: close${HEAD_END}`);
  expect(after.statusLine).toBe('HTTP/1.1 200 OK');
  expect(hosted.received()).toEqual([expect.stringMatching(/^GET \/after HTTP\/1\.1\r\n/)]);
  expect(hostless.received()).toEqual([]);
}

describe('X-Forwarded-Host is the authority that was routed', () => {
  test('an absolute-form request with a bogus Host: routed by its authority, which is Host and X-Forwarded-Host upstream', async () => {
    const answer = await exchange(gateway, `GET http://a.example.com/admin HTTP/1.1${CRLF}Host: evil.test/x${CRLF}Connection: close${HEAD_END}`);
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(answer.body).toBe('ok');
    expect(hostless.received()).toEqual([]);
    expect(hosted.received()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^GET /admin HTTP/1\\.1\\r\\nhost: a\\.example\\.com\\r\\nconnection: keep-alive\\r\\nx-forwarded-for: 127\\.0\\.0\\.1\\r\\nx-forwarded-proto: http\\r\\n` +
            `x-forwarded-host: a\\.example\\.com\\r\\nx-forwarded-port: ${gatewayPort}\\r\\nx-request-id: ${UUID}\\r\\n\\r\\n$`,
        ),
      ),
    ]);
  });

  test('an HTTP/1.0 request without Host: no X-Forwarded-Host at all, and the endpoint address as Host', async () => {
    const answer = await exchange(gateway, `GET /x HTTP/1.0${HEAD_END}`);
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(hosted.received()).toEqual([]);
    expect(hostless.received()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^GET /x HTTP/1\\.1\\r\\nhost: 127\\.0\\.0\\.1:${hostless.port}\\r\\nconnection: keep-alive\\r\\nx-forwarded-for: 127\\.0\\.0\\.1\\r\\nx-forwarded-proto: http\\r\\n` +
            `x-forwarded-port: ${gatewayPort}\\r\\nx-request-id: ${UUID}\\r\\n\\r\\n$`,
        ),
      ),
    ]);
  });

  test('an absolute-form WebSocket upgrade with a bogus Host: the routed authority upstream too', async () => {
    hosted.answer = ACCEPT_UPGRADE;
    const answer = await exchange(
      gateway,
      `GET http://a.example.com/ws HTTP/1.1${CRLF}Host: evil.test/x${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}Sec-WebSocket-Version: 13${CRLF}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==${HEAD_END}`,
      5_000,
      (received) => received.includes(HEAD_END),
    );
    expect(answer.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    const received = hosted.received();
    expect(received).toHaveLength(1);
    const lines = received[0]!.split(CRLF);
    expect(lines[0]).toBe('GET /ws HTTP/1.1');
    expect(lines).toContain('host: a.example.com');
    expect(lines).toContain('x-forwarded-host: a.example.com');
    expect(received[0]).not.toContain('evil');
  });
});

describe('a request past the header line limit (Node keeps 1000 lines and drops the rest) is refused, not forwarded short', () => {
  // Host, Connection and the fillers make 1000 lines: whatever comes after is what Node drops.
  const head = `POST / HTTP/1.1${CRLF}Host: a.example.com${CRLF}Connection: close${CRLF}${fillerLines(998)}`;

  test.each([
    ['Content-Length', `Content-Length: 5${HEAD_END}hello`],
    ['Transfer-Encoding', `Transfer-Encoding: chunked${HEAD_END}5${CRLF}hello${CRLF}0${HEAD_END}`],
    ['a second Host', `Host: b.example.com${CRLF}Content-Length: 0${HEAD_END}`],
  ])('with %s past line 1000: 431 SWY_PROXY_BAD_REQUEST', async (_what, rest) => {
    const answer = await exchange(gateway, head + rest);
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(header(answer, 'x-switchyard-error')).toBe('SWY_PROXY_BAD_REQUEST');
    expect(answer.body).toMatch(/too many header lines/);
    await expectNothingForwarded();
  });

  test('one line fewer is forwarded whole, body included', async () => {
    const answer = await exchange(gateway, `POST / HTTP/1.1${CRLF}Host: a.example.com${CRLF}Connection: close${CRLF}${fillerLines(996)}Content-Length: 5${HEAD_END}hello`);
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    const received = hosted.received();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/\r\nx-995: v\r\n/);
    expect(received[0]).toMatch(/\r\ncontent-length: 5\r\n/i);
    expect(received[0]!.endsWith(`${HEAD_END}hello`)).toBe(true);
  });

  test('a WebSocket upgrade past the limit: 431, connection closed', async () => {
    hosted.answer = ACCEPT_UPGRADE;
    const answer = await exchange(
      gateway,
      `GET /ws HTTP/1.1${CRLF}Host: a.example.com${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}${fillerLines(997)}Sec-WebSocket-Version: 13${HEAD_END}`,
      1_000,
    );
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(header(answer, 'x-switchyard-error')).toBe('SWY_PROXY_BAD_REQUEST');
    expect(answer.closed).toBe(true);
    await expectNothingForwarded();
  });
});

describe('an upgrade request with a body is refused at once, nothing sent upstream', () => {
  const upgradeHead = `POST /ws HTTP/1.1${CRLF}Host: a.example.com${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}`;

  test.each([
    ['Content-Length', 'declines', `Content-Length: 5${HEAD_END}hello`, DECLINE],
    ['Content-Length', 'accepts', `Content-Length: 5${HEAD_END}hello`, ACCEPT_UPGRADE],
    ['chunked', 'declines', `Transfer-Encoding: chunked${HEAD_END}5${CRLF}hello${CRLF}0${HEAD_END}`, DECLINE],
    ['chunked', 'accepts', `Transfer-Encoding: chunked${HEAD_END}5${CRLF}hello${CRLF}0${HEAD_END}`, ACCEPT_UPGRADE],
  ])('a %s body, to an upstream that %s the upgrade: 400 within a second, connection closed', async (_body, _upstream, rest, upstreamAnswer) => {
    hosted.answer = upstreamAnswer;
    const answer = await exchange(gateway, upgradeHead + rest, 1_000);
    expect(answer.closed).toBe(true);
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(header(answer, 'x-switchyard-error')).toBe('SWY_PROXY_BAD_REQUEST');
    expect(answer.body).toMatch(/upgrade request cannot carry a body/);
    await expectNothingForwarded();
  });
});
