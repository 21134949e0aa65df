import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { AddressPolicy } from '@switchyard/core';
import { addressDeniedError, guardedLookup, originHost } from './address-guard.js';

/** What the forwarder needs of an upstream connection pool: undici's `dispatch`, with its handler callbacks. */
export interface UpstreamDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
}

/** Timeouts of the h2c pool, the same options the HTTP/1.1 Agent takes. */
export interface H2cSessionOptions {
  /** Connecting (TCP connect and the HTTP/2 preface) to an endpoint. */
  readonly connectMs: number;
  /** Waiting for the response headers of a stream. */
  readonly firstByteMs: number;
  /** Silence on a stream, either way, once its headers came. */
  readonly idleMs: number;
  /** A session without any frame for this long is closed (gracefully: its streams finish). */
  readonly sessionIdleMs: number;
  /** Asked before each new session: a denied address fails the request, no socket opened. */
  readonly addressPolicy: AddressPolicy;
}

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

/**
 * Connection-specific request headers HTTP/2 forbids (RFC 9113 §8.2.2): Node refuses a request
 * that carries one. The forwarder drops them already; this keeps a header modifier or a future
 * caller from turning a request into an exception. `te` goes only as `trailers`.
 */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings', 'host', 'te']);

/** The pool entry of a session, and the request a stream belongs to (for the shared listeners). */
const ORIGIN = Symbol('switchyard.h2cOrigin');
const REQUEST = Symbol('switchyard.h2cRequest');
const POOL = Symbol('switchyard.h2cPool');
const CONNECT_TIMER = Symbol('switchyard.h2cConnectTimer');
type PooledSession = ClientHttp2Session & { [ORIGIN]: string; [POOL]: H2cSessions; [CONNECT_TIMER]: NodeJS.Timeout | undefined };
type RequestStream = ClientHttp2Stream & { [REQUEST]: H2cRequest };
type RequestBody = Readable & { [REQUEST]?: H2cRequest };

/**
 * Cleartext HTTP/2 (prior knowledge) to endpoints whose Service port says `kubernetes.io/h2c`:
 * one `node:http2` session per endpoint origin, every request a stream on it, behind undici's
 * dispatch interface so `UpstreamAttempt` serves both protocols unchanged.
 *
 * Why not undici's own h2c (`allowH2` with `connect: { useH2c: true }`, 7.x): its client sends
 * a request that is not idempotent (every gRPC call is a POST) or has a streamed body only when
 * nothing else is in flight on the connection, so concurrent gRPC calls either queue behind each
 * other (one connection) or open one connection each; and a graceful GOAWAY from the upstream
 * (a server draining, gRPC's max connection age) fails the streams in flight instead of letting
 * them finish. Node's session does neither (measured; see the package README).
 *
 * The pool holds at most one session per endpoint (endpoints come from discovery, never from a
 * request). A session leaves the pool on GOAWAY, error, close or idleness; its streams in flight
 * finish on it while new requests open a new one. Streams beyond the upstream's
 * SETTINGS_MAX_CONCURRENT_STREAMS wait inside nghttp2 for a free slot; a second connection is
 * never opened for them.
 */
export class H2cSessions implements UpstreamDispatcher {
  private readonly sessions = new Map<string, PooledSession>();
  private closed = false;
  /** For endpoints given as names: their resolved addresses are checked too. */
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(readonly options: H2cSessionOptions) {
    this.lookup = guardedLookup(options.addressPolicy);
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const request = new H2cRequest(handler, options.body as Buffer | Readable | null | undefined, this.options);
    handler.onConnect?.(request.abort);
    if (request.settled) return true;
    if (this.closed) {
      request.fail(Object.assign(new Error('the h2c pool is closed'), { code: 'UND_ERR_DESTROYED' }));
      return true;
    }
    const origin = String(options.origin);
    let stream: ClientHttp2Stream;
    try {
      stream = this.session(origin).request(requestHeaders(options), { endStream: options.body === null || options.body === undefined });
    } catch (error) {
      // Out of stream ids, or a session that closed under us: the next request gets a new one.
      this.forget(origin);
      request.fail(error as Error);
      return true;
    }
    request.start(stream as RequestStream);
    return true;
  }

  /** Closes every session gracefully (streams in flight finish). */
  async close(): Promise<void> {
    this.closed = true;
    const closing = [...this.sessions.values()].map((session) => new Promise<void>((resolve) => session.close(resolve)));
    this.sessions.clear();
    await Promise.all(closing);
  }

