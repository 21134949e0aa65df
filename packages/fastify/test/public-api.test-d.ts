// The public types of @switchyard/fastify. Type-checked by `tsc -b` (see vitest.config.ts); a
// change here is a change of the public API.
import type { AddressPolicy, Explanation, Route, Router, SwitchyardError } from '@switchyard/core';
import type { CertificateStore } from '@switchyard/tls';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginCallback, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import switchyardDefault, {
  ADMIN_PATHS,
  DEFAULT_ADMIN_LISTEN,
  DEFAULT_CONNECTIONS_PER_ENDPOINT,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_LISTEN,
  DEFAULT_METRICS_PREFIX,
  DEFAULT_RETRIES,
  DEFAULT_UPSTREAM_KEEP_ALIVE_MS,
  ERROR_HEADER,
  FASTIFY_ERROR_CODES,
  FastifyPluginError,
  GatewayMetrics,
  LATENCY_BUCKETS,
  MAX_REQUEST_ID_LENGTH,
  RequestLineWriter,
  DEFAULT_REQUEST_LINE_WRITE_BYTES,
  createAdminServer,
  isFastifyPluginError,
  startGateway,
  switchyard,
  switchyardServerOptions,
  type AdminErrorBody,
  type AdminServerOptions,
  type BackendView,
  type EndpointView,
  type ExplainView,
  type FastifyErrorCode,
  type Gateway,
  type GatewayMetricsOptions,
  type GatewayOptions,
  type GatewayListener,
  type GatewayListenerUrl,
  type HttpsRedirect,
  type ListenAddress,
  type ProxiedRequest,
  type RequestProtocol,
  type RequestLine,
  type RequestLineDestination,
  type RequestLineWriterOptions,
  type ProxyObserver,
  type RouteObserver,
  type RouteView,
  type SwitchyardDecorator,
  type SwitchyardOptions,
  type SwitchyardServerOptionsInput,
} from '@switchyard/fastify';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/fastify: the plugin', () => {
  test('switchyard and its options', () => {
    expectTypeOf(switchyardDefault).toEqualTypeOf(switchyard);
    expectTypeOf(switchyard).toMatchTypeOf<FastifyPluginCallback<SwitchyardOptions>>();
    expectTypeOf<SwitchyardOptions>().toEqualTypeOf<{
      readonly router: Router;
      readonly timeouts?: { readonly connectMs?: number; readonly firstByteMs?: number; readonly idleMs?: number; readonly requestBodyIdleMs?: number };
      readonly requestBody?: { readonly bufferBytes?: number; readonly streamingPerEndpoint?: number };
      readonly retries?: number;
      readonly trustRequestId?: boolean;
      readonly trustForwarded?: boolean;
      readonly httpsRedirect?: HttpsRedirect;
      readonly observer?: ProxyObserver;
      readonly upstream?: { readonly connectionsPerEndpoint?: number; readonly keepAliveMs?: number };
      readonly logRequests?: boolean;
      readonly logger?: FastifyBaseLogger;
      readonly requestLines?: RequestLineWriter;
      readonly gatewayPort?: number;
      readonly addressPolicy?: AddressPolicy;
    }>();
    expectTypeOf<HttpsRedirect>().toEqualTypeOf<{
      isTlsHost(host: string): boolean;
      readonly statusCode: 301 | 302 | 307 | 308;
      readonly httpsPort: number;
    }>();
    for (const value of [DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FIRST_BYTE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_CONNECTIONS_PER_ENDPOINT, DEFAULT_UPSTREAM_KEEP_ALIVE_MS, MAX_REQUEST_ID_LENGTH]) {
      expectTypeOf(value).toEqualTypeOf<number>();
    }
    expectTypeOf(ERROR_HEADER).toEqualTypeOf<string>();
  });

  test('what it adds to Fastify', () => {
    expectTypeOf<SwitchyardDecorator>().toEqualTypeOf<{ readonly router: Router; explain(host: string, path: string): Explanation }>();
    expectTypeOf<ProxiedRequest>().toEqualTypeOf<{
      readonly route: Route | undefined;
      readonly host: string;
      readonly path: string;
      readonly requestId: string;
    }>();
    // The `declare module 'fastify'` augmentation.
    expectTypeOf<FastifyInstance['switchyard']>().toEqualTypeOf<SwitchyardDecorator>();
    expectTypeOf<FastifyRequest['switchyard']>().toEqualTypeOf<ProxiedRequest | null>();
  });

  test('switchyardServerOptions', () => {
    expectTypeOf(switchyardServerOptions).toEqualTypeOf<(input?: SwitchyardServerOptionsInput) => FastifyServerOptions>();
    expectTypeOf<SwitchyardServerOptionsInput>().toEqualTypeOf<{ readonly observer?: ProxyObserver; readonly http2?: boolean; readonly logger?: FastifyBaseLogger }>();
  });

  test('observers', () => {
    expectTypeOf<ProxyObserver>().toEqualTypeOf<{
      requestFinished(route: Route | undefined, statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void;
      upstreamLatency(route: Route, seconds: number): void;
      retried(route: Route): void;
      ejected(route: Route): void;
      forRoute?(route: Route): RouteObserver;
    }>();
    expectTypeOf<RouteObserver>().toEqualTypeOf<{
      requestFinished(statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void;
      upstreamLatency(seconds: number): void;
      retried(): void;
      ejected(): void;
    }>();
    expectTypeOf<RequestProtocol>().toEqualTypeOf<'http1' | 'h2' | 'h2c'>();
  });

  test('the request line writer', () => {
    expectTypeOf<ConstructorParameters<typeof RequestLineWriter>>().toEqualTypeOf<[destination: RequestLineDestination, options?: RequestLineWriterOptions]>();
    expectTypeOf<RequestLineDestination>().toEqualTypeOf<{ write(chunk: string): unknown }>();
    expectTypeOf<RequestLineWriterOptions>().toEqualTypeOf<{ readonly pid?: number; readonly hostname?: string; readonly maxWriteBytes?: number }>();
    expectTypeOf<RequestLineWriter['add']>().toEqualTypeOf<(line: RequestLine, time: number) => void>();
    expectTypeOf<RequestLineWriter['flush']>().toEqualTypeOf<() => void>();
    expectTypeOf<RequestLineWriter['pending']>().toEqualTypeOf<number>();
    expectTypeOf(DEFAULT_REQUEST_LINE_WRITE_BYTES).toEqualTypeOf<number>();
    expectTypeOf<RequestLine>().toEqualTypeOf<{
      readonly reqId: string | undefined;
      readonly protocol: RequestProtocol;
      readonly method: string | undefined;
      readonly host: string | undefined;
      readonly path: string | undefined;
      readonly backend: string | undefined;
      readonly endpoint: string | undefined;
      readonly status: number;
      readonly grpcStatus: number | undefined;
      readonly error: string | undefined;
      readonly reason: string | undefined;
      readonly durationMs: number;
      readonly requestId: string;
    }>();
  });
});

