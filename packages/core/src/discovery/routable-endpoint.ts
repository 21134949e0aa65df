import { endpointKey } from './endpoint-key.js';
import type { Endpoint } from './endpoint-set.js';
import type { UpstreamProtocol } from './upstream-protocol.js';

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
  /** `http://` + `authority`: the origin a proxy dispatches to (for either protocol). */
  readonly origin: string;
  /** `Endpoint.protocol` resolved: the protocol to speak to it, chosen once per pushed set rather than per request. */
  readonly protocol: UpstreamProtocol;
}

/** The endpoints as `RoutableEndpoint`s: frozen copies with their address texts. */
export function toRoutableEndpoints(endpoints: readonly Endpoint[]): readonly RoutableEndpoint[] {
  return Object.freeze(endpoints.map(toRoutableEndpoint));
}

function toRoutableEndpoint(endpoint: Endpoint): RoutableEndpoint {
  const authority = endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
  return Object.freeze({ ...endpoint, key: endpointKey(endpoint), authority, origin: `http://${authority}`, protocol: endpoint.protocol ?? 'http1' });
}
