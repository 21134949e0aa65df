import type { IncomingHttpHeaders } from 'node:http';
import { hashKeyOf, isSwitchyardError, normalizeHost, normalizePath, type BackendBalancer, type Endpoint, type Route } from '@switchyard/core';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { ResolvedOptions } from '../options.js';
import { answer } from './answer.js';
import { BackendBalancers } from './backend-balancers.js';
import { DeferredBody } from './deferred-body.js';
import { dropHopByHop, forwardRequestHeaders, requestIdOf } from './forward-headers.js';
import { hostProblem, parseRequestTarget } from './request-target.js';
import { classifyUpstreamError } from './upstream-errors.js';

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

/** What the proxy knows about one request in flight; one object per request. */
export class ProxyState implements ProxiedRequest {
  route: Route | undefined = undefined;
  balancer: BackendBalancer | undefined = undefined;
  hashKey: string | undefined = undefined;
  endpoint: Endpoint | undefined = undefined;
  /** `http://address:port` of `endpoint`. */
  origin = '';
  /** The normalized Host that was matched. */
  host = '';
  /** The Host header as the client sent it (or the authority of an absolute-form target). */
  clientHost = '';
  /** The Host sent upstream: the client's, or an ExternalName endpoint's name. */
  upstreamHost = '';
  /** The normalized path: what was matched and what is forwarded. */
  path = '';
  /** The client's query, `?` included, forwarded as sent (reply-from's URL parsing would re-encode it). */
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
  readonly trustForwarded: boolean;

  constructor(
    readonly startedAt: number,
    options: ResolvedOptions,
  ) {
    this.trustForwarded = options.trustForwarded;
  }
}

/** What reply-from hands `onResponse`: the upstream's status, headers and body stream. */
interface UpstreamResponse {
  readonly statusCode: number;
  readonly stream: NodeJS.ReadableStream;
}

// One origin string per endpoint object; endpoint objects live as long as their pushed set.
const origins = new WeakMap<Endpoint, string>();
function originOf(endpoint: Endpoint): string {
  let origin = origins.get(endpoint);
  if (origin === undefined) {
    origin = endpoint.address.includes(':') ? `http://[${endpoint.address}]:${endpoint.port}` : `http://${endpoint.address}:${endpoint.port}`;
    origins.set(endpoint, origin);
  }
  return origin;
}

/**
 * The proxy step: per request, normalize, match, pick an endpoint and hand the request to
 * reply-from; on a failed connection try another endpoint; answer 400/404/502/503/504 by
 * itself. Every function reply-from calls is made once here, not per request.
 */
export class Proxy {
  readonly balancers: BackendBalancers;
  /** The options handed to `reply.from` for every request. */
  readonly fromOptions: FastifyReplyFromHooks;

  /**
   * Where the per-request lines go: the app's logger, not the request's, because the proxy's
   * route logs at error level to keep reply-from's per-failure warning (with its stack) out.
   */
  private readonly logger: FastifyBaseLogger;

  constructor(
    private readonly options: ResolvedOptions,
    logger: FastifyBaseLogger,
  ) {
    this.logger = logger;
    this.balancers = new BackendBalancers(options);
    // reply-from types its callbacks for HTTP/2 servers too; this proxy runs on HTTP/1 ones.
    this.fromOptions = {
      getUpstream: (request) => stateOf(request as never).origin,
      rewriteRequestHeaders: (request, headers) => {
        const http1 = request as unknown as FastifyRequest;
        const state = stateOf(http1);
        // An HTTP/1.0 client may send no Host: the upstream then gets its own address (reply-from's).
        return forwardRequestHeaders(http1.raw, headers as IncomingHttpHeaders, state.upstreamHost || (headers.host as string), state);
      },
      rewriteHeaders: (headers, request) => {
        dropHopByHop(headers as Record<string, unknown>);
        if (request !== undefined) (headers as IncomingHttpHeaders)['x-request-id'] = stateOf(request as never).requestId;
        return headers;
      },
      queryString: (_search, _url, request) => stateOf(request as never).query.slice(1),
      onResponse: (request, reply, response) => this.onResponse(request as never, reply as never, response as unknown as UpstreamResponse),
      onError: (reply, { error }) => this.onUpstreamError(reply as never, error),
      // reply-from would otherwise retry a GET that got a 503 up to ten times on the same endpoint.
      retryDelay: () => null,
    };
  }

