/**
 * The Kubernetes objects of the `grpc` scenario's Switchyard target, as a cluster would hold
 * them: a Gateway with one plain HTTP listener, a GRPCRoute sending the echo service to a
 * Service whose port says `appProtocol: kubernetes.io/h2c` (so Switchyard speaks h2c to it),
 * and an EndpointSlice putting that Service at the gRPC upstream.
 */
import { SERVICE_NAME_LABEL, type EndpointSlice, type Gateway, type GRPCRoute, type Service } from '@switchyard/core';
import { ECHO_SERVICE } from './grpc-echo.js';
import type { UpstreamAddress } from './servers/target-config.js';

/** The Gateway listener port the GRPCRoute attaches to (served on the plain listener through `gatewayPort`). */
export const GRPC_GATEWAY_PORT = 50_080;
/** The Service port the GRPCRoute's backendRef names. */
const SERVICE_PORT = 50_051;
const NAMESPACE = 'bench';
const SERVICE = 'grpc-echo';

export interface GrpcRouteObjects {
  readonly gateways: Gateway[];
  readonly grpcRoutes: GRPCRoute[];
  /** The Service and its EndpointSlice, for `StaticDiscovery`'s `objects`. */
  readonly discoveryObjects: Array<Service | EndpointSlice>;
}

/** The objects routing `/bench.Echo/*` on `GRPC_GATEWAY_PORT` to `upstream` over h2c. */
export function grpcRouteObjects(upstream: UpstreamAddress): GrpcRouteObjects {
  const gateway: Gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'bench', namespace: NAMESPACE },
    spec: { gatewayClassName: 'switchyard', listeners: [{ name: 'grpc', port: GRPC_GATEWAY_PORT, protocol: 'HTTP' }] },
  };
  const route: GRPCRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: { name: 'echo', namespace: NAMESPACE },
    spec: {
      parentRefs: [{ name: 'bench' }],
      rules: [{ matches: [{ method: { service: ECHO_SERVICE } }], backendRefs: [{ name: SERVICE, port: SERVICE_PORT }] }],
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SERVICE, namespace: NAMESPACE },
    spec: { ports: [{ name: 'grpc', port: SERVICE_PORT, targetPort: upstream.port, appProtocol: 'kubernetes.io/h2c' }] },
  };
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${SERVICE}-1`, namespace: NAMESPACE, labels: { [SERVICE_NAME_LABEL]: SERVICE } },
    addressType: 'IPv4',
    ports: [{ name: 'grpc', port: upstream.port, appProtocol: 'kubernetes.io/h2c' }],
    endpoints: [{ addresses: [upstream.address], conditions: { ready: true } }],
  };
  return { gateways: [gateway], grpcRoutes: [route], discoveryObjects: [service, slice] };
}
