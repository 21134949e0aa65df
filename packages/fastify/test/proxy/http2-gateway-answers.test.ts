import { compile, loadManifests, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway, type Gateway } from '@switchyard/fastify';
import { gatewayCompileOptions, startUpstream, type Upstream } from '@switchyard/test-utils';
import type { ClientHttp2Session } from 'node:http2';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { backendYaml, gatewayYaml, httpRouteYaml } from '../helpers/gateway-api.js';
import { http2Request, http2Session } from '../helpers/http2-client.js';

/**
 * The answers an HTTPRoute rule gives itself, to an h2c client of a Gateway listener port
 * `startGateway` serves (its streams take the stream path): a RequestRedirect, and the 500 of a
 * rule whose backend does not resolve, as they are over HTTP/1.1 (gateway-filters.test.ts).
 */
let upstream: Upstream;
let gateway: Gateway;
let router: Router;
let discovery: StaticDiscovery;
let session: ClientHttp2Session;

beforeAll(async () => {
  upstream = await startUpstream('main');
  const manifests = [
    gatewayYaml(80),
    backendYaml('main', upstream.port),
    httpRouteYaml('redirect', 'redirect.test', `    - matches: [{ path: { type: PathPrefix, value: /old } }]
      filters:
        - type: RequestRedirect
          requestRedirect: { scheme: https, statusCode: 301, path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } }
`),
    httpRouteYaml('missing', 'missing.test', `    - backendRefs: [{ name: nowhere, port: 80 }]
`),
    httpRouteYaml('main', 'main.test', `    - backendRefs: [{ name: main, port: 80 }]
`),
  ].join('');
  const { objects } = loadManifests(manifests);
  const { table } = compile({ ingresses: [], ...gatewayCompileOptions(objects) });
  discovery = new StaticDiscovery({ objects });
  router = new Router({ table, discovery });
  gateway = await startGateway({
    router,
    listen: { host: '127.0.0.1', port: 0 },
    gatewayListeners: [{ port: 80, listen: { host: '127.0.0.1', port: 0 }, h2c: true }],
    admin: false,
    logger: false,
  });
  session = await http2Session(gateway.urls.gateways![0]!.url);
});
afterAll(async () => {
  session?.close();
  await gateway?.close();
  router?.close();
  await discovery?.close();
  await upstream?.close();
});

test('a RequestRedirect answers an h2c client with the Location the filter makes', async () => {
  const answer = await http2Request(session, { ':authority': 'redirect.test', ':path': '/old/page?x=1' });
  expect(answer.status).toBe(301);
  expect(answer.headers.location).toBe('https://redirect.test/new/page?x=1');
  expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.body).toBe('');
});

test('a rule whose backend does not resolve answers 500 with its code, and the session serves on', async () => {
  const answer = await http2Request(session, { ':authority': 'missing.test', ':path': '/' }, 'a body nobody reads');
  expect(answer.status).toBe(500);
  expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_ROUTE_INVALID');
  expect(answer.body).toContain('HTTPRoute default/missing');
  expect((await http2Request(session, { ':authority': 'main.test', ':path': '/' })).status).toBe(200);
});
