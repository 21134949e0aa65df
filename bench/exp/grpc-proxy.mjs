import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway } from '@switchyard/fastify';
import { ingress as ingressObject, rule, httpPath } from '@switchyard/test-utils';
const ing = ingressObject('g', { namespace: 'default', created: '2026-01-01T00:00:00Z', rules: [rule(undefined, httpPath('/', 'Prefix', 'echo', 80))] });
const { table } = compile({ ingresses: [ing] });
const discovery = new StaticDiscovery({ endpoints: { 'default/echo:80': [{ address: '127.0.0.1', port: 19011, protocol: 'h2c' }] } });
const router = new Router({ table, discovery });
await startGateway({ router, listen: { host: '127.0.0.1', port: 19012 }, h2c: true, admin: false, logger: false, proxy: { logRequests: false } });
process.on('SIGINT', () => process.exit(0));
