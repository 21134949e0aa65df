import type { RoutableEndpoint, Route, Router } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import type { FastifyErrorCode } from '../errors.js';
import { answerOnResponse } from './answer.js';
import { answerGrpcOnResponse, endGrpcWithStatus } from './grpc-answer.js';
import type { UpstreamDispatcher } from './h2c-sessions.js';
import { ClientBody, type ClientBodyOwner } from './client-body.js';
import type { ClientResponse } from './client-response.js';
import { EXCHANGE_OF_RESPONSE, type Exchange, type ExchangeResponse } from './exchange.js';
import { forwardHeaderList, upstreamHostFor } from './forward-headers.js';
import type { Mirror } from './gateway/mirror.js';
import { bodySourceOf } from './http2-stream-request.js';
import { responseToWrite } from './http2-stream-response.js';
import { applyRequestHeaderFilters } from './gateway/rule-headers.js';
import { attemptTimeoutMs } from './gateway/rule-timeouts.js';
import { CLIENT_CLOSED_REQUEST } from './request-outcome.js';
import { UploadSlots } from './upload-slots.js';
import { DeadlineList } from './deadline-list.js';
import { firstByteTimeout, idleTimeout, UpstreamAttempt, type AttemptDeadlines, type AttemptOwner } from './upstream-attempt.js';
import { classifyUpstreamError } from './upstream-errors.js';
import { noEndpointAnswer } from './no-endpoint.js';

/** How long an HTTP/1.1 attempt waits for its upstream (`SwitchyardOptions.timeouts`). */
export interface UpstreamWaits {
  readonly firstByteMs: number;
  readonly idleMs: number;
}

/** How the forwarder treats request bodies (see `SwitchyardOptions.requestBody`). */
export interface RequestBodyLimits {
  readonly bufferBytes: number;
  readonly idleMs: number;
  readonly streamingPerEndpoint: number;
}

/**
 * Forwards HTTP requests on an undici Agent (HTTP/1.1 endpoints) or the h2c session pool
 * (endpoints whose `protocol` is `h2c`): one `UpstreamAttempt` per endpoint tried, the
 * response written straight onto the client's; when an attempt fails before any response byte,
 * the exchange's retry policy may pick another endpoint, else the client gets 502/504; a failure
 * after the head was sent cuts the response. A request with a body is read first (`ClientBody`):
 * the endpoint is picked once the body is in, or once it proved too long to hold and is streamed.
 */
export class HttpForwarder implements AttemptOwner, ClientBodyOwner {
  /** Set when the app starts closing: responses from then on carry `Connection: close`. */
  closing = false;
  private readonly uploads: UploadSlots;
  private readonly deadlines: AttemptDeadlines;

  constructor(
    /** HTTP/1.1 endpoints: an Agent made without undici's headers and body timeouts (`waits` keeps them). */
    private readonly agent: Dispatcher,
    /** Cleartext HTTP/2 endpoints (`RoutableEndpoint.protocol === 'h2c'`). */
    private readonly h2c: UpstreamDispatcher,
    private readonly trustForwarded: boolean,
    private readonly bodyLimits: RequestBodyLimits,
    /** For HTTPRoute RequestMirror: the mirror backends' endpoints, and where copies go. */
    private readonly router: Router,
    private readonly mirror: () => Mirror,
    waits: UpstreamWaits,
  ) {
    this.uploads = new UploadSlots(bodyLimits.streamingPerEndpoint);
    // An error per timeout, not one shared: it travels through undici and the exchange's handlers.
    this.deadlines = {
      firstByte: new DeadlineList(waits.firstByteMs, (attempt) => attempt.expire(firstByteTimeout(waits.firstByteMs))),
      idle: new DeadlineList(waits.idleMs, (attempt) => attempt.expire(idleTimeout(waits.idleMs))),
    };
  }

  /**
   * Takes the client's response (hijacked from Fastify, or the stream path's): from here the
   * forwarder writes it, and records the request's outcome when it closes.
   */
  own(exchange: Exchange, client: ClientResponse): void {
    const res = responseToWrite(client);
    exchange.res = res;
    (res as ExchangeResponse)[EXCHANGE_OF_RESPONSE] = exchange;
    // on, not once: 'close' comes once anyway, and once() wraps the listener per call.
    res.on('close', onResponseClose);
  }

  /** Sends the first attempt of a request without a body (its response owned: `own`). */
  start(exchange: Exchange, endpoint: RoutableEndpoint): void {
    this.send(exchange, endpoint);
    if (exchange.ruleActions) this.sendMirrors(exchange, null);
  }

  /** Reads the body of a request whose response it owns (`own`); `bodyReady` goes on from there. */
  receive(exchange: Exchange): void {
    const limits = this.bodyLimits;
    // A gRPC call's messages go as they come (a bidirectional call waits for answers between
    // them), and its stream may be quiet for as long as its deadline allows.
    const grpc = exchange.grpc;
    const body = new ClientBody(exchange, bodySourceOf(exchange.request.raw), this, this.uploads, grpc ? 0 : limits.bufferBytes, grpc ? 0 : limits.idleMs);
    exchange.body = body;
    body.start();
  }

