import { compile, Router, StaticDiscovery, type BalancingOptions, type EndpointInput, type HTTPIngressPath, type Ingress } from '@switchyard/core';
import { httpPath, ingress as ingressObject, rule, serviceBackend } from '@switchyard/test-utils';
import { startGateway, type Gateway, type GatewayOptions } from '@switchyard/fastify';

/** An Ingress in `default` with one rule per entry: `[host, path, pathType, service, port]`; entries of one host share a rule. */
export function ingress(name: string, rules: ReadonlyArray<readonly [host: string | undefined, path: string, pathType: 'Prefix' | 'Exact', service: string, port: number]>, defaultBackend?: readonly [string, number]): Ingress {
  const byHost = new Map<string | undefined, HTTPIngressPath[]>();
  for (const [host, path, pathType, service, port] of rules) byHost.set(host, [...(byHost.get(host) ?? []), httpPath(path, pathType, service, port)]);
  return ingressObject(name, {
    namespace: 'default',
    created: '2026-01-01T00:00:00Z',
    ...(defaultBackend ? { defaultBackend: serviceBackend(defaultBackend[0], defaultBackend[1]) } : {}),
    rules: [...byHost].map(([host, paths]) => rule(host, ...paths)),
  });
}

export interface TestGateway {
  readonly gateway: Gateway;
  readonly router: Router;
  readonly discovery: StaticDiscovery;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A gateway on 127.0.0.1:0 over the given Ingresses and endpoints (by backend key `default/svc:port`), no admin, no logs;
 * `balancing` goes to the Router, the rest to `startGateway`.
 */
export async function startTestGateway(
  ingresses: readonly Ingress[],
  endpoints: Record<string, readonly EndpointInput[]>,
  { balancing, ...options }: Partial<Omit<GatewayOptions, 'router'>> & { readonly balancing?: BalancingOptions } = {},
): Promise<TestGateway> {
  const { table, diagnostics } = compile({ ingresses });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length !== 0) throw new Error(`test Ingresses do not compile: ${JSON.stringify(errors)}`);
  const discovery = new StaticDiscovery({ endpoints });
  const router = new Router({ table, discovery, ...(balancing === undefined ? {} : { balancing }) });
  const gateway = await startGateway({ router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false, ...options });
  return {
    gateway,
    router,
    discovery,
    url: gateway.urls.http,
    close: async () => {
      await gateway.close();
      router.close();
      await discovery.close();
    },
  };
}

/** `address:port` endpoints for upstreams on 127.0.0.1. */
export function at(...ports: number[]): EndpointInput[] {
  return ports.map((port) => ({ address: '127.0.0.1', port }));
}
