import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { RedirectAction, RouteRule } from '@switchyard/core';
import type { IncomingHttpHeaders } from 'node:http';
import { constants, type ServerHttp2Stream } from 'node:http2';
import { Server as TlsServer } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { Mirror } from './gateway/mirror.js';
import { guardedConnector } from './address-guard.js';
import type { ResolvedOptions } from '../options.js';
import type { FastifyErrorCode } from '../errors.js';
import { answer, redirectOnResponse } from './answer.js';
import { answerGrpcOnResponse } from './grpc-answer.js';
import { grpcTimeoutMs, isGrpcRequest } from './grpc-request.js';
import { H2cSessions, type UpstreamDispatcher } from './h2c-sessions.js';
import { EXCHANGE_OF_RESPONSE, Exchange, type ExchangeContext, type ExchangeResponse } from './exchange.js';
import { requestIdOf } from './forward-headers.js';
import { HttpForwarder } from './http-forwarder.js';
import { Http2StreamRequest } from './http2-stream-request.js';
import { Http2StreamResponse, responseToWrite } from './http2-stream-response.js';
import type { ExchangeRequest } from './incoming-request.js';
import { pickRuleBackend } from './gateway/pick-backend.js';
import { replacePath } from './gateway/path-modifier.js';
import { redirectLocation } from './gateway/redirect-location.js';
import { decideRequest, GatewayLookup, headerEntryLimit, Redirect, Refusal, type GatewayTarget } from './request-decision.js';
import { CLIENT_CLOSED_REQUEST, RequestOutcomes } from './request-outcome.js';
import { hasRequestBody } from './retry-policy.js';
import { noEndpointAnswer } from './no-endpoint.js';
import { pendingUpgradeOf } from './pending-upgrade.js';
import { WebSocketProxy } from './websocket.js';

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_REFUSED_STREAM } = constants;

/**
 * The proxy's Fastify side: the onRequest hook that decides what a request is, the handler that
 * picks an endpoint and hands the request to the HTTP forwarder or the WebSocket proxy, and the
 * onSend hook's part that records the answers Fastify sends. One per registration of the plugin.
 */
