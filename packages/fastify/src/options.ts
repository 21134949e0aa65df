import { AddressPolicy, DEFAULT_ADDRESS_POLICY, Router, type Route } from '@switchyard/core';
import type { FastifyBaseLogger } from 'fastify';
import { FastifyPluginError } from './errors.js';
import type { RequestProtocol } from './proxy/request-protocol.js';
import { RequestLineWriter } from './proxy/request-line.js';

/** Milliseconds to wait for the upstream to accept a connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Milliseconds to wait for the upstream's response headers once the request is sent. */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
/** Milliseconds a response body may stay silent before the proxy gives up on it. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/**
 * Milliseconds a request body may stay silent (no byte from the client) before the proxy answers
 * 408 and frees the upstream connection it may hold. nginx's client_body_timeout is 60 s; a
 * body that pauses for 10 s mid-request is stalled, not slow.
 */
export const DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS = 10_000;
/**
 * Request bodies up to this many bytes are read whole before an upstream connection is taken
 * (nginx buffers bodies the same way), so a client that stalls mid-body holds only its own
 * socket and this much memory, never an upstream connection.
 */
export const DEFAULT_REQUEST_BUFFER_BYTES = 16 * 1024;
/** Further endpoints tried after a failed connection, for idempotent requests. */
export const DEFAULT_RETRIES = 2;
/** Upstream connections kept per endpoint. */
export const DEFAULT_CONNECTIONS_PER_ENDPOINT = 128;
/** An idle upstream connection is closed after this long (below the common 60 s server default, so we close first). */
export const DEFAULT_UPSTREAM_KEEP_ALIVE_MS = 4_000;
/** Longest X-Request-Id kept from a trusted client. */
export const MAX_REQUEST_ID_LENGTH = 200;

