import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as http2Connect, constants as http2Constants, type ClientHttp2Session } from 'node:http2';
import WebSocket from 'ws';
import { BenchError, targetSubject } from '../common/errors.js';
import type { HostPath } from './request-list.js';
import { smallBody, UPSTREAM_PATH_HEADER, UPSTREAM_TOKEN_HEADER, webSocketHello } from './servers/upstream-contract.js';

/** A target as the check reaches it. */
export interface CheckTarget {
  readonly id: string;
  /** `http://127.0.0.1:port`, `https://...` or `ws://...`. */
  readonly url: string;
  /** TLS: the CA that signed the target's certificate, and the SNI name to verify it for. */
  readonly tls?: { readonly ca: string; readonly servername: string };
  /** Speaks HTTP/2 (h2c with prior knowledge for http): checked over one HTTP/2 session. */
  readonly h2?: boolean;
}

/** What every answer must be: the small body, or the big streamed one of this many bytes. */
export type Expectation = { readonly kind: 'small' } | { readonly kind: 'big-body'; readonly bytes: number };

/** Requests in flight at once during a check. */
const CHECK_CONCURRENCY = 4;
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Sends each request (GET, its Host header) through the target and requires the upstream's
 * answer: status 200, the run's token in `x-bench-upstream` (so it was this run's upstream
 * that answered, not the proxy or a stray server), the request's path in `x-bench-path`
 * (the path the proxy forwarded), and the expected body. The first wrong answer throws.
 *
 * @throws BenchError `SWY_BENCH_WRONG_ANSWER` naming the target (subject) and what differed (field).
 */
export async function checkHttpTarget(target: CheckTarget, requests: readonly HostPath[], token: string, expectation: Expectation): Promise<void> {
  if (target.h2) return checkH2Target(target, requests, token, expectation);
  const secure = target.url.startsWith('https:');
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: CHECK_CONCURRENCY, ...(target.tls ? { ca: target.tls.ca, servername: target.tls.servername } : {}) })
    : new HttpAgent({ keepAlive: true, maxSockets: CHECK_CONCURRENCY });
  try {
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        verify(target, request, token, expectation, await get(target.url, request, agent));
      }
    };
    await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

/** One answer as the check sees it. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Compares one answer with what the upstream sends; throws on the first difference. */
export function verify(target: CheckTarget, request: HostPath, token: string, expectation: Expectation, answer: Answer): void {
  const wrong = (field: string, expected: string, actual: string) => {
    throw new BenchError(
      'SWY_BENCH_WRONG_ANSWER',
      `${target.id}: ${describeRequest(request)}: ${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}` +
        (field === 'status' ? ` (body: ${JSON.stringify(answer.body.subarray(0, 200).toString('utf8'))})` : ''),
      { field, subject: targetSubject(target.id) },
    );
  };
  if (answer.status !== 200) wrong('status', '200', String(answer.status));
  const seenToken = answer.headers[UPSTREAM_TOKEN_HEADER];
  if (seenToken !== token) wrong(UPSTREAM_TOKEN_HEADER, token, String(seenToken ?? '(none)'));
  const seenPath = answer.headers[UPSTREAM_PATH_HEADER];
  if (typeof seenPath !== 'string' || !samePath(seenPath, request.path)) wrong(UPSTREAM_PATH_HEADER, request.path, String(seenPath ?? '(none)'));
  if (expectation.kind === 'small') {
    const body = answer.body.toString('utf8');
    if (body !== smallBody(token)) wrong('body', smallBody(token), body.slice(0, 200));
  } else if (answer.body.length !== expectation.bytes) {
    wrong('body', `${expectation.bytes} bytes`, `${answer.body.length} bytes`);
  }
}

/**
 * The forwarded request target is the requested one. An empty query (`/?`) counts as none:
 * fast-gateway re-serializes the query and forwards `/` as `/?`, which names the same resource.
 */
export function samePath(forwarded: string, requested: string): boolean {
  return forwarded === requested || (forwarded.endsWith('?') && !requested.includes('?') && forwarded.slice(0, -1) === requested);
}

