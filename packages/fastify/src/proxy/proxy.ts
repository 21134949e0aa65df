import type { IncomingMessage, ServerResponse } from 'node:http';
import { endpointKey, hashKeyOf, isSwitchyardError, normalizeHost, normalizePath, type BackendBalancer, type Endpoint, type Route } from '@switchyard/core';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { FastifyErrorCode } from '../errors.js';
import type { ResolvedOptions, RouteObserver } from '../options.js';
import { answer, answerOnResponse } from './answer.js';
import { BackendBalancers } from './backend-balancers.js';
import { DeferredBody } from './deferred-body.js';
import { authorityOf, forwardHeaderList, requestIdOf, upstreamHostFor } from './forward-headers.js';
import { hasEncodedSlashTraversal, hostProblem, parseAbsoluteTarget } from './request-target.js';
import { responseHead } from './response-head.js';
import { RouteSlots } from './route-slots.js';
import { classifyUpstreamError } from './upstream-errors.js';
import { pendingUpgradeOf, WebSocketProxy } from './websocket.js';

/** The status logged and counted for a request whose client left before its answer was complete (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** Methods a retry may repeat (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * What the proxy matched for a request: on `request.switchyard` from the proxy's onRequest
 * hook on, so the app's own preHandler hooks (auth, rate limits) can decide by route.
 */
export interface ProxiedRequest {
  /** The matched route; undefined when the request was answered 400/404 or redirected. */
  readonly route: Route | undefined;
  /** The normalized Host that was matched. */
  readonly host: string;
  /** The normalized path that was matched and is forwarded. */
  readonly path: string;
  /** The X-Request-Id sent upstream and back to the client. */
  readonly requestId: string;
}

/**
 * What the proxy knows about one request, and the undici dispatch handler of its attempts:
 * one object per request. The upstream's answer is written straight onto the client's
 * ServerResponse: the head through `writeHead` as a flat list, each body chunk through
 * `res.write`, with undici's own backpressure (a full client socket pauses the upstream read).
 *
 * It implements undici's original handler callbacks (onConnect, onHeaders, onData, ...): they
 * are what undici's client calls natively; the newer object API is an adapter over them that
 * parses every response's headers into an object first.
 */
export class ProxyState implements ProxiedRequest, Dispatcher.DispatchHandler {
  route: Route | undefined = undefined;
  /** From the route's slot, once the handler runs. */
  balancer: BackendBalancer | undefined = undefined;
  observer: RouteObserver | undefined = undefined;
  hashKey: string | undefined = undefined;
  endpoint: Endpoint | undefined = undefined;
  /** The normalized Host that was matched. */
  host = '';
  /** The Host header as the client sent it (or the authority of an absolute-form target). */
  clientHost = '';
  /** The normalized path: what was matched and what is forwarded. */
  path = '';
  /** The client's query, `?` included, forwarded as sent. */
  query = '';
  requestId = '';
  /** The `x-switchyard-error` code of an answer the gateway gave itself. */
  errorCode: string | undefined = undefined;
  /** The socket or undici error code behind a 502/504 (for the log line). */
  errorReason: string | undefined = undefined;
  /** Endpoints tried before this attempt (made on the first retry only). */
  tried: Endpoint[] | undefined = undefined;
  /** An attempt is in flight on `endpoint` and its outcome is not reported yet. */
  inFlight = false;
  sentAt = 0;
  /** Set once the proxy owns the response (hijacked from Fastify). */
  request: FastifyRequest | undefined = undefined;
  res: ServerResponse | undefined = undefined;
  /**
   * The upstream's head, held until its first body byte (or its end): until then a failure
   * can still be answered with a clean 502/504, and Node would not send the head any sooner.
   */
  private pendingStatus = 0;
  private pendingText = '';
  private pendingHead: string[] | undefined = undefined;
  /** The client has the status line: from here on a failure can only cut the response. */
  responded = false;
  statusCode = 0;
  /** The current attempt ended (completed or failed). */
  settled = false;
  /** The proxy cut the response after its head (the upstream broke mid-body). */
  cut = false;
  private abortUpstream: ((error?: Error) => void) | undefined = undefined;
  resumeUpstream: (() => void) | undefined = undefined;

  constructor(
    private readonly proxy: Proxy,
    readonly startedAt: number,
  ) {}

