import Fastify, { type FastifyInstance } from 'fastify';
import { compile, loadManifests, Router, StaticDiscovery, type Diagnostic } from '@switchyard/core';
import { gatewayCompileOptions } from '@switchyard/test-utils';
import { switchyard, switchyardServerOptions, type SwitchyardOptions } from '@switchyard/fastify';

/** A Fastify app serving one Gateway port of some manifests, on 127.0.0.1:0. */
export interface GatewayApp {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly router: Router;
  readonly diagnostics: Diagnostic[];
  close(): Promise<void>;
}

/**
 * Compiles the manifests (Gateways of class `switchyard`, HTTPRoutes, Services and
 * EndpointSlices...) and serves listener port `port` with the plugin (`gatewayPort`).
 */
export async function startGatewayApp(manifests: string, port: number, options: Omit<SwitchyardOptions, 'router' | 'gatewayPort'> = {}): Promise<GatewayApp> {
  const { objects } = loadManifests(manifests);
  const { table, diagnostics } = compile({ ingresses: [], ...gatewayCompileOptions(objects) });
  const discovery = new StaticDiscovery({ objects });
  const router = new Router({ table, discovery });
  const app = Fastify({ ...switchyardServerOptions(), logger: false });
  await app.register(switchyard, { logRequests: false, ...options, router, gatewayPort: port });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    router,
    diagnostics,
    close: async () => {
      await app.close();
      router.close();
      await discovery.close();
    },
  };
}

/** A Service on port 80 and an EndpointSlice on 127.0.0.1:`port` for `name` in `namespace`. */
export function backendYaml(name: string, port: number, namespace = 'default'): string {
  return `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: { ports: [{ name: http, port: 80, targetPort: ${port} }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-1, namespace: ${namespace}, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: http, port: ${port} }]
endpoints: [{ addresses: [127.0.0.1], conditions: { ready: true } }]
`;
}

/** A Gateway `gw` of class `switchyard` with one HTTP listener on `port`, routes from every namespace. */
export function gatewayYaml(port = 80, hostname?: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: web, port: ${port}, protocol: HTTP${hostname ? `, hostname: "${hostname}"` : ''}, allowedRoutes: { namespaces: { from: All } } }
`;
}

/** An HTTPRoute `name` in `default`, parented to Gateway `gw`, for `hostname`, with `rules` (YAML, indented as list items under `rules:`). */
export function httpRouteYaml(name: string, hostname: string, rules: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  parentRefs: [{ name: gw }]
  hostnames: ["${hostname}"]
  rules:
${rules}`;
}
