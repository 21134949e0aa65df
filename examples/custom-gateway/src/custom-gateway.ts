import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { switchyard, switchyardServerOptions } from '@switchyard/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { endpoints, routes, type ServicePorts } from './routes.js';
import { ZoneAwareBalancer } from './zone-aware-balancer.js';

export interface CustomGatewayOptions {
  readonly ports: ServicePorts;
  /** The zone this gateway runs in; the api prefers endpoints there. */
  readonly zone: string;
  /** Zones of the api endpoints, in the order of `ports.api`. */
  readonly apiZones: readonly string[];
  /** Bearer token the admin routes require. */
  readonly adminToken: string;
}

export interface CustomGateway {
  readonly app: FastifyInstance;
  readonly router: Router;
  close(): Promise<void>;
}

/**
 * A gateway written in code: our own Fastify app with a route of its own, the Switchyard
 * plugin for everything else, an auth hook that decides by the matched route, and a custom
 * picker for one backend.
 */
export async function createCustomGateway(options: CustomGatewayOptions): Promise<CustomGateway> {
  const { table, diagnostics } = compile({ ingresses: routes() });
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`routes do not compile: ${JSON.stringify(diagnostics)}`);
  const discovery = new StaticDiscovery({ endpoints: endpoints(options.ports, options.apiZones) });
  const router = new Router({
    table,
    discovery,
    balancing: {
      default: { kind: 'round-robin' },
      create: (backendKey, policy, balancerOptions) => (backendKey === 'demo/api:80' ? new ZoneAwareBalancer(options.zone, policy, balancerOptions) : undefined),
    },
  });

  // The proxy's server options: its answers to bad requests and while closing, whatever reaches Fastify first.
  const app = Fastify({ ...switchyardServerOptions(), logger: false });
  // A route of the app's own: it wins over the proxy's catch-all.
  app.get('/gateway/info', async () => ({ zone: options.zone, tableVersion: router.table.version }));

  // The proxy matches in its onRequest hook, so preHandler hooks see the route.
  app.addHook('preHandler', async (request, reply) => {
    const route = request.switchyard?.route;
    if (route?.origin.name !== 'admin') return;
    if (request.headers.authorization !== `Bearer ${options.adminToken}`) {
      return reply.code(401).header('www-authenticate', 'Bearer').send('401 Unauthorized: the admin routes need a token\n');
    }
  });

  await app.register(switchyard, { router });
  return {
    app,
    router,
    close: async () => {
      await app.close();
      router.close();
      await discovery.close();
    },
  };
}
