/**
 * Switchyard for the `grpc` scenario: `startGateway` with `h2c: true` on its plain listener,
 * serving the Gateway listener port of a table compiled from a Gateway and a GRPCRoute
 * (grpc-route-table.ts), whose backend is a Service port with `appProtocol: kubernetes.io/h2c`
 * at the gRPC upstream, read by `StaticDiscovery` as it reads manifests. No logger, no admin
 * listener, no request log, as the other Switchyard targets.
 */
import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway } from '@switchyard/fastify';
import { GRPC_GATEWAY_PORT, grpcRouteObjects } from '../grpc-route-table.js';
import { announce, failed, LOOPBACK, readConfig, stopOn } from './server-process.js';
import type { PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
try {
  const objects = grpcRouteObjects(config.upstream);
  const { table, diagnostics } = compile({ ingresses: [], gateways: objects.gateways, grpcRoutes: objects.grpcRoutes });
  // A diagnostic here means the route is not what this target claims to measure.
  if (diagnostics.length > 0) throw new Error(`the gRPC table compiled with diagnostics: ${JSON.stringify(diagnostics)}`);
  const discovery = new StaticDiscovery({ objects: objects.discoveryObjects });
  const router = new Router({ table, discovery });
  const gateway = await startGateway({
    router,
    listen: { host: LOOPBACK, port: 0 },
    h2c: true,
    admin: false,
    logger: false,
    proxy: { logRequests: false, gatewayPort: GRPC_GATEWAY_PORT },
  });
  announce({ url: gateway.urls.http, info: { gatewayPort: GRPC_GATEWAY_PORT } });
  stopOn(async () => {
    await gateway.close();
    router.close();
    await discovery.close();
  });
} catch (error) {
  failed(error);
}