  onConnect(abort: (error?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.res!.destroyed) abort(clientGone());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    // 1xx informational answers are the upstream's business; Node answered the client's Expect itself.
    if (statusCode < 200) return true;
    this.resumeUpstream = resume;
    this.proxy.upstreamAnswered(this, statusCode);
    this.pendingStatus = statusCode;
    this.pendingText = statusText;
    this.pendingHead = responseHead(rawHeaders, this.requestId, this.proxy.closing);
    return true;
  }

  onData(chunk: Buffer): boolean {
    const res = this.res!;
    // Node sends the head with the first chunk, in one write.
    if (!this.responded) this.writeHead(res);
    if (res.write(chunk)) return true;
    // The client reads slower than the upstream sends: undici pauses until the socket drains.
    res.once('drain', resumeOnDrain);
    return false;
  }

  onComplete(): void {
    this.settled = true;
    const res = this.res!;
    if (!this.responded) this.writeHead(res);
    res.end();
  }

  private writeHead(res: ServerResponse): void {
    res.writeHead(this.pendingStatus, this.pendingText, this.pendingHead);
    this.pendingHead = undefined;
    this.responded = true;
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.proxy.upstreamFailed(this, error);
  }

  /** The response is over: tell the proxy. */
  done(): void {
    this.proxy.proxyDone(this);
  }

  /** Stops the attempt in flight, if any (the client went away). */
  abort(): void {
    if (!this.settled) this.abortUpstream?.(clientGone());
  }
}

/** The state of a hijacked response, for the listeners shared by every request. */
const STATE_OF_RESPONSE = Symbol('switchyard.proxyState');
type ProxiedResponse = ServerResponse & { [STATE_OF_RESPONSE]?: ProxyState | undefined };

// Listeners shared by all responses (no closure per request): `this` is the response.
function resumeOnDrain(this: ProxiedResponse): void {
  this[STATE_OF_RESPONSE]?.resumeUpstream?.();
}
function onResponseClose(this: ProxiedResponse): void {
  const state = this[STATE_OF_RESPONSE];
  if (state === undefined) return;
  // Cleared, not deleted: deleting a property that is not the last one added turns the
  // response into a dictionary-mode object (measured: about 1 µs per request in V8's runtime).
  this[STATE_OF_RESPONSE] = undefined;
  state.abort();
  state.done();
}

function clientGone(): Error {
  return Object.assign(new Error('the client closed the connection'), { code: 'UND_ERR_ABORTED' });
}

// One origin string per endpoint object; endpoint objects live as long as their pushed set.
const origins = new WeakMap<Endpoint, string>();
function originOf(endpoint: Endpoint): string {
  let origin = origins.get(endpoint);
  if (origin === undefined) {
    origin = `http://${authorityOf(endpoint)}`;
    origins.set(endpoint, origin);
  }
  return origin;
}

/**
 * The proxy step: per request, normalize, match, pick an endpoint and dispatch to it on an
 * undici Agent, writing the answer straight onto the client's response; on a failed
 * connection try another endpoint; answer 400/404/502/503/504 by itself.
 */
export class Proxy {
  readonly balancers: BackendBalancers;
  /** Per route: its balancer and its observer. */
  private readonly slots: RouteSlots;
  /** The upgrade (WebSocket) side of the proxy. */
  readonly websockets: WebSocketProxy;
  /** Set when the app starts closing: responses then carry `Connection: close`. */
  closing = false;
  /**
   * Where the per-request lines go: the app's logger, not the request's, so that the line
   * stays one per request whatever the route's log level.
   */
  private readonly logger: FastifyBaseLogger;

  constructor(
    private readonly options: ResolvedOptions,
    logger: FastifyBaseLogger,
    private readonly agent: Dispatcher,
  ) {
    this.logger = logger;
    this.balancers = new BackendBalancers(options);
    this.slots = new RouteSlots(this.balancers, options.observer);
    this.websockets = new WebSocketProxy(options);
  }

  /**
   * The onRequest hook of the proxy's routes: normalizes and matches, or answers 400, 404 or
   * the HTTPS redirect. Matching before the handler puts the route on `request.switchyard`
   * for the app's preHandler hooks.
   */
  readonly match = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const options = this.options;
    const raw = request.raw;
    const state = new ProxyState(this, performance.now());
    request.switchyard = state;
    state.requestId = requestIdOf(raw, options.trustRequestId);
    reply.header('x-request-id', state.requestId);