  bodyReady(body: ClientBody): void {
    const exchange = body.exchange;
    if (exchange.res!.destroyed) return;
    const endpoint = exchange.pickFirst();
    if (endpoint === undefined) {
      const none = noEndpointAnswer(exchange);
      return this.answer(exchange, 503, none.code, none.reason);
    }
    this.send(exchange, endpoint);
    if (exchange.ruleActions) this.sendMirrors(exchange, body.buffered ?? null);
  }

  bodyStalled(body: ClientBody): void {
    const exchange = body.exchange;
    const res = exchange.res!;
    if (res.destroyed) return;
    const attempt = exchange.attempt;
    if (attempt?.responded === true) {
      // The upstream answered while the body was still coming: all that is left is to cut.
      exchange.cut = true;
      attempt.abort();
      res.destroy();
      return;
    }
    this.answer(exchange, 408, 'SWY_PROXY_BODY_TIMEOUT', `no byte of the request body came for ${this.bodyLimits.idleMs} ms`);
    // Frees the upstream connection the unfinished body held.
    attempt?.abort();
  }

  attemptSettled(attempt: UpstreamAttempt, error: Error | undefined): void {
    const exchange = attempt.exchange;
    const endpoint = attempt.endpoint;
    if (attempt.statusCode !== 0) {
      exchange.statusCode = attempt.statusCode;
      exchange.observer?.upstreamLatency((attempt.answeredAt - attempt.sentAt) / 1000);
    }
    if (error === undefined) return exchange.attemptEnded(endpoint, attempt.statusCode >= 500 ? 'failure' : 'success');

    const failure = classifyUpstreamError(error);
    const res = exchange.res!;
    // A request undici refused to send, or one the client abandoned, says nothing about the endpoint.
    exchange.attemptEnded(endpoint, failure.upstreamFault && !res.destroyed ? 'failure' : 'success');
    // The client left, or the proxy answered it already (408 for a stalled body) and aborted this attempt.
    if (res.destroyed || (res.headersSent && !attempt.responded)) return;
    exchange.errorReason = failure.reason;
    if (attempt.responded) {
      if (exchange.grpc && !res.writableEnded) {
        // A gRPC client reads a status from trailers, even after some messages.
        exchange.errorCode = failure.code;
        exchange.grpcStatus = endGrpcWithStatus(res, failure.statusCode, failure.code, `upstream ${endpoint.key} of ${exchange.route!.backendKey} ${failure.statusCode === 504 ? 'timed out' : 'failed'} mid-stream (${failure.reason})`);
        return;
      }
      // The status line is out: all that is left is to cut the response, so the client sees it broke.
      exchange.cut = true;
      res.destroy();
      return;
    }
    const next = exchange.retryAfter(endpoint, failure);
    if (next !== undefined) return this.send(exchange, next);
    const what = failure.statusCode === 504 ? 'timed out' : 'failed';
    this.answer(exchange, failure.statusCode, failure.code, `upstream ${endpoint.key} of ${exchange.route!.backendKey} ${what} (${failure.reason})`);
  }

  private send(exchange: Exchange, endpoint: RoutableEndpoint): void {
    const raw = exchange.request.raw;
    const res = exchange.res!;
    let body: Dispatcher.DispatchOptions['body'] = null;
    const clientBody = exchange.body as ClientBody | undefined;
    if (clientBody !== undefined) {
      body = clientBody.forAttempt(endpoint.origin, endpoint.protocol === 'http1');
      if (body === undefined) {
        return this.answer(exchange, 503, 'SWY_PROXY_UPLOADS_BUSY', `upstream ${endpoint.key} of ${exchange.route!.backendKey} already takes ${this.bodyLimits.streamingPerEndpoint} streamed request bodies`);
      }
    }
    const route = exchange.route!;
    let timeoutMs: number | undefined;
    const timeouts = exchange.ruleActions ? route.rule!.timeouts : undefined;
    if (timeouts !== undefined && (timeouts.requestMs !== undefined || timeouts.backendRequestMs !== undefined)) {
      timeoutMs = attemptTimeoutMs(timeouts, performance.now() - exchange.startedAt);
      if (timeoutMs === 0) return this.answer(exchange, 504, 'SWY_PROXY_UPSTREAM_TIMEOUT', `the request timeout of HTTPRoute ${route.origin.namespace}/${route.origin.name} ${route.rule!.field} passed`);
    }
    if (exchange.deadline !== 0) {
      const left = Math.ceil(exchange.deadline - performance.now());
      if (left <= 0) return this.answer(exchange, 504, 'SWY_PROXY_UPSTREAM_TIMEOUT', 'the gRPC call\'s deadline (grpc-timeout) passed');
      if (timeoutMs === undefined || left < timeoutMs) timeoutMs = left;
    }
    exchange.attemptStarted(endpoint);
    const h2c = endpoint.protocol === 'h2c';
    const headers = this.upstreamHeaders(exchange, endpoint, route);
    const attempt = new UpstreamAttempt(this, exchange, endpoint, res, exchange.requestId, performance.now(), h2c ? undefined : this.deadlines);
    exchange.attempt = attempt;
    if (timeoutMs !== undefined) attempt.limitTo(timeoutMs);
    // A streamed body gets a new reader per attempt, so a failed connection leaves the body
    // unsent and another endpoint can be tried with it.
    const dispatcher = h2c ? this.h2c : this.agent;
    dispatcher.dispatch({ origin: endpoint.origin, path: exchange.upstreamPath + exchange.query, method: raw.method as Dispatcher.HttpMethod, headers, body }, attempt);
  }

