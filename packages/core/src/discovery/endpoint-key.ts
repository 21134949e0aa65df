import type { Endpoint } from './endpoint-set.js';

/**
 * An endpoint's identity: `address:port`, the IPv6 address as is (`::1:8080`). Discovery
 * re-creates endpoint objects on every push; balancer state and logs find them by this key.
 */
export function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.address}:${endpoint.port}`;
}