/** Hears each finished request; `GatewayMetrics` implements it. */
export interface ProxyObserver {
  /** `protocol`: what the client spoke (`http1` when not given); `grpcStatus`: a gRPC call's `grpc-status`, given for gRPC calls only. */
  requestFinished(route: Route | undefined, statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void;
  upstreamLatency(route: Route, seconds: number): void;
  retried(route: Route): void;
  /** Passive outlier detection ejected an endpoint of the route's backend. */
  ejected(route: Route): void;
  /**
   * Optional: the same calls bound to one route. The proxy asks once per route and keeps the
   * answer with the route's balancer, so a request finds both with one lookup instead of the
   * observer looking the route up on every call.
   */
  forRoute?(route: Route): RouteObserver;
}

/** A `ProxyObserver`'s calls for one route. */
export interface RouteObserver {
  requestFinished(statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void;
  upstreamLatency(seconds: number): void;
  retried(): void;
  ejected(): void;
}

/** Decides, per request on a plain-HTTP listener, whether to redirect to HTTPS. */
export interface HttpsRedirect {
  /** True for a normalized host served over TLS. */
  isTlsHost(host: string): boolean;
  readonly statusCode: 301 | 302 | 307 | 308;
  /** The HTTPS port clients are sent to; omitted from the Location when 443. */
  readonly httpsPort: number;
}

/** The options of the Switchyard plugin (`app.register(switchyard, options)`). */
export interface SwitchyardOptions {
  /**
   * The router requests are matched with; swap tables through `router.update(table)`. Its
   * `balancing` option decides how each backend's endpoints are picked. The plugin does not
   * close it: close it (and its discovery) after the app.
   */
  readonly router: Router;
  readonly timeouts?: {
    /** Connecting to the upstream; a miss answers 504. Default `DEFAULT_CONNECT_TIMEOUT_MS`. */
    readonly connectMs?: number;
    /**
     * From handing the request to the upstream pool (time spent waiting for a connection counts),
     * and from each chunk of a streamed request body, to the upstream's response headers; a miss
     * answers 504 at once, even before the request got a connection (it is then never sent).
     */
    readonly firstByteMs?: number;
    /**
     * Silence inside a response body; the client connection is then cut (the status is already
     * sent). Time the proxy holds the upstream back for a client that reads slowly does not count.
     */
    readonly idleMs?: number;
    /**
     * Silence inside the client's request body: answered 408 (`SWY_PROXY_BODY_TIMEOUT`) and the
     * upstream request, if one was sent, aborted. Default `DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS`.
     */
    readonly requestBodyIdleMs?: number;
  };
  /**
   * How request bodies reach the upstream. A body of at most `bufferBytes` is read whole before
   * an upstream connection is taken; a longer one is streamed once its first `bufferBytes` have
   * arrived, and at most `streamingPerEndpoint` such unfinished uploads hold connections to one
   * endpoint at a time (more answer 503 `SWY_PROXY_UPLOADS_BUSY`), so slow or stalled uploads
   * can never take every connection of an endpoint's pool.
   */
  readonly requestBody?: {
    /** Default `DEFAULT_REQUEST_BUFFER_BYTES`; 0 streams every body from its first byte (interactive chunked bodies). */
    readonly bufferBytes?: number;
    /** Default: half of `upstream.connectionsPerEndpoint` (at least 1). */
    readonly streamingPerEndpoint?: number;
  };
  /** Other endpoints tried after a failed connection (idempotent methods, body not yet read). Default 2. */
  readonly retries?: number;
  /** Keep an incoming X-Request-Id (a client you trust sets it); otherwise one is made. Default false. */
  readonly trustRequestId?: boolean;
  /** Append to an incoming X-Forwarded-For and keep incoming X-Forwarded-Proto/Host/Port (behind a trusted proxy). Default false: they are replaced. */
  readonly trustForwarded?: boolean;
  /** Redirect requests for TLS hosts to HTTPS (the gateway sets this on its plain-HTTP listener). */
  readonly httpsRedirect?: HttpsRedirect;
  /** Hears each finished request (metrics). */
  readonly observer?: ProxyObserver;
  /** Upstream connection pool, per endpoint. */
  readonly upstream?: {
    readonly connectionsPerEndpoint?: number;
    readonly keepAliveMs?: number;
  };
  /** Log one line per request at info level through the request's logger. Default true. */
  readonly logRequests?: boolean;
  /**
   * Where the plugin logs (its warnings and errors, and the per-request line without
   * `requestLines`). Default: the app's logger. `startGateway` gives its apps no Fastify logger
   * (cheaper requests) and the plugin the gateway's logger here.
   */
  readonly logger?: FastifyBaseLogger;
  /**
   * Write the per-request line with this writer, straight to its destination (the logger's
   * own, say), rather than through the app's logger: the same line, at about a third of the
   * cost. It holds each line until the end of its event-loop turn: flush it before the
   * destination is flushed or ended (`startGateway` does). Unused with `logRequests: false`.
   */
  readonly requestLines?: RequestLineWriter;
  /**
   * Serve the Gateway API listeners of this port (`router.table.gatewayPort(port)`: listener
   * by Host, then its HTTPRoutes) instead of the Ingress rules. The port is the listener's
   * `spec.listeners[].port`, whatever local address the app listens on.
   */
  readonly gatewayPort?: number;
  /**
   * The addresses upstream connections may go to (core's `AddressPolicy`), checked before each
   * new connection of every kind (HTTP/1.1, h2c, WebSocket, mirrors): a denied one fails with
   * 502 `SWY_PROXY_ADDRESS_DENIED`, no socket opened. Default `DEFAULT_ADDRESS_POLICY` (the
   * link-local ranges, always denied). Give discovery the same policy.
   */
  readonly addressPolicy?: AddressPolicy;
}

/** The options with every default filled in, validated once at registration. */
export interface ResolvedOptions {
  readonly router: Router;
  readonly connectTimeoutMs: number;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly requestBodyIdleTimeoutMs: number;
  readonly requestBufferBytes: number;
  readonly streamingUploadsPerEndpoint: number;
  readonly retries: number;
  readonly trustRequestId: boolean;
  readonly trustForwarded: boolean;
  readonly httpsRedirect: HttpsRedirect | undefined;
  readonly observer: ProxyObserver | undefined;
  readonly connectionsPerEndpoint: number;
  readonly upstreamKeepAliveMs: number;
  readonly logRequests: boolean;
  readonly logger: FastifyBaseLogger | undefined;
  readonly requestLines: RequestLineWriter | undefined;
  readonly gatewayPort: number | undefined;
  readonly addressPolicy: AddressPolicy;
}

/**
 * Checks the plugin options and fills in the defaults.
 *
 * @throws FastifyPluginError `SWY_FASTIFY_INVALID_OPTIONS` naming the field.
 */
export function resolveOptions(options: SwitchyardOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('', 'the options must be an object');
  if (!(options.router instanceof Router)) invalid('router', 'must be a Router from @switchyard/core');
  const timeouts = optionalObject(options.timeouts, 'timeouts') ?? {};
  const upstream = optionalObject(options.upstream, 'upstream') ?? {};
  const requestBody = optionalObject(options.requestBody, 'requestBody') ?? {};
  const connectionsPerEndpoint = integer(upstream.connectionsPerEndpoint ?? DEFAULT_CONNECTIONS_PER_ENDPOINT, 'upstream.connectionsPerEndpoint', 1);
  if ((options as { balancing?: unknown }).balancing !== undefined) {
    invalid('balancing', 'is an option of the Router now: new Router({ table, discovery, balancing }), so the router owns each backend\'s balancer with its endpoints');
  }
  const redirect = options.httpsRedirect;
  if (redirect !== undefined) {
    if (typeof redirect?.isTlsHost !== 'function') invalid('httpsRedirect.isTlsHost', 'must be a function');
    if (![301, 302, 307, 308].includes(redirect.statusCode)) invalid('httpsRedirect.statusCode', 'must be 301, 302, 307 or 308');
    integer(redirect.httpsPort, 'httpsRedirect.httpsPort', 1, 65_535);
  }
  const observer = options.observer;
  if (observer !== undefined && (typeof observer?.requestFinished !== 'function' || typeof observer.upstreamLatency !== 'function' || typeof observer.retried !== 'function' || typeof observer.ejected !== 'function')) {
    invalid('observer', 'must implement requestFinished, upstreamLatency, retried and ejected');
  }
  if (observer?.forRoute !== undefined && typeof observer.forRoute !== 'function') invalid('observer.forRoute', 'must be a function when given');
  if (options.requestLines !== undefined && !(options.requestLines instanceof RequestLineWriter)) invalid('requestLines', 'must be a RequestLineWriter from @switchyard/fastify');
  if (options.addressPolicy !== undefined && !(options.addressPolicy instanceof AddressPolicy)) invalid('addressPolicy', 'must be an AddressPolicy from @switchyard/core');
  return {
    router: options.router,
    connectTimeoutMs: integer(timeouts.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS, 'timeouts.connectMs', 1),
    firstByteTimeoutMs: integer(timeouts.firstByteMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS, 'timeouts.firstByteMs', 1),
    idleTimeoutMs: integer(timeouts.idleMs ?? DEFAULT_IDLE_TIMEOUT_MS, 'timeouts.idleMs', 1),
    requestBodyIdleTimeoutMs: integer(timeouts.requestBodyIdleMs ?? DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS, 'timeouts.requestBodyIdleMs', 1),
    requestBufferBytes: integer(requestBody.bufferBytes ?? DEFAULT_REQUEST_BUFFER_BYTES, 'requestBody.bufferBytes', 0, 64 * 1024 * 1024),
    streamingUploadsPerEndpoint: integer(requestBody.streamingPerEndpoint ?? Math.max(1, Math.floor(connectionsPerEndpoint / 2)), 'requestBody.streamingPerEndpoint', 1, connectionsPerEndpoint),
    retries: integer(options.retries ?? DEFAULT_RETRIES, 'retries', 0, 10),
    trustRequestId: boolean(options.trustRequestId ?? false, 'trustRequestId'),
    trustForwarded: boolean(options.trustForwarded ?? false, 'trustForwarded'),
    httpsRedirect: redirect,
    observer,
    connectionsPerEndpoint,
    upstreamKeepAliveMs: integer(upstream.keepAliveMs ?? DEFAULT_UPSTREAM_KEEP_ALIVE_MS, 'upstream.keepAliveMs', 1),
    logRequests: boolean(options.logRequests ?? true, 'logRequests'),
    logger: logger(options.logger),
    requestLines: options.requestLines,
    gatewayPort: options.gatewayPort === undefined ? undefined : integer(options.gatewayPort, 'gatewayPort', 1, 65_535),
    addressPolicy: options.addressPolicy ?? DEFAULT_ADDRESS_POLICY,
  };
}

const LOGGER_METHODS = ['info', 'warn', 'error', 'debug'] as const;

function logger(value: FastifyBaseLogger | undefined): FastifyBaseLogger | undefined {
  if (value === undefined) return undefined;
  const missing = LOGGER_METHODS.filter((method) => typeof (value as unknown as Record<string, unknown> | null)?.[method] !== 'function');
  if (missing.length > 0) invalid('logger', `must be a logger (pino's, Fastify's app.log): ${missing.join(', ')} missing`);
  return value;
}

function invalid(field: string, message: string): never {
  throw new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `switchyard options${field ? `.${field}` : ''}: ${message}`, { field });
}

function optionalObject<T>(value: T | undefined, field: string): T | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) invalid(field, 'must be an object');
  return value;
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(field, `must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
