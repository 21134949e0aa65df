export { createAdminServer, ADMIN_PATHS, type AdminErrorBody, type AdminServerOptions } from './admin-server.js';
export { GatewayMetrics, DEFAULT_METRICS_PREFIX, LATENCY_BUCKETS, type GatewayMetricsOptions } from './metrics.js';
export type { BackendView, EndpointView, ExplainView, RouteView } from './admin-views.js';