    const url = raw.url ?? '/';
    let rawHost = raw.headers.host ?? '';
    let rawPath: string;
    let query: string;
    let absoluteForm = false;
    if (url.charCodeAt(0) === 0x2f /* / */) {
      const queryAt = url.indexOf('?');
      rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
      query = queryAt < 0 ? '' : url.slice(queryAt);
    } else {
      const target = parseAbsoluteTarget(url);
      if (target === undefined) return this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', 'the request target is not a path or an absolute http URL');
      rawHost = target.authority;
      absoluteForm = true;
      rawPath = target.path;
      query = target.query;
    }
    const hostIssue = hostProblem(raw.rawHeaders, raw.httpVersionMinor, absoluteForm);
    if (hostIssue !== undefined) return this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', hostIssue);

    let host: string;
    let path: string;
    try {
      host = normalizeHost(rawHost);
      path = normalizePath(rawPath);
    } catch (error) {
      if (isSwitchyardError(error)) return this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', `${error.code}: ${error.message}`);
      throw error;
    }

    const redirect = options.httpsRedirect;
    if (redirect !== undefined && redirect.isTlsHost(host)) {
      const port = redirect.httpsPort === 443 ? '' : `:${redirect.httpsPort}`;
      return void reply.redirect(`https://${host}${port}${path}${query}`, redirect.statusCode);
    }

    if (hasEncodedSlashTraversal(path)) return this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', 'the path holds an encoded slash next to a dot-segment');

