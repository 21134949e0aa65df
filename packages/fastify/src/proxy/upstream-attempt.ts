import type { ServerResponse } from 'node:http';
import type { ClientResponse } from './client-response.js';
import type { RoutableEndpoint } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { DeadlineItem, DeadlineList } from './deadline-list.js';
import { EXCHANGE_OF_RESPONSE, type Exchange, type ExchangeAttempt, type ExchangeResponse } from './exchange.js';
import { applyResponseHeaderFilters } from './gateway/rule-headers.js';
import { grpcStatusIn } from './grpc-request.js';
import { HOP_BY_HOP } from './hop-by-hop.js';
import { Http2StreamResponse } from './http2-stream-response.js';
import { responseHead } from './response-head.js';

/**
 * The waits of the HTTP/1.1 attempts of one forwarder (`timeouts.firstByteMs` and `idleMs`), kept
 * by the proxy rather than by undici (see `DeadlineList`); h2c sessions keep their own.
 */
export interface AttemptDeadlines {
  /** From handing the request to the pool (and from each request-body chunk sent) to the response head. */
  readonly firstByte: DeadlineList<UpstreamAttempt>;
  /** From the head, and from each body chunk, to the next chunk; not while the client's socket holds the upstream back. */
  readonly idle: DeadlineList<UpstreamAttempt>;
}

/** Hears how an attempt ended: once, with the error that ended it or undefined when the upstream completed its answer. */
export interface AttemptOwner {
  /** The app is closing: answers carry `Connection: close`. Read when the upstream's head arrives. */
  readonly closing: boolean;
  attemptSettled(attempt: UpstreamAttempt, error: Error | undefined): void;
}

/**
 * One HTTP attempt against one endpoint: the undici dispatch handler that writes the upstream's
 * answer straight onto the client's response (Node's ServerResponse, or an HTTP/2 stream through
 * `Http2StreamResponse`): the head through `writeHead` (`respond`) as a flat list,
 * each body chunk through `res.write`, with undici's own backpressure (a full client socket
 * pauses the upstream read). It reports its end once, to its owner (`attemptSettled`).
 *
 * It implements undici's original handler callbacks (onConnect, onHeaders, onData, ...): they
 * are what undici's client calls natively; the newer object API is an adapter over them that
 * parses every response's headers into an object first.
 *
 * An HTTP/1.1 attempt waits in its forwarder's deadline lists (`AttemptDeadlines`): for the head,
 * then between body chunks. A wait that passes ends it as undici's own timeouts would (504 before
 * the head, a cut response after it), and at once even when it is still waiting for a connection.
 */
export class UpstreamAttempt implements Dispatcher.DispatchHandler, ExchangeAttempt, DeadlineItem {
  /** The upstream's status, once its head arrived; 0 before. */
  statusCode = 0;
  /** When the head arrived (performance.now()); 0 before. */
  answeredAt = 0;
  /** The client has the status line: from here on a failure can only cut the response. */
  responded = false;
  /** The attempt ended (completed or failed). */
  private settled = false;
  /**
   * The upstream's head, held until its first body byte (or its end): until then a failure
   * can still be answered with a clean 502/504, and Node would not send the head any sooner.
   */
  private pendingText = '';
  private pendingHead: string[] | undefined = undefined;
  private abortUpstream: ((error?: Error) => void) | undefined = undefined;
  /** An HTTPRoute rule's timeout for this attempt, until the upstream's answer is complete. */
  private timer: NodeJS.Timeout | undefined = undefined;
  /** The timeout that ended the attempt before undici handed over the abort: given to it then. */
  private expiredWith: Error | undefined = undefined;
  /** Resumes a read undici paused for backpressure (see `resumeAttemptOnDrain`). */
  private resumeUpstream: (() => void) | undefined = undefined;
  // DeadlineItem: the links of the deadline list the attempt waits in.
  deadlineAt = 0;
  deadlinePrev: DeadlineItem | undefined = undefined;
  deadlineNext: DeadlineItem | undefined = undefined;
  deadlineList: object | undefined = undefined;