  /**
   * The onRequest hook of the proxy's routes: normalizes and matches, or answers 400, 404 or
   * the HTTPS redirect. Matching before the handler puts the route on `request.switchyard`
   * for the app's preHandler hooks.
   */
  readonly match = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const options = this.options;
    const raw = request.raw;
    const state = new ProxyState(performance.now(), options);
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
      const target = parseRequestTarget(url);
      if (target === undefined) return this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', 'the request target is not a path or an absolute http URL');
      if (target.authority !== undefined) rawHost = target.authority;
      absoluteForm = target.authority !== undefined;
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
    const balancer = this.balancers.of(route.backendKey);
    state.balancer = balancer;
    const policy = balancer.policy;
    if (policy.kind === 'consistent-hash') state.hashKey = hashKeyOf(policy.on, raw.headers, raw.socket.remoteAddress);
    const endpoint = this.pick(state);
    if (endpoint === undefined) return this.refuse(reply, state, 503, 'SWY_PROXY_NO_ENDPOINT', `${route.backendKey} has no ready endpoint`);
    state.upstreamHost = endpoint.externalName === undefined ? state.clientHost : externalHost(endpoint);
    this.send(reply, state, endpoint);
  };

  /** After each response was sent (or the client went away): outcome to the balancer, metrics, log line. */
  readonly onRequestDone = (request: FastifyRequest, reply: FastifyReply): void => {
    const state = request.switchyard as ProxyState | null;
    if (state === null) return;
    const statusCode = reply.statusCode;
    if (state.inFlight) {
      state.inFlight = false;
      if (state.balancer!.finished(state.endpoint!, statusCode >= 500 ? 'failure' : 'success')) this.options.observer?.ejected(state.route!);
    }
    const seconds = (performance.now() - state.startedAt) / 1000;
    this.options.observer?.requestFinished(state.route, statusCode, seconds, state.errorCode);
    if (this.options.logRequests) {
      this.logger.info(
        {
          reqId: request.id,
          method: request.raw.method,
          host: request.raw.headers.host,
          path: state.route === undefined ? request.raw.url : state.path + state.query,
          backend: state.route?.backendKey,
          endpoint: state.endpoint === undefined ? undefined : `${state.endpoint.address}:${state.endpoint.port}`,
          status: statusCode,
          error: state.errorCode,
          reason: state.errorReason,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          requestId: state.requestId,
        },
        'proxied',
      );
    }
  };

  /**
   * The error handler of the proxy's routes. The upstream's response stream can fail after
   * its head arrived but before any byte reached the client (reset, idle timeout): the status
   * is not sent yet, so the client gets a clean 502/504 instead of Fastify's generic 500.
   */
  readonly onError = (error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    const state = request.switchyard as ProxyState | null;
    if (state === null || state.endpoint === undefined || reply.raw.headersSent) {
      reply.send(error);
      return;
    }
    // Drop the upstream's headers reply-from copied onto the reply.
    for (const name of Object.keys(reply.getHeaders())) if (name !== 'x-request-id') reply.removeHeader(name);
    const failure = classifyUpstreamError(error);
    state.errorReason = failure.reason;
    const failed = state.endpoint;
    const what = failure.statusCode === 504 ? 'timed out' : 'failed';
    this.refuse(reply, state, failure.statusCode, failure.code, `the response of upstream ${failed.address}:${failed.port} ${what} before its body began (${failure.reason})`);
  };

  private pick(state: ProxyState): Endpoint | undefined {
    const endpoints = this.options.router.endpoints(state.route!);
    if (endpoints === undefined) return undefined;
    return state.balancer!.pick(endpoints.eligible, state.hashKey, state.tried);
  }

  private send(reply: FastifyReply, state: ProxyState, endpoint: Endpoint): void {
    state.endpoint = endpoint;
    state.origin = originOf(endpoint);
    state.inFlight = true;
    state.sentAt = performance.now();
    state.balancer!.started(endpoint);
    // Each attempt gets its own wrapper over the client's body, so a failed connection leaves
    // the body unread and another endpoint can be tried with it.
    const request = reply.request;
    if (request.body !== undefined && request.body !== null) request.body = new DeferredBody(request.raw);
    try {
      reply.from(state.path, this.fromOptions);
    } catch (error) {
      // reply-from refuses a path whose decoded form holds a dot-segment (`/a%2F..%2Fb`): an
      // upstream that decodes %2F would see a traversal, so it is refused here too.
      state.inFlight = false;
      state.balancer!.finished(endpoint, 'success');
      if ((error as { statusCode?: unknown }).statusCode !== 400) throw error;
      this.refuse(reply, state, 400, 'SWY_PROXY_BAD_REQUEST', 'the path holds an encoded slash next to a dot-segment');
    }
  }

  private onResponse(request: FastifyRequest, reply: FastifyReply, response: UpstreamResponse): void {
    const state = stateOf(request);
    this.options.observer?.upstreamLatency(state.route!, (performance.now() - state.sentAt) / 1000);
    reply.send(response.stream);
  }

  private onUpstreamError(reply: FastifyReply, error: unknown): void {
    const request = reply.request;
    const state = stateOf(request);
    const failure = classifyUpstreamError(error);
    const failed = state.endpoint!;
    if (state.inFlight) {
      state.inFlight = false;
      // A request undici refused to send says nothing about the endpoint.
      if (state.balancer!.finished(failed, failure.upstreamFault ? 'failure' : 'success')) this.options.observer?.ejected(state.route!);
    }
    state.errorReason = failure.reason;
    if (failure.retryable && !reply.sent && this.mayRetry(request, state)) {
      (state.tried ??= []).push(failed);
      const next = this.pick(state);
      if (next !== undefined) {
        this.options.observer?.retried(state.route!);
        this.logger.warn({ reqId: request.id, endpoint: `${failed.address}:${failed.port}`, reason: failure.reason, next: `${next.address}:${next.port}` }, 'upstream connection failed; retrying on another endpoint');
        state.upstreamHost = next.externalName === undefined ? state.clientHost : externalHost(next);
        return this.send(reply, state, next);
      }
    }
    if (reply.sent) return;
    const what = failure.statusCode === 504 ? 'timed out' : 'failed';
    this.refuse(reply, state, failure.statusCode, failure.code, `upstream ${failed.address}:${failed.port} of ${state.route!.backendKey} ${what} (${failure.reason})`);
  }

  /** Idempotent, retries left, and no byte of the request body read yet (it cannot be replayed). */
  private mayRetry(request: FastifyRequest, state: ProxyState): boolean {
    if (!IDEMPOTENT.has(request.raw.method ?? '')) return false;
    if ((state.tried?.length ?? 0) >= this.options.retries) return false;
    const body = request.body;
    return body === undefined || body === null || (body instanceof DeferredBody && !body.started && !request.raw.destroyed);
  }

  private refuse(reply: FastifyReply, state: ProxyState, statusCode: number, code: Parameters<typeof answer>[2], reason: string): void {
    state.errorCode = code;
    answer(reply, statusCode, code, reason);
  }
}

function stateOf(request: FastifyRequest): ProxyState {
  return request.switchyard as ProxyState;
}

/** The Host for an ExternalName endpoint: its name, with the port unless it is 80. */
function externalHost(endpoint: Endpoint): string {
  return endpoint.port === 80 ? endpoint.externalName! : `${endpoint.externalName!}:${endpoint.port}`;
}
