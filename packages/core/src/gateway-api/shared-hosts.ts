import { hostnameCovers } from './hostnames.js';
import type { GatewayPort } from './listener-index.js';

/** An Ingress host that HTTPRoutes on a Gateway port route too. */
export interface SharedHost {
  readonly ingressHost: string;
  /** The HTTPRoute hostname that covers it (`*` for routes of any host). */
  readonly gatewayHostname: string;
  readonly port: number;
  /** `namespace/name` of the first HTTPRoute (or GRPCRoute) routing that hostname there. */
  readonly route: string;
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
}

/**
 * The Ingress hosts (rule hosts as written, `''` for rules without one) that HTTPRoutes also
 * route, on which Gateway port. Ingress rules are served on the Ingress listeners and HTTPRoutes
 * on their Gateway ports, each socket by its own rules: a Host both claim is answered by
 * whichever the request arrives on. Not an error, but worth knowing.
 */
export function hostsSharedWithGateways(ingressHosts: Iterable<string>, ports: ReadonlyMap<number, GatewayPort>): SharedHost[] {
  const shared: SharedHost[] = [];
  const hosts = [...ingressHosts];
  // Most configurations have one or the other: nothing to list the Gateway hostnames for.
  if (hosts.length === 0) return shared;
  const routed: Array<{ hostname: string | undefined; port: number; route: string; kind: 'HTTPRoute' | 'GRPCRoute' }> = [];
  for (const [port, gatewayPort] of ports) {
    gatewayPort.listeners.forEach((listener) => {
      for (const [hostname, paths] of listener.hosts.entries()) {
        const first = paths.all()[0];
        if (first !== undefined) routed.push({ hostname, port, route: `${first.rule.origin.namespace}/${first.rule.origin.name}`, kind: first.grpc === undefined ? 'HTTPRoute' : 'GRPCRoute' });
      }
    });
  }
  for (const host of hosts) {
    const hit = routed.find(({ hostname }) => hostname === undefined || host === '' || hostnameCovers(hostname, host) || hostnameCovers(host, hostname));
    if (hit !== undefined) shared.push({ ingressHost: host, gatewayHostname: hit.hostname ?? '*', port: hit.port, route: hit.route, kind: hit.kind });
  }
  return shared;
}
