import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { checkHttpTarget, checkWebSocketTarget, samePath, type Expectation } from '../src/proxy/check.js';
import { BenchError } from '../src/common/errors.js';
import { smallBody, UPSTREAM_PATH_HEADER, UPSTREAM_TOKEN_HEADER, webSocketHello } from '../src/proxy/servers/upstream-contract.js';

const TOKEN = 'a1b2c3';
const REQUESTS = [
  { host: 'api-1.example.com', path: '/api/v1/orders' },
  { host: 'tenant-7.zone-1.example.net', path: '/shop/cart/42' },
];

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A real server on port 0 answering as `answer` says; returns its URL. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(answer);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the upstream answers, with parts swapped out by the test. */
function upstreamLike(overrides: { token?: string; path?: (req: IncomingMessage) => string; status?: number; body?: string } = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(overrides.status ?? 200, { [UPSTREAM_TOKEN_HEADER]: overrides.token ?? TOKEN, [UPSTREAM_PATH_HEADER]: overrides.path?.(req) ?? req.url! });
    res.end(overrides.body ?? smallBody(TOKEN));
  };
}

async function rejection(promise: Promise<unknown>): Promise<BenchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BenchError);
  return error as BenchError;
}

const SMALL: Expectation = { kind: 'small' };

describe('the correctness check', () => {
  test("passes a target whose answers are the upstream's, with the paths it was asked for", async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.headers.host}${req.url}`);
      upstreamLike()(req, res);
    });
    await checkHttpTarget({ id: 'good', url }, REQUESTS, TOKEN, SMALL);
    expect(seen.sort()).toEqual(REQUESTS.map((r) => `${r.host}${r.path}`).sort());
  });

  test('rejects an answer from another upstream (another token), naming the target and the header', async () => {
    const url = await serve(upstreamLike({ token: 'someone-else' }));
    expect(await rejection(checkHttpTarget({ id: 'stray', url }, REQUESTS, TOKEN, SMALL))).toMatchObject({
      code: 'SWY_BENCH_WRONG_ANSWER',
      field: UPSTREAM_TOKEN_HEADER,
      subject: { kind: 'BenchTarget', name: 'stray' },
    });
  });

  test('rejects a proxy that forwards another path (a rewritten prefix)', async () => {
    const url = await serve(upstreamLike({ path: (req) => req.url!.replace('/api', '') }));
    expect(await rejection(checkHttpTarget({ id: 'rewriter', url }, REQUESTS, TOKEN, SMALL))).toMatchObject({ code: 'SWY_BENCH_WRONG_ANSWER', field: UPSTREAM_PATH_HEADER });
  });

  test("rejects a proxy's own error answer (a 404 for an unrouted host)", async () => {
    const url = await serve((_req, res) => res.writeHead(404).end('no route\n'));
    expect(await rejection(checkHttpTarget({ id: 'lost', url }, REQUESTS, TOKEN, SMALL))).toMatchObject({ field: 'status' });
  });

  test('rejects a wrong body, and a big body of the wrong length', async () => {
    let url = await serve(upstreamLike({ body: 'ok but not ours\n' }));
    expect(await rejection(checkHttpTarget({ id: 'body', url }, REQUESTS, TOKEN, SMALL))).toMatchObject({ field: 'body' });
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    url = await serve(upstreamLike({ body: 'x'.repeat(1000) }));
    expect(await rejection(checkHttpTarget({ id: 'short', url }, REQUESTS, TOKEN, { kind: 'big-body', bytes: 1024 }))).toMatchObject({ field: 'body' });
  });

  test('a target that is not listening is a wrong answer too (field connection)', async () => {
    const url = await serve(upstreamLike());
    server!.close();
    server!.closeAllConnections();
    await once(server!, 'close');
    server = undefined;
    expect(await rejection(checkHttpTarget({ id: 'gone', url }, REQUESTS, TOKEN, SMALL))).toMatchObject({ field: 'connection' });
  });

  test("an empty query is the same path (fast-gateway forwards / as /?); any other difference is not", () => {
    expect(samePath('/a/b', '/a/b')).toBe(true);
    expect(samePath('/a/b?', '/a/b')).toBe(true);
    expect(samePath('/a/b?x=1', '/a/b')).toBe(false);
    expect(samePath('/a/b/', '/a/b')).toBe(false);
    expect(samePath('/A/b', '/a/b')).toBe(false);
  });
});

describe('the WebSocket check', () => {
  async function echo(hello: (path: string) => string, transform: (text: string) => string = (t) => t): Promise<string> {
    const url = await serve((_req, res) => res.writeHead(426).end());
    const sockets = new WebSocketServer({ server: server! });
    sockets.on('connection', (ws, req) => {
      ws.send(hello(req.url ?? ''));
      ws.on('message', (data) => ws.send(transform(data.toString())));
    });
    server!.once('close', () => sockets.close());
    return url.replace('http', 'ws');
  }

  test("passes when the upstream's hello (token and path) and the echo come back", async () => {
    const url = await echo((path) => webSocketHello(TOKEN, path));
    await checkWebSocketTarget({ id: 'ws-good', url }, { host: 'bench.test', path: '/ws' }, TOKEN);
  });

  test('rejects a hello from elsewhere, and a wrong echo', async () => {
    let url = await echo((path) => webSocketHello('other', path));
    expect(await rejection(checkWebSocketTarget({ id: 'ws-stray', url }, { host: 'bench.test', path: '/ws' }, TOKEN))).toMatchObject({ field: 'hello' });
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    url = await echo((path) => webSocketHello(TOKEN, path), (text) => text.toUpperCase());
    expect(await rejection(checkWebSocketTarget({ id: 'ws-garble', url }, { host: 'bench.test', path: '/ws' }, TOKEN))).toMatchObject({ field: 'echo' });
  });
});