/** `GET /path with Host h`, plus the method and headers a Gateway API request carries. */
export function describeRequest(request: HostPath): string {
  const headers = request.headers === undefined ? '' : ` and headers ${JSON.stringify(request.headers)}`;
  return `${request.method ?? 'GET'} ${request.path} with Host ${request.host}${headers}`;
}

/** The HTTP/2 check: the same answers, over one session (streams in parallel, as the load sends them). */
async function checkH2Target(target: CheckTarget, requests: readonly HostPath[], token: string, expectation: Expectation): Promise<void> {
  const session = http2Connect(target.url, target.tls ? { ca: target.tls.ca, servername: target.tls.servername } : {});
  session.on('error', () => undefined);
  try {
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        verify(target, request, token, expectation, await h2Get(session, request));
      }
    };
    await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
  } finally {
    session.close();
  }
}

function h2Get(session: ClientHttp2Session, request: HostPath): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const stream = session.request({ ...request.headers, ':method': request.method ?? 'GET', ':path': request.path, ':authority': request.host });
    stream.setTimeout(CHECK_TIMEOUT_MS, () => stream.close(http2Constants.NGHTTP2_CANCEL));
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: IncomingMessage['headers'] = {};
    stream.on('response', (head) => {
      status = Number(head[':status']);
      headers = head as IncomingMessage['headers'];
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks) }));
    stream.on('close', () => (status === 0 ? reject(new Error(`stream closed without an answer (code ${stream.rstCode})`)) : undefined));
    stream.on('error', reject);
    stream.end();
  }).catch((error: unknown) => {
    throw new BenchError('SWY_BENCH_WRONG_ANSWER', `HTTP/2 ${describeRequest(request)} failed: ${(error as Error).message}`, { field: 'connection', cause: error });
  });
}

/** Sends one request (its method, Host and headers) and reads the whole answer. */
export function get(url: string, request: HostPath, agent: HttpAgent): Promise<Answer> {
  const { host, path } = request;
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(new URL(path, url), { agent, method: request.method ?? 'GET', headers: { ...request.headers, host }, timeout: CHECK_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  }).catch((error: unknown) => {
    throw new BenchError('SWY_BENCH_WRONG_ANSWER', `${describeRequest(request)} to ${url} failed: ${(error as Error).message}`, { field: 'connection', cause: error });
  }) as Promise<Answer>;
}

/**
 * Opens a WebSocket through the target (Host header given), requires the upstream's hello
 * (token and forwarded path), then one echo of a message.
 *
 * @throws BenchError `SWY_BENCH_WRONG_ANSWER` (field `hello`, `echo` or `connection`).
 */
export async function checkWebSocketTarget(target: CheckTarget, request: HostPath, token: string): Promise<void> {
  const ws = new WebSocket(new URL(request.path, target.url), { headers: { host: request.host }, perMessageDeflate: false });
  const fail = (field: string, message: string, cause?: unknown) =>
    new BenchError('SWY_BENCH_WRONG_ANSWER', `${target.id}: WebSocket ${request.path} with Host ${request.host}: ${message}`, { field, subject: targetSubject(target.id), cause });
  try {
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(fail('connection', `no hello and echo within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      ws.on('message', (data: Buffer) => {
        messages.push(data.toString('utf8'));
        if (messages.length === 1) {
          const hello = webSocketHello(token, request.path);
          if (messages[0] !== hello) return reject(fail('hello', `first message is ${JSON.stringify(messages[0])}, expected ${JSON.stringify(hello)}`));
          ws.send(`echo ${token}`);
        } else {
          clearTimeout(timer);
          if (messages[1] !== `echo ${token}`) return reject(fail('echo', `echo is ${JSON.stringify(messages[1])}`));
          resolve();
        }
      });
      ws.on('unexpected-response', (_req, res) => reject(fail('status', `upgrade answered ${res.statusCode}`)));
      ws.on('error', (error) => reject(fail('connection', error.message, error)));
    });
  } finally {
    ws.terminate();
  }
}