  constructor(
    readonly owner: AttemptOwner,
    /** The request this is an attempt of. */
    readonly exchange: Exchange,
    readonly endpoint: RoutableEndpoint,
    private readonly res: ClientResponse,
    private readonly requestId: string,
    readonly sentAt: number,
    /** Undefined for an h2c attempt: its session pool keeps its timeouts. */
    private readonly deadlines: AttemptDeadlines | undefined,
  ) {
    // Before the dispatch: undici may fail the request at once, and onError leaves the list.
    deadlines?.firstByte.add(this, sentAt);
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.expiredWith !== undefined) abort(this.expiredWith);
    else if (this.res.destroyed) abort(clientGone());
  }

  /** A chunk of the request body went towards the upstream: its time to answer starts again. */
  bodySent(): void {
    const deadlines = this.deadlines;
    if (deadlines !== undefined && this.deadlineList === deadlines.firstByte) deadlines.firstByte.add(this, performance.now());
  }

  /** The client's socket drained: undici reads the upstream again (see `resumeAttemptOnDrain`). */
  resume(): void {
    if (this.settled) return;
    this.deadlines?.idle.add(this, performance.now());
    this.resumeUpstream?.();
  }

  /** Ends the attempt with a timeout (504, or a cut response) unless its answer is complete within `ms`. */
  limitTo(ms: number): void {
    this.timer = setTimeout(onRuleTimeout, ms, this);
  }

  /** The rule's timeout fired. */
  timeOut(): void {
    this.timer = undefined;
    this.expire(ruleTimeout());
  }

  /**
   * A timeout ended the attempt: undici aborts the request (and calls onError with `error`), or,
   * when the request has no connection yet, the attempt ends now and undici drops the request
   * when it gets one (`onConnect`).
   */
  expire(error: Error): void {
    if (this.settled) return;
    if (this.abortUpstream !== undefined) return this.abortUpstream(error);
    this.expiredWith = error;
    this.onError(error);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    const now = performance.now();
    // 1xx informational answers are the upstream's business (Node answered the client's Expect
    // itself); as undici's timeout did, each one starts the wait for the head again.
    if (statusCode < 200) {
      this.deadlines?.firstByte.add(this, now);
      return true;
    }
    this.deadlines?.idle.add(this, now);
    this.resumeUpstream = resume;
    this.statusCode = statusCode;
    this.answeredAt = now;
    this.pendingText = statusText;
    const head = responseHead(rawHeaders, this.requestId, this.owner.closing && this.exchange.protocol === 'http1');
    if (this.exchange.ruleActions) applyResponseHeaderFilters(this.exchange.route!, head);
    this.pendingHead = head;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const res = this.res;
    // Node sends the head with the first chunk, in one write.
    if (!this.responded) this.writeHead(res);
    const deadlines = this.deadlines;
    if (res.write(chunk)) {
      deadlines?.idle.add(this, performance.now());
      return true;
    }
    // The client reads slower than the upstream sends: undici pauses until the socket drains,
    // and the upstream's silence until then is not its own.
    deadlines?.idle.remove(this);
    res.once('drain', resumeAttemptOnDrain);
    return false;
  }

  onComplete(trailers?: readonly (Buffer | string)[] | null): void {
    this.settled = true;
    this.leaveDeadlines();
    if (this.timer !== undefined) clearTimeout(this.timer);
    const res = this.res;
    const hasTrailers = trailers !== null && trailers !== undefined && trailers.length !== 0;
    if (this.exchange.grpc) this.exchange.grpcStatus = grpcStatusIn(hasTrailers ? trailers : (this.pendingHead ?? []));
    if (!this.responded && !hasTrailers && res instanceof Http2StreamResponse) {
      // A head without a body (a gRPC trailers-only answer, a 204): one HEADERS frame that
      // ends the stream, as the upstream sent it.
      this.responded = true;
      res.respondAndEnd(this.statusCode, this.pendingHead!);
      this.pendingHead = undefined;
      this.owner.attemptSettled(this, undefined);
      return;
    }
    if (!this.responded) this.writeHead(res);
    if (hasTrailers) this.addTrailers(res, trailers);
    this.owner.attemptSettled(this, undefined);
    res.end();
  }

  /**
   * The upstream's trailers (gRPC's `grpc-status`, or any HTTP trailer) for the client: always
   * over HTTP/2; over HTTP/1.1 when the client said it takes them (`TE: trailers`) and the
   * response is chunked (Node drops them otherwise, as RFC 9110 §6.5.1 allows).
   */
  private addTrailers(res: ClientResponse, raw: readonly (Buffer | string)[]): void {
    if (!(res instanceof Http2StreamResponse)) {
      const te = this.exchange.request.raw.headers.te;
      if (typeof te !== 'string' || !te.toLowerCase().includes('trailers')) return;
    }
    const trailers: Record<string, string> = {};
    for (let i = 0; i < raw.length; i += 2) {
      const name = text(raw[i]!).toLowerCase();
      if (HOP_BY_HOP.has(name) || name === 'content-length') continue;
      const value = text(raw[i + 1]!);
      trailers[name] = trailers[name] === undefined ? value : `${trailers[name]}, ${value}`;
    }
    res.addTrailers(trailers);
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.leaveDeadlines();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.owner.attemptSettled(this, error);
  }

  /** Out of the deadline list it waits in, if any: it waits for nothing more. */
  private leaveDeadlines(): void {
    (this.deadlineList as DeadlineList<UpstreamAttempt> | undefined)?.remove(this);
  }

  /** Stops the attempt if it is still in flight (the client went away). */
  abort(): void {
    if (!this.settled) this.abortUpstream?.(clientGone());
  }

  private writeHead(res: ClientResponse): void {
    const head = this.pendingHead!;
    // HTTP/2 has no reason phrase (Node warns when given one). Trailers may follow an h2c
    // upstream's answer, a chunked HTTP/1.1 one, and a gRPC call's (the gateway's own status
    // when the upstream fails mid-body).
    if (res instanceof Http2StreamResponse) res.respond(this.statusCode, head, this.exchange.grpc || this.endpoint.protocol === 'h2c' || !hasContentLength(head));
    else (res as ServerResponse).writeHead(this.statusCode, this.pendingText, head);
    this.pendingHead = undefined;
    this.responded = true;
  }
}