  /** The request headers for `endpoint`: forwarded as for any route, then an HTTPRoute rule's modifiers. */
  private upstreamHeaders(exchange: Exchange, endpoint: RoutableEndpoint, route: Route): string[] {
    const host = exchange.rewrittenHost ?? upstreamHostFor(endpoint, exchange.clientHost);
    const raw = exchange.request.raw;
    const headers = forwardHeaderList(raw, host, exchange.clientHost, exchange.requestId, this.trustForwarded);
    if (exchange.ruleActions) applyRequestHeaderFilters(route, headers);
    // `TE: trailers` is hop-by-hop, but HTTP/2 lets it through, and gRPC servers other than
    // Node's refuse a call without it. An HTTP/1.1 upstream does not get it (it would have to
    // be listed in Connection, which undici sets itself).
    if (endpoint.protocol === 'h2c') {
      const te = raw.headers.te;
      if (typeof te === 'string' && te.toLowerCase().includes('trailers')) headers.push('te', 'trailers');
    }
    return headers;
  }

  /**
   * HTTPRoute RequestMirror: a copy of the request to one endpoint of each mirror backend, sent
   * once (not per retry), never waited for. A backend without an eligible endpoint gets none.
   */
  private sendMirrors(exchange: Exchange, body: Buffer | null): void {
    const route = exchange.route!;
    const mirrors = route.rule!.filters.mirrors;
    const own = route.backendFilters?.mirrors;
    if (mirrors.length === 0 && (own === undefined || own.length === 0)) return;
    for (const mirror of own === undefined ? mirrors : [...mirrors, ...own]) {
      const backend = this.router.backendByKey(mirror.backendKey);
      const eligible = backend?.endpoints?.eligible;
      if (backend === undefined || eligible === undefined || eligible.length === 0) continue;
      const endpoint = backend.balancer.pick(eligible, undefined, undefined) as RoutableEndpoint | undefined;
      if (endpoint === undefined) continue;
      const raw = exchange.request.raw;
      this.mirror().send(mirror.fraction, endpoint.origin, raw.method ?? 'GET', exchange.upstreamPath + exchange.query, this.upstreamHeaders(exchange, endpoint, route), body, endpoint.protocol);
    }
  }

  /**
   * Answers the request itself, before any byte of an upstream's answer: the connection closes
   * when the client's body was not read to its end (it cannot carry another request).
   */
  answer(exchange: Exchange, statusCode: number, code: FastifyErrorCode, reason: string): void {
    exchange.errorCode = code;
    exchange.statusCode = statusCode;
    if (exchange.grpc || exchange.protocol !== 'http1') {
      // An HTTP/2 request stream left paused with unread data holds back the answer's
      // END_STREAM: what is left of the body is read and dropped.
      exchange.body?.close();
      exchange.request.raw.resume();
    }
    if (exchange.grpc) {
      // HTTP 200 on the wire; the gRPC status says what happened.
      exchange.statusCode = 200;
      exchange.grpcStatus = answerGrpcOnResponse(exchange.res!, statusCode, code, reason, exchange.requestId);
      return;
    }
    const unreadBody = exchange.body !== undefined && !exchange.body.complete;
    // HTTP/2 has no Connection header: its sessions get GOAWAY from the drain instead.
    answerOnResponse(exchange.res!, statusCode, code, reason, exchange.requestId, (this.closing || unreadBody) && exchange.protocol === 'http1');
  }
}

// Shared by all responses (no closure per request): `this` is the response.
function onResponseClose(this: ExchangeResponse): void {
  const exchange = this[EXCHANGE_OF_RESPONSE];
  if (exchange === undefined) return;
  // Cleared, not deleted: deleting a property that is not the last one added turns the
  // response into a dictionary-mode object (measured: about 1 µs per request in V8's runtime).
  this[EXCHANGE_OF_RESPONSE] = undefined;
  exchange.attempt?.abort();
  exchange.body?.close();
  // A response that did not finish and was not cut by us: the client left first (nginx's 499).
  const clientLeft = !this.writableFinished && !exchange.cut;
  exchange.finish(clientLeft ? CLIENT_CLOSED_REQUEST : exchange.statusCode || this.statusCode);
}