describe('@switchyard/fastify: the gateway', () => {
  test('startGateway', () => {
    expectTypeOf(startGateway).toEqualTypeOf<(options: GatewayOptions) => Promise<Gateway>>();
    expectTypeOf<GatewayOptions>().toEqualTypeOf<{
      readonly router: Router;
      readonly listen?: ListenAddress;
      readonly h2c?: boolean;
      readonly https?: { readonly listen: ListenAddress; readonly certificates: CertificateStore };
      readonly redirectToHttps?: false | 301 | 302 | 307 | 308;
      readonly publicHttpsPort?: number;
      readonly admin?: ListenAddress | false;
      readonly ready?: () => boolean;
      readonly status?: () => Record<string, unknown>;
      readonly proxy?: Omit<SwitchyardOptions, 'router' | 'httpsRedirect' | 'observer' | 'logger'>;
      readonly logger?: FastifyServerOptions['logger'];
      readonly drainTimeoutMs?: number;
      readonly metrics?: GatewayMetrics;
      readonly gatewayListeners?: readonly GatewayListener[];
    }>();
    expectTypeOf<GatewayListener>().toEqualTypeOf<{ readonly port: number; readonly listen: ListenAddress; readonly certificates?: CertificateStore; readonly h2c?: boolean }>();
    expectTypeOf<GatewayListenerUrl>().toEqualTypeOf<{ readonly port: number; readonly url: string }>();
    expectTypeOf<Gateway>().toEqualTypeOf<{
      readonly urls: { readonly http: string; readonly https?: string; readonly admin?: string; readonly gateways?: readonly GatewayListenerUrl[] };
      readonly metrics: GatewayMetrics;
      readonly apps: { readonly http: FastifyInstance; readonly https?: FastifyInstance; readonly gateways?: ReadonlyMap<number, FastifyInstance> };
      addGatewayListener(listener: GatewayListener): Promise<GatewayListenerUrl>;
      close(): Promise<void>;
    }>();
    expectTypeOf<ListenAddress>().toEqualTypeOf<{ readonly host: string; readonly port: number }>();
    expectTypeOf(DEFAULT_LISTEN).toEqualTypeOf<ListenAddress>();
    expectTypeOf(DEFAULT_ADMIN_LISTEN).toEqualTypeOf<ListenAddress>();
    expectTypeOf(DEFAULT_DRAIN_TIMEOUT_MS).toEqualTypeOf<number>();
  });
});