// Shared by all responses (no closure per request): `this` is the response.
function resumeAttemptOnDrain(this: ExchangeResponse): void {
  this[EXCHANGE_OF_RESPONSE]?.attempt?.resume();
}

/**
 * The head says how long the body is: an HTTP/1.1 answer with a length is not chunked, so no
 * trailers can follow it.
 */
function hasContentLength(head: readonly string[]): boolean {
  for (let i = 0; i < head.length; i += 2) {
    const name = head[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return true;
  }
  return false;
}

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

function onRuleTimeout(attempt: UpstreamAttempt): void {
  attempt.timeOut();
}

/** `timeouts.firstByteMs` passed: classified as undici's own headers timeout was (504, never retried). */
export function firstByteTimeout(ms: number): Error {
  return Object.assign(new Error(`the upstream sent no response head within ${ms} ms (timeouts.firstByteMs)`), { code: 'UND_ERR_HEADERS_TIMEOUT' });
}

/** `timeouts.idleMs` passed inside the body: classified as undici's own body timeout was (a cut response, or 504 before any byte). */
export function idleTimeout(ms: number): Error {
  return Object.assign(new Error(`the upstream sent nothing for ${ms} ms inside its response (timeouts.idleMs)`), { code: 'UND_ERR_BODY_TIMEOUT' });
}

/** Classified as a timeout: 504 before the head, a cut response after it; never retried. */
function ruleTimeout(): Error {
  return Object.assign(new Error("the HTTPRoute rule's timeout or the gRPC call's deadline passed"), { code: 'UND_ERR_HEADERS_TIMEOUT' });
}

function clientGone(): Error {
  return Object.assign(new Error('the client closed the connection'), { code: 'UND_ERR_ABORTED' });
}
