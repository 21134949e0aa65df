import { hashKeyOf, type DiscoveryProblem, type Endpoint, type RoutableEndpoint, type Route, type RoutedBackend, type Router } from '@switchyard/core';
import type { FastifyBaseLogger } from 'fastify';
import type { RouteObserver } from '../options.js';
import type { ClientResponse } from './client-response.js';
import type { ExchangeRequest } from './incoming-request.js';
import type { ProxiedRequest } from './proxied-request.js';
import type { GatewayTarget, RoutedTarget } from './request-decision.js';
import { protocolOf, type RequestProtocol } from './request-protocol.js';
import type { FinishedRequest, RequestOutcomes } from './request-outcome.js';
import { mayRetry } from './retry-policy.js';
import type { UpstreamFailure } from './upstream-errors.js';

/** The upstream attempt in flight, as the exchange's response listeners see it (`UpstreamAttempt`). */
export interface ExchangeAttempt {
  /** The client has the status line. */
  readonly responded: boolean;
  /** Resumes a read paused for backpressure (the client's socket drained). */
  resume(): void;
  /** A chunk of the request body went towards the upstream. */
  bodySent(): void;
  /** Stops the attempt if it is still in flight. */
  abort(): void;
}

/** The client's request body, as the exchange sees it (`ClientBody`). */
export interface ExchangeBody {
  /** Another attempt can be sent with it. */
  readonly replayable: boolean;
  /** The client sent its last byte. */
  readonly complete: boolean;
  /** The exchange ended: release what the body holds. */
  close(): void;
}

/** The exchange a hijacked response belongs to, for the listeners shared by every response. */
export const EXCHANGE_OF_RESPONSE = Symbol('switchyard.exchange');
export type ExchangeResponse = ClientResponse & { [EXCHANGE_OF_RESPONSE]?: Exchange | undefined };

/** What every exchange of one plugin shares. */
export interface ExchangeContext {
  readonly router: Router;
  /** Further endpoints tried after a failed connection. */
  readonly retries: number;
  readonly outcomes: RequestOutcomes;
  readonly logger: FastifyBaseLogger;
}

/**
 * One request through the proxy, from the onRequest hook to its outcome: what it was routed to,
 * its backend (endpoints and balancer, one read of the router), the endpoints it tried and how it
 * ended. HTTP requests and WebSocket upgrades share these steps (pick, report an attempt's end to
 * the balancer, retry on another endpoint, record the outcome once); only how an attempt talks to
 * the endpoint differs (`UpstreamAttempt`, `WebSocketProxy`).
 */
export class Exchange implements ProxiedRequest, FinishedRequest {
  route: Route | undefined = undefined;
  host = '';
  path = '';
  query = '';
  /** The Host the client sent, or the authority of an absolute-form target: what was routed. */
  clientHost = '';
  /** The path sent upstream: `path`, or what an HTTPRoute URLRewrite made of it. */
  upstreamPath = '';
  /** The Host an HTTPRoute URLRewrite sends upstream instead of the client's. */
  rewrittenHost: string | undefined = undefined;
  /**
   * The HTTPRoute rule has filters or timeouts to apply (`route.rule`, `route.backendFilters`);
   * false for Ingress routes and for rules that only forward (`RouteRule.direct`), whose
   * requests then skip every filter step without reading the rule.
   */
  ruleActions = false;
  /** Set by `pickFirst`. */
  backend: RoutedBackend | undefined = undefined;
  observer: RouteObserver | undefined = undefined;
  hashKey: string | undefined = undefined;
  /** The endpoint of the current (or last) attempt. */
  endpoint: RoutableEndpoint | undefined = undefined;
  /** Endpoints of failed attempts (made on the first retry only). */
  tried: Endpoint[] | undefined = undefined;
  /** The `x-switchyard-error` code of an answer the gateway gave itself. */
  errorCode: string | undefined = undefined;
  /** The socket or undici error code behind a 502/504 (for the log line). */
  errorReason: string | undefined = undefined;
  /** The client's response, once the proxy owns it (hijacked from Fastify, or the stream path's). */
  res: ClientResponse | undefined = undefined;
  /** The HTTP attempt in flight (or the last one). */
  attempt: ExchangeAttempt | undefined = undefined;
  /** The client's request body, when it sends one. */
  body: ExchangeBody | undefined = undefined;
  /** The status the response got: the upstream's, or the proxy's own 502/504. */
  statusCode = 0;
  /** The proxy cut the response after its head (the upstream broke mid-body). */
  cut = false;
  /** The protocol the client spoke: HTTP/2 responses carry no connection-specific headers. */
  readonly protocol: RequestProtocol;
  /** A gRPC call (`isGrpcRequest`): the gateway's own answers are gRPC statuses, and retries stop once a message went out. */
  grpc = false;
  /** The gRPC call's deadline (`grpc-timeout` after `startedAt`, performance.now() ms); 0 for none. */
  deadline = 0;
  /** A gRPC call's `grpc-status`, once known: from the upstream's trailers (or its trailers-only head), or the gateway's own answer. */
  grpcStatus: number | undefined = undefined;
  private recorded = false;

