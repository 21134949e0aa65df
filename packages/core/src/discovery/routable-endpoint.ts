import { endpointKey } from './endpoint-key.js';
import type { Endpoint } from './endpoint-set.js';

/**
 * An endpoint as the router hands it to balancers and proxies: what discovery reported, plus its
 * address in the forms a proxy needs, made once per pushed set (not per request, and not in
 * each place that prints or dials it).
 */
export interface RoutableEndpoint extends Endpoint {
  /** `address:port`, an IPv6 address as is (`::1:8080`): its identity for balancer state and logs (`endpointKey`). */
  readonly key: string;
  /** `address:port` with an IPv6 address in brackets: the endpoint as a URL authority or a Host. */
  readonly authority: string;
  /** `http://` + `authority`: the origin an HTTP/1.1 proxy dispatches to. */
  readonly origin: string;
}

/** The endpoints as `RoutableEndpoint`s: frozen copies with their address texts. */
export function toRoutableEndpoints(endpoints: readonly Endpoint[]): readonly RoutableEndpoint[] {
  return Object.freeze(endpoints.map(toRoutableEndpoint));
}

function toRoutableEndpoint(endpoint: Endpoint): RoutableEndpoint {
  const authority = endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
  return Object.freeze({ ...endpoint, key: endpointKey(endpoint), authority, origin: `http://${authority}` });
}