describe('@switchyard/fastify: admin and metrics', () => {
  test('createAdminServer', () => {
    expectTypeOf(createAdminServer).toEqualTypeOf<(options: AdminServerOptions) => FastifyInstance>();
    expectTypeOf<AdminServerOptions>().toEqualTypeOf<{
      readonly router: Router;
      readonly metrics: GatewayMetrics;
      readonly ready?: () => boolean;
      readonly status?: () => Record<string, unknown>;
      readonly certificates?: { describe(): ReadonlyArray<unknown> };
      readonly logger?: boolean | object;
      readonly errorLog?: FastifyBaseLogger;
    }>();
    expectTypeOf(ADMIN_PATHS).toEqualTypeOf<readonly string[]>();
    expectTypeOf<AdminErrorBody>().toEqualTypeOf<{ readonly error: { readonly code: string; readonly message: string; readonly field?: string } }>();
  });

  test('the JSON views of /routes and /explain', () => {
    expectTypeOf<RouteView>().toEqualTypeOf<{
      readonly host: string | null;
      readonly path: string | null;
      readonly pathType: string | null;
      readonly backend: string;
      readonly origin: { readonly kind: 'Ingress' | 'HTTPRoute' | 'GRPCRoute'; readonly namespace: string; readonly name: string };
      readonly field: string;
      readonly isDefaultBackend: boolean;
    }>();
    expectTypeOf<EndpointView>().toEqualTypeOf<{
      readonly address: string;
      readonly port: number;
      readonly ready: boolean;
      readonly serving: boolean;
      readonly terminating: boolean;
      readonly zone: string | null;
      readonly weight: number | null;
      readonly eligible: boolean;
    }>();
    expectTypeOf<BackendView['endpoints']>().toEqualTypeOf<readonly EndpointView[]>();
    expectTypeOf<BackendView['backend']>().toEqualTypeOf<string>();
    expectTypeOf<ExplainView['winner']>().toEqualTypeOf<RouteView | null>();
    expectTypeOf<ExplainView['endpoints']>().toEqualTypeOf<BackendView | null>();
  });

  test('GatewayMetrics', () => {
    expectTypeOf(GatewayMetrics).constructorParameters.toEqualTypeOf<[options?: GatewayMetricsOptions]>();
    expectTypeOf<GatewayMetricsOptions>().toEqualTypeOf<{ readonly registry?: Registry; readonly prefix?: string; readonly defaultMetrics?: boolean }>();
    expectTypeOf<GatewayMetrics>().toMatchTypeOf<ProxyObserver>();
    expectTypeOf<GatewayMetrics['forRoute']>().toEqualTypeOf<(route: Route) => RouteObserver>();
    expectTypeOf<GatewayMetrics['observeRouter']>().toEqualTypeOf<(router: Router) => void>();
    expectTypeOf<GatewayMetrics['discoveryError']>().toEqualTypeOf<(source: string, code: string) => void>();
    expectTypeOf<GatewayMetrics['scrape']>().toEqualTypeOf<() => Promise<{ contentType: string; body: string }>>();
    expectTypeOf<GatewayMetrics['registry']>().toEqualTypeOf<Registry>();
    expectTypeOf<GatewayMetrics['prefix']>().toEqualTypeOf<string>();
    expectTypeOf(DEFAULT_METRICS_PREFIX).toEqualTypeOf<string>();
    expectTypeOf(LATENCY_BUCKETS).toEqualTypeOf<readonly number[]>();
  });
});

describe('@switchyard/fastify: errors', () => {
  test('codes and the error class', () => {
    expectTypeOf<FastifyErrorCode>().toEqualTypeOf<keyof typeof FASTIFY_ERROR_CODES>();
    expectTypeOf<FastifyErrorCode>().toEqualTypeOf<
      | 'SWY_FASTIFY_INVALID_OPTIONS'
      | 'SWY_PROXY_BAD_REQUEST'
      | 'SWY_PROXY_NO_ROUTE'
      | 'SWY_PROXY_NO_ENDPOINT'
      | 'SWY_PROXY_EXTERNAL_NAME_DENIED'
      | 'SWY_PROXY_ADDRESS_DENIED'
      | 'SWY_PROXY_UPSTREAM_FAILED'
      | 'SWY_PROXY_UPSTREAM_TIMEOUT'
      | 'SWY_PROXY_ROUTE_INVALID'
      | 'SWY_PROXY_MISDIRECTED'
      | 'SWY_PROXY_BODY_TIMEOUT'
      | 'SWY_PROXY_UPLOADS_BUSY'
      | 'SWY_PROXY_CLOSING'
      | 'SWY_CLIENT_ABORTED'
      | 'SWY_ADMIN_QUERY_INVALID'
      | 'SWY_ADMIN_NOT_FOUND'
      | 'SWY_ADMIN_METHOD_NOT_ALLOWED'
      | 'SWY_ADMIN_HANDLER_FAILED'
      | 'SWY_ADMIN_METRIC_CONFLICT'
      | 'SWY_ADMIN_METRIC_VALUE_INVALID'
    >();
    expectTypeOf<FastifyPluginError>().toMatchTypeOf<SwitchyardError<FastifyErrorCode>>();
    expectTypeOf<FastifyPluginError['code']>().toEqualTypeOf<FastifyErrorCode>();
    expectTypeOf(isFastifyPluginError).guards.toEqualTypeOf<FastifyPluginError>();
    expectTypeOf(isFastifyPluginError).parameters.toEqualTypeOf<[value: unknown, code?: FastifyErrorCode]>();
  });
});