  constructor(
    private readonly context: ExchangeContext,
    readonly request: ExchangeRequest,
    readonly requestId: string,
    readonly startedAt: number,
  ) {
    this.protocol = protocolOf(request.raw);
  }

  /** Takes the backendRef route an HTTPRoute rule's weights picked for a request `decideRequest` matched to it. */
  routeToRule(route: Route, target: GatewayTarget, ruleActions: boolean): void {
    this.route = route;
    this.ruleActions = ruleActions;
    this.host = target.host;
    this.path = target.path;
    this.query = target.query;
    this.clientHost = target.clientHost;
    this.upstreamPath = target.path;
  }

  /** Takes what `decideRequest` routed the request to. */
  routeTo(target: RoutedTarget): void {
    this.route = target.route;
    this.host = target.host;
    this.path = target.path;
    this.query = target.query;
    this.clientHost = target.clientHost;
    this.upstreamPath = target.path;
  }

  /**
   * The first endpoint for the matched route, or undefined when its backend has none now. Binds
   * the backend and the route's observer, and reads the hash key when the policy needs one.
   */
  pickFirst(): RoutableEndpoint | undefined {
    const route = this.route!;
    const backend = this.context.router.backend(route);
    this.observer = this.context.outcomes.observerOf(route);
    if (backend === undefined) return undefined;
    this.backend = backend;
    const policy = backend.balancer.policy;
    if (policy.kind === 'consistent-hash') {
      const raw = this.request.raw;
      this.hashKey = hashKeyOf(policy.on, raw.headers, raw.socket.remoteAddress);
    }
    return this.pick();
  }

  /** An attempt on `endpoint` starts (least-request counts it in flight). */
  attemptStarted(endpoint: RoutableEndpoint): void {
    this.endpoint = endpoint;
    this.backend!.balancer.started(endpoint);
  }

  /** An attempt ended; `failure` counts toward outlier ejection. */
  attemptEnded(endpoint: Endpoint, outcome: 'success' | 'failure'): void {
    if (this.backend!.balancer.finished(endpoint, outcome)) this.observer?.ejected();
  }

  /**
   * After a failed attempt that left no response: another endpoint of the backend to try, when
   * the retry policy allows it and one is left; undefined otherwise.
   */
  retryAfter(failed: RoutableEndpoint, failure: UpstreamFailure): RoutableEndpoint | undefined {
    if (!mayRetry(this.request.raw.method, failure, (this.tried?.length ?? 0) + 1, this.context.retries, this.body?.replayable ?? true, this.grpc)) return undefined;
    (this.tried ??= []).push(failed);
    // Picked once, and that endpoint is the one tried: a pick moves the balancer's rotation.
    const next = this.pick();
    if (next === undefined) return undefined;
    this.observer?.retried();
    this.context.logger.warn({ reqId: this.request.id, endpoint: failed.key, reason: failure.reason, next: next.key }, 'upstream connection failed; retrying on another endpoint');
    return next;
  }

  /** The request ended with `statusCode`: metrics and the log line, once. */
  finish(statusCode: number): void {
    if (this.recorded) return;
    this.recorded = true;
    this.context.outcomes.record(this, statusCode);
  }

  get reqId(): string {
    return this.request.id;
  }

  get method(): string | undefined {
    return this.request.raw.method;
  }

  get hostHeader(): string | undefined {
    const headers = this.request.raw.headers;
    // An HTTP/2 request's Host is its `:authority` (`host` is allowed but rare).
    return this.protocol === 'http1' ? headers.host : ((headers[':authority'] as string | undefined) ?? headers.host);
  }

  get loggedPath(): string | undefined {
    return this.route === undefined ? this.request.raw.url : this.path + this.query;
  }

  get endpointKey(): string | undefined {
    return this.endpoint?.key;
  }

  /** Why the matched route's backend has no endpoints, as its current set says (undefined when it does not say). */
  backendProblem(): DiscoveryProblem | undefined {
    return this.context.router.endpointsOf(this.route!.backendKey)?.set.problem;
  }

  private pick(): RoutableEndpoint | undefined {
    const backend = this.backend!;
    const eligible = backend.endpoints?.eligible;
    if (eligible === undefined) return undefined;
    // The balancer returns an element of the array it is given: the router's routable endpoints.
    return backend.balancer.pick(eligible, this.hashKey, this.tried) as RoutableEndpoint | undefined;
  }
}
