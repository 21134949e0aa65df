import type { Route } from '@switchyard/core';
import type { FastifyBaseLogger } from 'fastify';
import type { ProxyObserver, RouteObserver } from '../options.js';
import type { RequestLine, RequestLineWriter } from './request-line.js';
import type { RequestProtocol } from './request-protocol.js';

/** The status logged and counted for a request whose client left before its answer was complete (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

/** What the outcome of a request is made of: the fields of its exchange the line and the metrics read. */
export interface FinishedRequest {
  readonly route: Route | undefined;
  /** The route's observer, once the handler bound it. */
  readonly observer: RouteObserver | undefined;
  readonly startedAt: number;
  readonly reqId: string;
  readonly method: string | undefined;
  /** The Host header as sent. */
  readonly hostHeader: string | undefined;
  /** What the line shows as the path: the normalized path and query when routed, else the raw target. */
  readonly loggedPath: string | undefined;
  readonly endpointKey: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorReason: string | undefined;
  readonly requestId: string;
  readonly protocol: RequestProtocol;
  /** A gRPC call's `grpc-status` (the upstream's, or the gateway's own answer's); undefined for anything else. */
  readonly grpcStatus: number | undefined;
}

/**
 * A request's outcome, recorded once when it ends: the observer's call (metrics) and the one
 * log line. HTTP requests, WebSocket upgrades and the answers to requests Fastify or Node
 * refused before any route all end here, so the line and the metrics say the same thing.
 */
export class RequestOutcomes {
  private readonly observers = new WeakMap<Route, RouteObserver>();

  constructor(
    private readonly observer: ProxyObserver | undefined,
    /** The app's logger, not the request's, so the line stays one per request whatever the route's log level. */
    private readonly logger: FastifyBaseLogger,
    private readonly logRequests: boolean,
    /** Where the line goes instead of `logger`, when given (the plugin's `requestLines`). */
    private readonly lines: RequestLineWriter | undefined,
  ) {}

  /**
   * The observer's calls bound to one route, made on the route's first request and then found
   * with one WeakMap read; keyed by Route, so they go with their table.
   */
  observerOf(route: Route): RouteObserver | undefined {
    const observer = this.observer;
    if (observer === undefined) return undefined;
    let bound = this.observers.get(route);
    if (bound === undefined) {
      bound = observer.forRoute?.(route) ?? new BoundRouteObserver(observer, route);
      this.observers.set(route, bound);
    }
    return bound;
  }

  /** A request ended with `statusCode`. */
  record(request: FinishedRequest, statusCode: number): void {
    const seconds = (performance.now() - request.startedAt) / 1000;
    const route = request.route;
    const protocol = request.protocol;
    const grpcStatus = request.grpcStatus;
    if (route === undefined) this.observer?.requestFinished(undefined, statusCode, seconds, request.errorCode, protocol, grpcStatus);
    // A request an app hook answered before the handler has a route but no bound observer yet.
    else (request.observer ?? this.observerOf(route))?.requestFinished(statusCode, seconds, request.errorCode, protocol, grpcStatus);
    if (!this.logRequests) return;
    const line: RequestLine = {
      reqId: request.reqId,
      protocol,
      method: request.method,
      host: request.hostHeader,
      path: request.loggedPath,
      backend: route?.backendKey,
      endpoint: request.endpointKey,
      status: statusCode,
      grpcStatus,
      error: request.errorCode,
      reason: request.errorReason,
      durationMs: Math.round(seconds * 1e6) / 1e3,
      requestId: request.requestId,
    };
    if (this.lines === undefined) this.logger.info(line, 'proxied');
    else this.lines.add(line, Date.now());
  }
}

/**
 * The outcome of a request refused before Fastify routed it (a target find-my-way cannot decode,
 * a request Node's parser refused): counted without a route and, when a logger is given, logged
 * in the same line shape as every other request.
 */
export function recordUnrouted(
  observer: ProxyObserver | undefined,
  logger: FastifyBaseLogger | undefined,
  answer: {
    /** Fastify's request id, when there was a request (Node's parser refusals have none). */
    readonly reqId?: string;
    readonly protocol: RequestProtocol;
    readonly method: string | undefined;
    readonly host: string | undefined;
    readonly path: string | undefined;
    readonly statusCode: number;
    readonly code: string;
    readonly reason: string | undefined;
  },
): void {
  observer?.requestFinished(undefined, answer.statusCode, 0, answer.code, answer.protocol);
  logger?.info({ reqId: answer.reqId, protocol: answer.protocol, method: answer.method, host: answer.host, path: answer.path, status: answer.statusCode, error: answer.code, reason: answer.reason }, 'proxied');
}

/** An observer without `forRoute`, called with the route each time. */
class BoundRouteObserver implements RouteObserver {
  constructor(
    private readonly observer: ProxyObserver,
    private readonly route: Route,
  ) {}

  requestFinished(statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void {
    this.observer.requestFinished(this.route, statusCode, durationSeconds, errorCode, protocol, grpcStatus);
  }

  upstreamLatency(seconds: number): void {
    this.observer.upstreamLatency(this.route, seconds);
  }

  retried(): void {
    this.observer.retried(this.route);
  }

  ejected(): void {
    this.observer.ejected(this.route);
  }
}
