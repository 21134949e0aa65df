export * from './errors.js';
export { switchyard, switchyard as default, type SwitchyardDecorator } from './plugin.js';
export * from './options.js';
export { ERROR_HEADER } from './proxy/answer.js';
export type { ProxiedRequest } from './proxy/proxied-request.js';
export { switchyardServerOptions, type SwitchyardServerOptionsInput } from './server-options.js';
export { startGateway, DEFAULT_ADMIN_LISTEN, DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_LISTEN, type Gateway, type GatewayOptions, type ListenAddress } from './gateway.js';
export * from './admin/index.js';