export class Proxy implements ExchangeContext {
  readonly router: ResolvedOptions['router'];
  readonly retries: number;
  readonly outcomes: RequestOutcomes;
  readonly http: HttpForwarder;
  /** The upgrade (WebSocket) side of the proxy. */
  readonly websockets: WebSocketProxy;
  /** Set when the registration serves a Gateway port (`gatewayPort`). */
  private readonly gateway: GatewayLookup | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    readonly logger: FastifyBaseLogger,
    agent: Dispatcher,
    /** The pool of cleartext HTTP/2 sessions, for endpoints whose protocol is h2c. */
    h2c: UpstreamDispatcher,
    /** The server the plugin is registered on: its `maxHeadersCount`, read per request as Node reads it per connection. */
    private readonly server: { readonly maxHeadersCount: number | null },
  ) {
    this.router = options.router;
    this.retries = options.retries;
    this.gateway = options.gatewayPort === undefined ? undefined : new GatewayLookup(options.gatewayPort, server instanceof TlsServer);
    this.outcomes = new RequestOutcomes(options.observer, logger, options.logRequests, options.requestLines);
    this.http = new HttpForwarder(
      agent,
      h2c,
      options.trustForwarded,
      { bufferBytes: options.requestBufferBytes, idleMs: options.requestBodyIdleTimeoutMs, streamingPerEndpoint: options.streamingUploadsPerEndpoint },
      options.router,
      this.mirror,
      { firstByteMs: options.firstByteTimeoutMs, idleMs: options.idleTimeoutMs },
    );
    this.websockets = new WebSocketProxy({ connectMs: options.connectTimeoutMs, firstByteMs: options.firstByteTimeoutMs }, options.trustForwarded, options.observer, options.addressPolicy);
  }

  /**
   * The sender of HTTPRoute RequestMirror copies, made on the first copy: on an Agent and an h2c
   * pool of its own, so copies never take the connections or sessions primary requests need.
   */
  private readonly mirror = (): Mirror => {
    if (this.mirrors === undefined) {
      const { connectTimeoutMs, firstByteTimeoutMs, idleTimeoutMs, upstreamKeepAliveMs, addressPolicy } = this.options;
      const connect = guardedConnector(addressPolicy, { timeout: connectTimeoutMs });
      this.mirrorAgent = new Agent({ connections: this.options.connectionsPerEndpoint, keepAliveTimeout: upstreamKeepAliveMs, connect });
      this.mirrorH2c = new H2cSessions({ connectMs: connectTimeoutMs, firstByteMs: firstByteTimeoutMs, idleMs: idleTimeoutMs, sessionIdleMs: upstreamKeepAliveMs, addressPolicy });
      this.mirrors = new Mirror(this.mirrorAgent, { h2c: this.mirrorH2c, onFailure: (error) => this.logger.debug({ err: error }, 'mirror request failed') });
    }
    return this.mirrors;
  };

  private mirrors: Mirror | undefined = undefined;
  private mirrorAgent: Agent | undefined = undefined;
  private mirrorH2c: H2cSessions | undefined = undefined;

  /** Closes what the proxy opened besides the app's own: the mirrors' connections and sessions. */
  async close(): Promise<void> {
    await Promise.all([this.mirrorAgent?.destroy(), this.mirrorH2c?.destroy()]);
  }

  /** Responses from now on close their connection (the app is closing). */
  set closing(value: boolean) {
    this.http.closing = value;
  }

  get closing(): boolean {
    return this.http.closing;
  }

  /**
   * The onRequest hook of the proxy's routes: decides what the request is and answers 400, 404
   * or the HTTPS redirect itself. Matching before the handler puts the route on
   * `request.switchyard` for the app's preHandler hooks.
   */
  readonly match = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const exchange = this.exchangeOf(request);
    request.switchyard = exchange;
    reply.header('x-request-id', exchange.requestId);
    // The app is closing: Fastify's own 503 is off (`switchyardServerOptions`), so the answer,
    // its line and its count are the proxy's. Nothing more is forwarded.
    if (this.closing) return this.answer(exchange, reply, 503, 'SWY_PROXY_CLOSING', 'the gateway is closing');
    const answer = this.route(exchange);
    if (answer === undefined) return done();
    if (answer.kind === 'redirect') return void reply.redirect(answer.location, answer.statusCode);
    this.answer(exchange, reply, answer.statusCode, answer.code, answer.reason);
  };

  /**
   * An HTTP/2 stream of a listener `startGateway` made (whose app has no routes or hooks but
   * this plugin's), served from the stream itself: the same decisions, forwarding, answers
   * and outcome as a request through `match` and `handle`, without Node's compatibility
   * request and response nor Fastify's request cycle, which cost a third of the CPU of an
   * HTTP/2 request (`Http2StreamRequest`, `Http2StreamResponse`).
   */
  readonly serveStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]): void => {
    // Reset before the event came (its session went): nobody is left to answer.
    if (stream.destroyed) return;
    // The app is closing: the session's GOAWAY is on its way; this stream may be retried.
    if (this.closing) return void stream.close(NGHTTP2_REFUSED_STREAM);
    const reqId = `h2-${(++this.streamsServed).toString(36)}`;
    const http = this.http;
    let exchange: Exchange | undefined;
    try {
      const raw = new Http2StreamRequest(stream, headers, rawHeaders, reqId);
      exchange = this.exchangeOf(raw);
      http.own(exchange, new Http2StreamResponse(stream));
      const answer = this.route(exchange);
      if (answer !== undefined) {
        // (The forwarder's answer drops what is left of the body itself.)
        if (answer.kind === 'refuse') return http.answer(exchange, answer.statusCode, answer.code, answer.reason);
        // Nothing reads the body: what is left of it is dropped, so the stream can close.
        if (!stream.endAfterHeaders) stream.resume();
        exchange.statusCode = answer.statusCode;
        return redirectOnResponse(exchange.res!, answer.statusCode, answer.location, exchange.requestId);
      }
      if (hasRequestBody(raw)) return http.receive(exchange);
      const endpoint = exchange.pickFirst();
      if (endpoint === undefined) {
        const none = noEndpointAnswer(exchange);
        return http.answer(exchange, 503, none.code, none.reason);
      }
      http.start(exchange, endpoint);
    } catch (error) {
      // What Fastify does with a handler that throws, short of a 500 page the stream may be past.
      this.logger.error({ err: error, reqId }, 'the proxy failed on an HTTP/2 stream');
      if (exchange !== undefined) {
        exchange.cut = true;
        exchange.statusCode = 500;
      }
      if (!stream.destroyed) stream.close(NGHTTP2_INTERNAL_ERROR);
    }
  };

  private streamsServed = 0;

  /** The exchange of a request, with its gRPC deadline when it is a gRPC call. */
  private exchangeOf(request: ExchangeRequest): Exchange {
    const raw = request.raw;
    const exchange = new Exchange(this, request, requestIdOf(raw, this.options.trustRequestId), performance.now());
    if (isGrpcRequest(raw)) {
      exchange.grpc = true;
      const timeoutMs = grpcTimeoutMs(raw.headers['grpc-timeout']);
      if (timeoutMs !== undefined) exchange.deadline = exchange.startedAt + timeoutMs;
    }
    return exchange;
  }

  /** Decides what the request is: undefined when it is routed (the exchange has its route), else the proxy's own answer. */
  private route(exchange: Exchange): Refusal | Redirect | undefined {
    const decision = decideRequest(exchange.request.raw, this.router.table, this.options.httpsRedirect, headerEntryLimit(this.server.maxHeadersCount), this.gateway);
    switch (decision.kind) {
      case 'route':
        exchange.routeTo(decision);
        return undefined;
      case 'gateway':
        return this.routeGateway(exchange, decision);
      default:
        return decision;
    }
  }

  /**
   * A request an HTTPRoute rule matched: the rule answers 500 when it cannot be served, a
   * redirect answers itself, else a backendRef is picked by weight (500 for the share of one
   * that did not resolve) and the URLRewrite applied to what goes upstream.
   */
  private routeGateway(exchange: Exchange, target: GatewayTarget): Refusal | Redirect | undefined {
    const match = target.match;
    const rule = match.rule;
    if (rule.failure !== undefined) return new Refusal(500, 'SWY_PROXY_ROUTE_INVALID', `HTTPRoute ${ruleName(rule)}: ${rule.failure}`);
    const direct = rule.direct;
    if (direct !== undefined) {
      exchange.routeToRule(direct, target, false);
      return undefined;
    }
    const matchedPrefix = match.pathType === 'PathPrefix' ? match.pathValue : undefined;
    const redirect = rule.filters.redirect;
    if (redirect !== undefined) return this.redirectTo(exchange, redirect, target, matchedPrefix);
    const backend = pickRuleBackend(rule, Math.random);
    const route = backend?.route;
    if (route === undefined) {
      const why = backend?.problem === undefined ? 'no backendRef takes traffic' : `${backend.field}: ${backend.problem.message} (${backend.problem.reason})`;
      return new Refusal(500, 'SWY_PROXY_ROUTE_INVALID', `HTTPRoute ${ruleName(rule)}: ${why}`);
    }
    // A backendRef's own RequestRedirect: for the requests sent to it.
    const ownRedirect = route.backendFilters?.redirect;
    if (ownRedirect !== undefined) return this.redirectTo(exchange, ownRedirect, target, matchedPrefix);
    exchange.routeToRule(route, target, true);
    const rewrite = route.backendFilters?.rewrite ?? rule.filters.rewrite;
    if (rewrite !== undefined) {
      if (rewrite.path !== undefined) exchange.upstreamPath = replacePath(rewrite.path, target.path, matchedPrefix);
      exchange.rewrittenHost = rewrite.hostname;
    }
    return undefined;
  }

  /** The `RequestRedirect` answer, with the Location it makes of the request. */
  private redirectTo(exchange: Exchange, redirect: RedirectAction, target: GatewayTarget, matchedPrefix: string | undefined): Redirect {
    const scheme = exchange.request.raw.socket.encrypted === true ? 'https' : 'http';
    const location = redirectLocation(redirect, { scheme, host: target.host, listenerPort: target.listener.port, path: target.path, query: target.query, matchedPrefix });
    return new Redirect(location, redirect.statusCode);
  }

  /** The route handler for every method and path: picks an endpoint and proxies. */
  readonly handle = (request: FastifyRequest, reply: FastifyReply): void => {
    const exchange = request.switchyard as Exchange;
    const raw = request.raw;
    const upgrade = pendingUpgradeOf(raw);
    if (upgrade !== undefined) {
      // A WebSocket (or other) upgrade that came through the app's hooks: tunnel it.
      reply.hijack();
      return this.websockets.tunnel(exchange, reply.raw, upgrade, exchange.pickFirst());
    }
    if (hasRequestBody(raw)) {
      // The body is read first; the endpoint is picked once it is in (or streams).
      reply.hijack();
      this.http.own(exchange, reply.raw);
      return this.http.receive(exchange);
    }
    const endpoint = exchange.pickFirst();
    if (endpoint === undefined) {
      const none = noEndpointAnswer(exchange);
      return this.answer(exchange, reply, 503, none.code, none.reason);
    }
    // From here the proxy writes the response itself.
    reply.hijack();
    this.http.own(exchange, reply.raw);
    this.http.start(exchange, endpoint);
  };

  /**
   * Answers a request without the upstream, before the forwarder owns its response: through
   * Fastify, or, for a gRPC call, as a trailers-only gRPC status written on the raw response
   * (Fastify's send would add an empty DATA frame over HTTP/2), recorded here since Fastify's
   * onSend hook does not run for it.
   */
  private answer(exchange: Exchange, reply: FastifyReply, statusCode: number, code: FastifyErrorCode, reason: string): void {
    exchange.errorCode = code;
    if (!exchange.grpc) return answer(reply, statusCode, code, reason);
    reply.hijack();
    exchange.grpcStatus = answerGrpcOnResponse(responseToWrite(reply.raw), statusCode, code, reason, exchange.requestId);
    exchange.finish(200);
  }

  /**
   * Before Fastify sends an answer to a request this proxy routed (its own 400/404/503, or an
   * answer of an app hook that ran after its onRequest hook): the outcome is recorded when that
   * response closes, 499 if the client left first. From the app's onSend hook rather than an
   * onResponse hook: with an onResponse hook Fastify listens on every response, the proxied
   * ones too, for a hook with nothing to do for them.
   */
  readonly answeredByFastify = (request: FastifyRequest, reply: FastifyReply): void => {
    const exchange = request.switchyard as Exchange | null;
    // null on the app's other routes; a response the forwarder owns records itself.
    if (exchange === null || exchange.res !== undefined) return;
    const res = reply.raw as ExchangeResponse;
    // Sent again (Fastify's error answer after a failed send): the first send's listener records it.
    if (res[EXCHANGE_OF_RESPONSE] !== undefined) return;
    res[EXCHANGE_OF_RESPONSE] = exchange;
    res.on('close', onAnswerClose);
  };
}

// Shared by all answers (no closure per request): `this` is the response Fastify sent.
function onAnswerClose(this: ExchangeResponse): void {
  const exchange = this[EXCHANGE_OF_RESPONSE];
  if (exchange === undefined) return;
  // Cleared, not deleted (see the forwarder's onResponseClose).
  this[EXCHANGE_OF_RESPONSE] = undefined;
  exchange.finish(this.writableFinished ? this.statusCode : CLIENT_CLOSED_REQUEST);
}

/** `namespace/name spec.rules[i]` of an HTTPRoute rule, for the proxy's own answers. */
function ruleName(rule: RouteRule): string {
  return `${rule.origin.namespace}/${rule.origin.name} ${rule.field}`;
}
