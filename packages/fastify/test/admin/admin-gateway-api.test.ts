import { compile, loadManifests, type KubernetesObject, type RouteTable } from '@switchyard/core';
import { fillBackendPorts, gatewaySpecCases } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { get, startAdmin } from './fixtures.js';

/** The precedence spec case (one Gateway, port 80, five HTTPRoutes on /p), compiled. */
function precedenceTable(): RouteTable {
  const specCase = gatewaySpecCases.find((c) => c.name.startsWith('precedence'))!;
  const { objects } = loadManifests(fillBackendPorts(specCase.manifests, () => 8080));
  const of = (kind: string): KubernetesObject[] => objects.filter((object) => object.kind === kind);
  return compile({ ingresses: [], gatewayClass: 'switchyard', gateways: of('Gateway') as never, httpRoutes: of('HTTPRoute') as never, services: of('Service') as never }).table;
}

const ENDPOINTS = { 'shop/get-svc:8080': [{ address: '127.0.0.1', port: 1234 }] };

describe('admin server: the Gateway API', () => {
  test('/routes lists the HTTPRoute backendRefs with their origin, and the Gateway status', async () => {
    const { url } = await startAdmin({ table: precedenceTable(), endpoints: ENDPOINTS });
    const body = (await get(`${url}/routes`)).json;
    const fromRoutes = body.routes.filter((route: any) => route.origin.kind === 'HTTPRoute');
    expect(fromRoutes.map((route: any) => `${route.origin.namespace}/${route.origin.name} ${route.field} ${route.backend}`).sort()).toEqual([
      'shop/by-longer-prefix spec.rules[0].backendRefs[0] shop/longer-svc:8080',
      'shop/by-method spec.rules[0].backendRefs[0] shop/get-svc:8080',
      'shop/by-one-header spec.rules[0].backendRefs[0] shop/one-header-svc:8080',
      'shop/by-query spec.rules[0].backendRefs[0] shop/two-query-svc:8080',
      'shop/by-two-headers spec.rules[0].backendRefs[0] shop/two-headers-svc:8080',
    ]);
    expect(fromRoutes.find((route: any) => route.backend === 'shop/get-svc:8080').endpoints.endpoints).toHaveLength(1);
    const gateway = body.gatewayStatus.gateways[0];
    expect(gateway.gateway).toBe('shop/precedence');
    expect(gateway.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(['Accepted=True', 'Programmed=True']);
    expect(gateway.listeners[0]).toMatchObject({ name: 'http', attachedRoutes: 5 });
    expect(body.gatewayStatus.httpRoutes).toHaveLength(5);
  });

  test('/routes of a table without Gateway API objects says gatewayStatus null', async () => {
    const { url } = await startAdmin();
    expect((await get(`${url}/routes`)).json.gatewayStatus).toBeNull();
  });

  test('/explain with port answers the Gateway explanation, with method, repeated headers and a query in path', async () => {
    const { url } = await startAdmin({ table: precedenceTable(), endpoints: ENDPOINTS });
    const query = new URLSearchParams([['host', 'p.test'], ['path', '/p?q=1&r=1'], ['port', '80'], ['method', 'get'], ['header', 'X-A=1'], ['header', 'x-b=1']]);
    const answer = await get(`${url}/explain?${query}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ port: 80, host: 'p.test', path: '/p', query: '?q=1&r=1', method: 'GET', listener: { gateway: 'shop/precedence', name: 'http' } });
    expect(answer.json.winner).toMatchObject({ route: 'shop/by-method', rule: 0, backends: [{ backendKey: 'shop/get-svc:8080', weight: 1 }] });
    expect(answer.json.candidates.map((c: any) => c.outcome)).toEqual(['won', 'lost', 'lost', 'lost', 'no-match']);
    expect(answer.json.endpoints).toMatchObject([{ backend: 'shop/get-svc:8080', discovered: true, endpoints: [{ address: '127.0.0.1', port: 1234 }] }]);
  });

  test.each([
    ['port=0', 'port'],
    ['port=80&header=novalue', 'header'],
    ['port=80&method=G%20T', 'method'],
    ['method=GET', 'method'],
  ])('/explain?host=p.test&path=/p&%s is a 400 naming %s', async (extra, field) => {
    const { url } = await startAdmin({ table: precedenceTable(), endpoints: ENDPOINTS });
    const answer = await get(`${url}/explain?host=p.test&path=%2Fp&${extra}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'SWY_ADMIN_QUERY_INVALID', field });
  });
});
