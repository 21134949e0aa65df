import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { compile, loadManifests, Router, StaticDiscovery } from '@switchyard/core';
import { ERROR_HEADER, switchyard, switchyardServerOptions } from '@switchyard/fastify';
import { backendsOf, fillBackendPorts, gatewayCompileOptions, gatewaySpecCases, startUpstream, type GatewaySpecCase, type GatewaySpecRequest, type Upstream } from '@switchyard/test-utils';

/**
 * The hand-written spec cases through the plugin, end to end: each listener port is a Fastify
 * app registered with `gatewayPort`, each backend a real upstream named after it, and every
 * request's answer must come from the backend the case expects (or be the proxy's 404).
 */
describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('%s', (_name, specCase: GatewaySpecCase) => {
  const upstreams = new Map<string, Upstream>();
  const apps = new Map<number, { app: FastifyInstance; url: string }>();
  let router: Router;
  let discovery: StaticDiscovery;

  beforeAll(async () => {
    for (const { namespace, name } of backendsOf(specCase.manifests)) upstreams.set(`${namespace}/${name}`, await startUpstream(name));
    const { objects } = loadManifests(fillBackendPorts(specCase.manifests, (namespace, name) => upstreams.get(`${namespace}/${name}`)!.port));
    const { table, diagnostics } = compile({ ingresses: [], ...gatewayCompileOptions(objects) });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    discovery = new StaticDiscovery({ objects });
    router = new Router({ table, discovery });
    for (const port of new Set(specCase.requests.map((r) => r.port))) {
      const app = Fastify({ ...switchyardServerOptions(), logger: false });
      await app.register(switchyard, { router, gatewayPort: port, logRequests: false });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      apps.set(port, { app, url });
    }
  });
  afterAll(async () => {
    for (const { app } of apps.values()) await app.close();
    router?.close();
    await discovery?.close();
    for (const upstream of upstreams.values()) await upstream.close();
  });

  test.each(specCase.requests.map((r) => [describeRequest(r), r] as const))('%s', async (_label, r) => {
    const { url } = apps.get(r.port)!;
    const response = await request(`${url}${r.path}${r.query ? `?${r.query}` : ''}`, {
      method: (r.method ?? 'GET') as 'GET',
      headers: { host: r.host, ...(r.headers ?? {}) },
    });
    const body = await response.body.text();
    if ('status' in r.expect) {
      expect({ status: response.statusCode, code: response.headers[ERROR_HEADER] }).toEqual({ status: 404, code: 'SWY_PROXY_NO_ROUTE' });
      return;
    }
    expect({ status: response.statusCode, upstream: response.headers['x-upstream'] }, body).toEqual({ status: 200, upstream: r.expect.backend });
  });
});

function describeRequest(r: GatewaySpecRequest): string {
  return `${r.method ?? 'GET'} ${r.host}:${r.port}${r.path}${r.query ? `?${r.query}` : ''}${r.headers ? ` ${JSON.stringify(r.headers)}` : ''}`;
}
