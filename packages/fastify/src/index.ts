export { switchyard, switchyard as default, type SwitchyardDecorator } from './plugin.js';
export { switchyardServerOptions, type SwitchyardServerOptionsInput } from './server-options.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CONNECTIONS_PER_ENDPOINT,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_BUFFER_BYTES,
  DEFAULT_RETRIES,
  DEFAULT_UPSTREAM_KEEP_ALIVE_MS,
  MAX_REQUEST_ID_LENGTH,
  type HttpsRedirect,
  type ProxyObserver,
  type RouteObserver,
  type SwitchyardOptions,
} from './options.js';
export type { ProxiedRequest } from './proxy/proxied-request.js';
export type { RequestProtocol } from './proxy/request-protocol.js';
export { RequestLineWriter, DEFAULT_REQUEST_LINE_WRITE_BYTES, type RequestLine, type RequestLineDestination, type RequestLineWriterOptions } from './proxy/request-line.js';
export { ERROR_HEADER } from './proxy/answer.js';
export { startGateway, DEFAULT_ADMIN_LISTEN, DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_LISTEN, type Gateway, type GatewayListener, type GatewayListenerUrl, type GatewayOptions, type ListenAddress } from './gateway.js';
export { createAdminServer, ADMIN_PATHS, type AdminErrorBody, type AdminServerOptions } from './admin/admin-server.js';
export { GatewayMetrics, DEFAULT_METRICS_PREFIX, LATENCY_BUCKETS, type GatewayMetricsOptions } from './admin/metrics.js';
export type { BackendView, EndpointView, ExplainView, RouteView } from './admin/admin-views.js';
export { FASTIFY_ERROR_CODES, FastifyPluginError, isFastifyPluginError, type FastifyErrorCode } from './errors.js';