  /** Destroys every session (streams in flight fail). */
  async destroy(): Promise<void> {
    this.closed = true;
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  /** The pooled session of `origin`, opened on first use. */
  private session(origin: string): ClientHttp2Session {
    const known = this.sessions.get(origin);
    if (known !== undefined && !known.closed && !known.destroyed) return known;
    // Before any socket: a denied address throws, and `dispatch` fails the request with it.
    const denial = this.options.addressPolicy.check(originHost(origin));
    if (denial !== undefined) throw addressDeniedError(denial);
    const session = http2.connect(origin, { settings: { enablePush: false }, lookup: this.lookup }) as PooledSession;
    session[ORIGIN] = origin;
    session[POOL] = this;
    session[CONNECT_TIMER] = setTimeout(onConnectTimeout, this.options.connectMs, session);
    session.once('connect', onSessionConnect);
    session.on('error', onSessionGone);
    session.on('goaway', onSessionGone);
    session.on('close', onSessionGone);
    session.on('timeout', onSessionIdle);
    session.setTimeout(this.options.sessionIdleMs);
    this.sessions.set(origin, session);
    return session;
  }

  /** Takes `session` out of the pool, if it still is the pooled one. */
  forgetSession(session: PooledSession): void {
    if (this.sessions.get(session[ORIGIN]) === session) this.sessions.delete(session[ORIGIN]);
  }

  private forget(origin: string): void {
    const session = this.sessions.get(origin);
    if (session !== undefined) this.forgetSession(session);
  }
}

// Shared by every session: `this` is the session.
function onSessionConnect(this: PooledSession): void {
  clearTimeout(this[CONNECT_TIMER]);
  this[CONNECT_TIMER] = undefined;
}

function onSessionGone(this: PooledSession): void {
  clearTimeout(this[CONNECT_TIMER]);
  this[POOL].forgetSession(this);
}

function onSessionIdle(this: PooledSession): void {
  this[POOL].forgetSession(this);
  this.close();
}

function onConnectTimeout(session: PooledSession): void {
  if (session.connecting) session.destroy(Object.assign(new Error(`connecting to ${session[ORIGIN]} timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
}

/** The request headers as an HTTP/2 header object: `host` becomes `:authority`, connection-specific ones go. */
function requestHeaders(options: Dispatcher.DispatchOptions): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { __proto__: null } as unknown as OutgoingHttpHeaders;
  headers[':method'] = options.method;
  headers[':path'] = options.path;
  headers[':scheme'] = 'http';
  const list = options.headers as string[] | null | undefined;
  if (list === null || list === undefined) return headers;
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!.toLowerCase();
    const value = list[i + 1]!;
    // A client's own pseudo-headers (an HTTP/2 client's request): the proxy sets its own.
    if (name.charCodeAt(0) === 0x3a /* : */) continue;
    if (CONNECTION_SPECIFIC.has(name)) {
      if (name === 'host') headers[':authority'] = value;
      else if (name === 'te' && value.toLowerCase().includes('trailers')) headers.te = 'trailers';
      continue;
    }
    const known = headers[name];
    if (known === undefined) headers[name] = value;
    else if (Array.isArray(known)) known.push(value);
    else headers[name] = [known as string, value];
  }
  return headers;
}

/**
 * One request as a stream: the stream's events translated into the handler's callbacks (head,
 * data with backpressure, trailers, completion or one error). The stream and body listeners are
 * shared functions; `abort` and `resume` are the two functions undici's interface hands over.
 */
class H2cRequest {
  settled = false;
  private stream: RequestStream | undefined = undefined;
  private responded = false;
  private trailers: string[] | null = null;

  constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly body: Buffer | Readable | null | undefined,
    private readonly options: H2cSessionOptions,
  ) {}

  readonly abort = (error?: Error): void => {
    this.fail(error ?? Object.assign(new Error('the request was aborted'), { code: 'UND_ERR_ABORTED' }));
  };

  readonly resume = (): void => {
    this.stream?.resume();
  };

  start(stream: RequestStream): void {
    this.stream = stream;
    stream[REQUEST] = this;
    stream.on('response', onResponse);
    stream.on('data', onData);
    stream.on('trailers', onTrailers);
    stream.on('end', onEnd);
    stream.on('error', onStreamError);
    stream.on('close', onStreamClose);
    stream.on('timeout', onStreamTimeout);
    stream.setTimeout(this.options.firstByteMs);
    const body = this.body;
    if (body === null || body === undefined) return;
    if (Buffer.isBuffer(body)) {
      stream.end(body);
      return;
    }
    // A streamed body is read only once the stream is open on a connected session: until
    // then no byte of it is taken, so a refused connection leaves it to retry elsewhere.
    (body as RequestBody)[REQUEST] = this;
    body.on('error', onBodyError);
    // On a session that is connected already the stream has its id at once ('ready' came and went).
    if (stream.pending) stream.once('ready', onStreamReady);
    else this.sendBody();
  }

  /** The stream is open: the streamed body flows, held back by the upstream's flow control. */
  sendBody(): void {
    if (this.settled) return;
    (this.body as Readable).pipe(this.stream!);
  }

  response(headers: IncomingHttpHeaders): void {
    const status = Number(headers[':status']);
    // 1xx: the upstream's business (Node answered the client's Expect itself).
    if (status < 200) return;
    this.responded = true;
    this.stream!.setTimeout(this.options.idleMs);
    const list = headerList(headers);
    if (this.handler.onHeaders?.(status, list as unknown as Buffer[], this.resume, STATUS_CODES[status] ?? '') === false) this.stream!.pause();
  }

  data(chunk: Buffer): void {
    if (this.settled) return;
    if (this.handler.onData?.(chunk) === false) this.stream!.pause();
  }

  trailersCame(headers: IncomingHttpHeaders): void {
    this.trailers = headerList(headers);
  }

  ended(): void {
    if (this.settled) return;
    // A reset also ends the readable side (Node pushes its end before 'close'); its code is set by then.
    const rstCode = this.stream!.rstCode;
    if (rstCode !== undefined && rstCode !== NGHTTP2_NO_ERROR) return this.closed();
    if (!this.responded) return this.fail(Object.assign(new Error('the upstream ended the stream without a response'), { code: 'UND_ERR_SOCKET' }));
    this.settled = true;
    this.handler.onComplete?.(this.trailers as unknown as string[] | null);
  }

  timedOut(): void {
    const code = this.responded ? 'UND_ERR_BODY_TIMEOUT' : 'UND_ERR_HEADERS_TIMEOUT';
    this.fail(Object.assign(new Error(this.responded ? 'the upstream stream was idle too long' : 'the upstream sent no response headers in time'), { code }));
  }

  /** The stream closed: an error unless it ended (a reset, or the session went). */
  closed(): void {
    if (this.settled) return;
    const stream = this.stream!;
    // RST_STREAM REFUSED_STREAM, or beyond a GOAWAY's last stream: nothing of it was processed (RFC 9113 §8.7).
    if (stream.rstCode === NGHTTP2_REFUSED_STREAM) return this.fail(Object.assign(new Error('the upstream refused the stream'), { code: 'NGHTTP2_REFUSED_STREAM' }));
    this.fail(Object.assign(new Error(`the upstream reset the stream (code ${stream.rstCode ?? 'none'})`), { code: 'ECONNRESET' }));
  }

  /** Ends the request with `error`, once: the stream is cancelled and the body let go. */
  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    const stream = this.stream;
    if (stream !== undefined && !stream.closed && !stream.destroyed) stream.close(NGHTTP2_CANCEL);
    const body = this.body;
    if (body !== null && body !== undefined && !Buffer.isBuffer(body) && !body.readableEnded) {
      if (stream !== undefined) body.unpipe(stream);
      body.destroy();
    }
    this.handler.onError?.(error);
  }
}

/** The headers as the flat name/value list undici hands over, pseudo-headers left out. */
function headerList(headers: IncomingHttpHeaders): string[] {
  const list: string[] = [];
  for (const name in headers) {
    if (name.charCodeAt(0) === 0x3a /* : */) continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) list.push(name, each);
    else list.push(name, value);
  }
  return list;
}

// Shared by every stream: `this` is the stream.
function onResponse(this: RequestStream, headers: IncomingHttpHeaders): void {
  this[REQUEST].response(headers);
}

function onData(this: RequestStream, chunk: Buffer): void {
  this[REQUEST].data(chunk);
}

function onTrailers(this: RequestStream, headers: IncomingHttpHeaders): void {
  this[REQUEST].trailersCame(headers);
}

function onEnd(this: RequestStream): void {
  this[REQUEST].ended();
}

function onStreamError(this: RequestStream, error: Error): void {
  // A reset or a failed session: 'close' follows and decides, unless the error says more.
  const code = (error as { code?: string }).code;
  if (code === 'ERR_HTTP2_STREAM_ERROR') return;
  this[REQUEST].fail(error);
}

function onStreamClose(this: RequestStream): void {
  this[REQUEST].closed();
}

function onStreamReady(this: RequestStream): void {
  this[REQUEST].sendBody();
}

function onStreamTimeout(this: RequestStream): void {
  this[REQUEST].timedOut();
}

function onBodyError(this: RequestBody, error: Error): void {
  this[REQUEST]?.fail(error);
}