    const route = options.router.table.lookup(host, path);
    if (route === undefined) return this.refuse(reply, state, 404, 'SWY_PROXY_NO_ROUTE', `no rule matches ${host}${path} and no Ingress has a default backend`);
    state.route = route;
    state.host = host;
    state.clientHost = rawHost;
    state.path = path;
    state.query = query;
    done();
  };

  /** The route handler for every method and path: picks an endpoint and proxies. */
  readonly handle = (request: FastifyRequest, reply: FastifyReply): void => {
    const state = stateOf(request);
    const route = state.route!;
    const raw = request.raw;
    const slot = this.slots.of(route);
    const balancer = slot.balancer;
    state.balancer = balancer;
    state.observer = slot.observer;
    const policy = balancer.policy;
    if (policy.kind === 'consistent-hash') state.hashKey = hashKeyOf(policy.on, raw.headers, raw.socket.remoteAddress);
    const upgrade = pendingUpgradeOf(raw);
    if (upgrade !== undefined) {
      // A WebSocket (or other) upgrade that came through the app's hooks: tunnel it.
      reply.hijack();
      this.websockets.tunnel(state as ProxyState & { route: Route; balancer: BackendBalancer }, raw, reply.raw, upgrade);
      return;
    }
    const endpoint = this.pick(state);
    if (endpoint === undefined) return this.refuse(reply, state, 503, 'SWY_PROXY_NO_ENDPOINT', `${route.backendKey} has no ready endpoint`);
    // From here the proxy writes the response itself.
    reply.hijack();
    const res = reply.raw as ProxiedResponse;
    state.request = request;
    state.res = res;
    res[STATE_OF_RESPONSE] = state;
    // on, not once: 'close' comes once anyway, and once() wraps the listener per call.
    res.on('close', onResponseClose);
    this.send(state, endpoint);
  };

  /** After each response Fastify sent (the proxy's own 400/404/503 answers): metrics, log line. */
  readonly onRequestDone = (request: FastifyRequest, reply: FastifyReply): void => {
    const state = request.switchyard as ProxyState | null;
    if (state === null || state.res !== undefined) return;
    this.finish(state, request, reply.statusCode);
  };

  /** The upstream's head arrived. */
  upstreamAnswered(state: ProxyState, statusCode: number): void {
    state.statusCode = statusCode;
    state.observer?.upstreamLatency((performance.now() - state.sentAt) / 1000);
  }

  /** An attempt failed: retry on another endpoint, answer 502/504, or cut a response already begun. */
  upstreamFailed(state: ProxyState, error: Error): void {
    const failure = classifyUpstreamError(error);
    const failed = state.endpoint!;
    const res = state.res!;
    if (state.inFlight) {
      state.inFlight = false;
      // A request undici refused to send, or one the client abandoned, says nothing about the endpoint.
      const blame = failure.upstreamFault && !res.destroyed ? 'failure' : 'success';
      if (state.balancer!.finished(failed, blame)) state.observer?.ejected();
    }
    state.errorReason = failure.reason;
    if (res.destroyed) return;
    if (state.responded) {
      // The status line is out: all that is left is to cut the response, so the client sees it broke.
      state.cut = true;
      res.destroy();
      return;
    }
    if (failure.retryable && this.mayRetry(state)) {
      (state.tried ??= []).push(failed);
      const next = this.pick(state);
      if (next !== undefined) {
        state.observer?.retried();
        this.logger.warn({ reqId: state.request!.id, endpoint: endpointKey(failed), reason: failure.reason, next: endpointKey(next) }, 'upstream connection failed; retrying on another endpoint');
        return this.send(state, next);
      }
    }
    const what = failure.statusCode === 504 ? 'timed out' : 'failed';
    state.errorCode = failure.code;
    state.statusCode = failure.statusCode;
    answerOnResponse(res, failure.statusCode, failure.code, `upstream ${endpointKey(failed)} of ${state.route!.backendKey} ${what} (${failure.reason})`, state.requestId, this.closing);
  }

  /** The hijacked response is over (sent, or cut): the last outcome, metrics, the log line. */
  proxyDone(state: ProxyState): void {
    const res = state.res!;
    // A response that did not finish and was not cut by us: the client left first (nginx's 499).
    const clientLeft = !res.writableFinished && !state.cut;
    const statusCode = clientLeft ? CLIENT_CLOSED_REQUEST : state.statusCode || res.statusCode;
    if (state.inFlight) {
      state.inFlight = false;
      // Cut before the end by the client: not the endpoint's doing.
      const outcome = statusCode >= 500 && statusCode !== CLIENT_CLOSED_REQUEST ? 'failure' : 'success';
      if (state.balancer!.finished(state.endpoint!, outcome)) state.observer?.ejected();
    }
    this.finish(state, state.request!, statusCode);
  }

  private finish(state: ProxyState, request: FastifyRequest, statusCode: number): void {
    const seconds = (performance.now() - state.startedAt) / 1000;
    const route = state.route;
    if (route === undefined) this.options.observer?.requestFinished(undefined, statusCode, seconds, state.errorCode);
    // A request an app hook answered before the handler has a route but no slot yet.
    else (state.observer ?? this.slots.of(route).observer)?.requestFinished(statusCode, seconds, state.errorCode);
    if (this.options.logRequests) {
      this.logger.info(
        {
          reqId: request.id,
          method: request.raw.method,
          host: request.raw.headers.host,
          path: state.route === undefined ? request.raw.url : state.path + state.query,
          backend: state.route?.backendKey,
          endpoint: state.endpoint === undefined ? undefined : endpointKey(state.endpoint),
          status: statusCode,
          error: state.errorCode,
          reason: state.errorReason,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          requestId: state.requestId,
        },
        'proxied',
      );
    }
  }

  private pick(state: ProxyState): Endpoint | undefined {
    const endpoints = this.options.router.endpoints(state.route!);
    if (endpoints === undefined) return undefined;
    return state.balancer!.pick(endpoints.eligible, state.hashKey, state.tried);
  }

  private send(state: ProxyState, endpoint: Endpoint): void {
    const request = state.request!;
    const raw = request.raw;
    state.endpoint = endpoint;
    state.inFlight = true;
    state.settled = false;
    state.sentAt = performance.now();
    state.balancer!.started(endpoint);
    const headers = forwardHeaderList(raw, upstreamHostFor(endpoint, state.clientHost), state.requestId, this.options.trustForwarded);
    // Each attempt gets its own wrapper over the client's body, so a failed connection leaves
    // the body unread and another endpoint can be tried with it.
    const hasBody = hasRequestBody(raw);
    this.agent.dispatch(
      {
        origin: originOf(endpoint),
        path: state.path + state.query,
        method: raw.method as Dispatcher.HttpMethod,
        headers,
        body: hasBody ? new DeferredBody(raw) : null,
      },
      state,
    );
  }

  /** Idempotent, retries left, and no byte of the request body read yet (it cannot be replayed). */
  private mayRetry(state: ProxyState): boolean {
    const request = state.request!;
    if (!IDEMPOTENT.has(request.raw.method ?? '')) return false;
    if ((state.tried?.length ?? 0) >= this.options.retries) return false;
    return !hasRequestBody(request.raw) || (!request.raw.readableDidRead && !request.raw.destroyed);
  }

  private refuse(reply: FastifyReply, state: ProxyState, statusCode: number, code: FastifyErrorCode, reason: string): void {
    state.errorCode = code;
    answer(reply, statusCode, code, reason);
  }
}

/**
 * Whether the client sends a body, by its framing headers (RFC 9112 §6.3), whatever the method:
 * Fastify parses no body for GET or HEAD, but a GET that has one gets it forwarded, not dropped.
 */
function hasRequestBody(raw: IncomingMessage): boolean {
  const headers = raw.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

function stateOf(request: FastifyRequest): ProxyState {
  return request.switchyard as ProxyState;
}
