import { Router, StaticDiscovery } from '@switchyard/core';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { createAdminServer } from '../../src/admin/admin-server.js';
import { GatewayMetrics } from '../../src/admin/metrics.js';
import { isFastifyPluginError } from '../../src/errors.js';
import { LogLines } from '../helpers/log-lines.js';
import { get, ingress, path, standardTable, startAdmin, tableOf } from './fixtures.js';
import { rule, thrown } from '@switchyard/test-utils';

describe('admin server: health and readiness', () => {
  test('/healthz answers 200 {"status":"ok"} and is not cached', async () => {
    const { url } = await startAdmin();
    const answer = await get(`${url}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'ok' });
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  test('/readyz follows ready() at each request, with the table version and the status', async () => {
    let ready = false;
    let calls = 0;
    const { url, router } = await startAdmin({ ready: () => ready, status: () => ({ kubernetes: { synced: ready, calls: ++calls } }) });
    const notReady = await get(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.json).toEqual({ ready: false, tableVersion: router.table.version, status: { kubernetes: { synced: false, calls: 1 } } });
    ready = true;
    const nowReady = await get(`${url}/readyz`);
    expect(nowReady.status).toBe(200);
    expect(nowReady.json).toEqual({ ready: true, tableVersion: router.table.version, status: { kubernetes: { synced: true, calls: 2 } } });
    ready = false;
    expect((await get(`${url}/readyz`)).status).toBe(503);
  });

  test('/readyz without ready() is ready, and shows the version of the table swapped in', async () => {
    const { url, router } = await startAdmin();
    const before = await get(`${url}/readyz`);
    expect(before.status).toBe(200);
    expect(before.json).toEqual({ ready: true, tableVersion: router.table.version });
    const next = standardTable();
    router.update(next);
    expect((await get(`${url}/readyz`)).json.tableVersion).toBe(next.version);
    expect(next.version).toBeGreaterThan(before.json.tableVersion);
  });

  test('a ready() that throws is a 500 with SWY_ADMIN_HANDLER_FAILED, not a stack', async () => {
    const { url } = await startAdmin({
      ready: () => {
        throw new Error('source exploded');
      },
    });
    const answer = await get(`${url}/readyz`);
    expect(answer.status).toBe(500);
    expect(answer.json.error.code).toBe('SWY_ADMIN_HANDLER_FAILED');
    expect(answer.text).not.toContain('at ');
  });

  test('an endpoint that fails is logged on errorLog, with its error and path', async () => {
    const log = new LogLines();
    const { url } = await startAdmin({
      status: () => {
        throw new Error('status exploded');
      },
      errorLog: pino(log.stream),
    });
    expect((await get(`${url}/readyz`)).status).toBe(500);
    expect(await log.waitFor((line) => line.msg === 'admin endpoint failed')).toMatchObject({ level: 50, path: '/readyz', err: { message: 'status exploded' }, reqId: expect.any(String) });
  });
});

describe('admin server: /routes', () => {
  test('lists every reachable route with its backend endpoints, eligibility, problem and the certificates', async () => {
    const certificates = [{ secret: 'default/foo-tls', hosts: ['foo.com'] }];
    const { url, router } = await startAdmin({ certificates: { describe: () => certificates } });
    const answer = await get(`${url}/routes`);
    expect(answer.status).toBe(200);
    const body = answer.json;
    expect(body.tableVersion).toBe(router.table.version);
    expect(body.certificates).toEqual(certificates);
    const byField = new Map<string, any>(body.routes.map((route: any) => [`${route.host} ${route.pathType} ${route.path}`, route]));
    expect([...byField.keys()]).toEqual(['foo.com Prefix /', 'foo.com Exact /exact', '*.wild.com Prefix /', 'null Prefix /api', 'null null null']);

    const root = byField.get('foo.com Prefix /');
    expect(root).toMatchObject({ backend: 'default/svc:80', origin: { kind: 'Ingress', namespace: 'default', name: 'web' }, field: 'spec.rules[0].http.paths[0]', isDefaultBackend: false });
    expect(root.endpoints).toMatchObject({ backend: 'default/svc:80', discovered: true, version: 1, stale: false, problem: null });
    expect(root.endpoints.endpoints).toEqual([
      { address: '127.0.0.1', port: 1234, ready: true, serving: true, terminating: false, zone: null, weight: null, eligible: true },
      // Not ready, serving while terminating: kept out while a ready endpoint exists.
      { address: '127.0.0.2', port: 1234, ready: false, serving: true, terminating: true, zone: 'z1', weight: null, eligible: false },
    ]);

    const fallback = byField.get('null null null');
    expect(fallback).toMatchObject({ backend: 'default/fallback:80', field: 'spec.defaultBackend', isDefaultBackend: true });
    expect(fallback.endpoints.endpoints).toEqual([{ address: '127.0.0.3', port: 1234, ready: true, serving: true, terminating: false, zone: null, weight: 3, eligible: true }]);

    const missing = byField.get('null Prefix /api');
    expect(missing.endpoints).toMatchObject({ backend: 'default/missing:80', discovered: true, endpoints: [], problem: { code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND' } });
    expect(Number.isNaN(Date.parse(missing.endpoints.problem.since))).toBe(false);
  });

  test('follows discovery pushes and table swaps; no certificates key without a certificate store', async () => {
    const { url, router, discovery } = await startAdmin();
    discovery.update({ endpoints: { 'default/svc:80': [{ address: '10.1.1.1', port: 8080 }] } });
    const after = (await get(`${url}/routes`)).json;
    expect(after).not.toHaveProperty('certificates');
    const svc = after.routes.find((route: any) => route.backend === 'default/svc:80');
    expect(svc.endpoints.version).toBe(2);
    expect(svc.endpoints.endpoints.map((e: any) => `${e.address}:${e.port}`)).toEqual(['10.1.1.1:8080']);

    const next = tableOf(ingress('other', [rule('bar.com', path('/x', 'svc'))]));
    router.update(next);
    const swapped = (await get(`${url}/routes`)).json;
    expect(swapped.tableVersion).toBe(next.version);
    expect(swapped.routes.map((route: any) => `${route.host}${route.path}`)).toEqual(['bar.com/x']);
  });
});

describe('admin server: /explain', () => {
  test('explains the winner with its endpoints and every candidate', async () => {
    const { url, router } = await startAdmin();
    const answer = await get(`${url}/explain?host=FOO.com:8080&path=/exact`);
    expect(answer.status).toBe(200);
    const body = answer.json;
    expect(body).toMatchObject({ tableVersion: router.table.version, host: 'foo.com', path: '/exact' });
    expect(body.winner).toMatchObject({ host: 'foo.com', path: '/exact', pathType: 'Exact', backend: 'default/svc:80' });
    expect(body.endpoints.endpoints.filter((e: any) => e.eligible).map((e: any) => e.address)).toEqual(['127.0.0.1']);
    expect(body.candidates.map((c: any) => [c.tier, c.route.pathType, c.outcome])).toEqual([
      ['exact-host', 'Exact', 'won'],
      ['exact-host', 'Prefix', 'lost'],
      ['any-host', 'Prefix', 'no-match'],
      ['default-backend', null, 'not-reached'],
    ]);
    expect(typeof body.candidates[0].reason).toBe('string');
  });

  test('a wildcard host and the default backend; a request nothing matches has no winner', async () => {
    const { url } = await startAdmin();
    const wild = (await get(`${url}/explain?host=a.wild.com&path=/anything`)).json;
    expect(wild.winner).toMatchObject({ host: '*.wild.com', backend: 'default/svc:80' });
    const fallback = (await get(`${url}/explain?host=elsewhere.org&path=/`)).json;
    expect(fallback.winner).toMatchObject({ isDefaultBackend: true, backend: 'default/fallback:80' });
    expect(fallback.endpoints.endpoints.map((e: any) => e.address)).toEqual(['127.0.0.3']);

    const { url: bare } = await startAdmin({ table: tableOf(ingress('only', [rule('foo.com', path('/a', 'svc'))])) });
    const none = await get(`${bare}/explain?host=foo.com&path=/b`);
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ winner: null, endpoints: null });
    expect(none.json.candidates.map((c: any) => c.outcome)).toEqual(['no-match']);
  });

  test.each([
    ['/explain?path=/', 'host'],
    ['/explain?host=foo.com', 'path'],
    ['/explain', 'host'],
    ['/explain?host=a.com&host=b.com&path=/', 'host'],
    ['/explain?host=foo.com&path=/a&path=/b', 'path'],
  ])('%s is a 400 SWY_ADMIN_QUERY_INVALID naming %s', async (target, field) => {
    const { url } = await startAdmin();
    const answer = await get(url + target);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'SWY_ADMIN_QUERY_INVALID', field });
    expect(answer.headers['x-switchyard-error']).toBe('SWY_ADMIN_QUERY_INVALID');
    expect(typeof answer.json.error.message).toBe('string');
  });

  test.each([
    // %2G is not a percent-encoding; "relative" is not an absolute path.
    ['host=foo.com&path=/a%252G', 'SWY_REQUEST_BAD_PATH', 'path'],
    ['host=foo.com&path=relative', 'SWY_REQUEST_BAD_PATH', 'path'],
    ['host=foo%2Fbar.com&path=/', 'SWY_REQUEST_BAD_HOST', 'host'],
    ['host=foo.com:port&path=/', 'SWY_REQUEST_BAD_HOST', 'host'],
  ])('a request the router cannot normalize (%s) is a 400 with its code', async (query, code, field) => {
    const { url } = await startAdmin();
    const answer = await get(`${url}/explain?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code, field });
  });
});

describe('admin server: methods and paths', () => {
  test.each(['POST', 'PUT', 'DELETE'] as const)('%s on an admin endpoint is a 405 with Allow', async (method) => {
    const { url } = await startAdmin();
    for (const endpoint of ['/healthz', '/readyz', '/metrics', '/routes', '/explain']) {
      const answer = await get(url + endpoint, method, '{not json');
      expect(answer.status, `${method} ${endpoint}`).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
      expect(answer.json.error.code).toBe('SWY_ADMIN_METHOD_NOT_ALLOWED');
    }
  });

  test('HEAD is GET without a body', async () => {
    const { url } = await startAdmin();
    const answer = await get(`${url}/healthz`, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
  });

  test('any other path is a 404 JSON answer, whatever the method', async () => {
    const { url } = await startAdmin();
    for (const [target, method] of [['/nope', 'GET'], ['/healthz/extra', 'GET'], ['/', 'GET'], ['/nope', 'POST']] as const) {
      const answer = await get(url + target, method);
      expect(answer.status, `${method} ${target}`).toBe(404);
      expect(answer.json.error.code).toBe('SWY_ADMIN_NOT_FOUND');
      expect(answer.headers['x-switchyard-error']).toBe('SWY_ADMIN_NOT_FOUND');
    }
  });
});

describe('createAdminServer options', () => {
  const router = () => new Router({ table: standardTable(), discovery: new StaticDiscovery() });

  test.each([
    ['router', () => ({ router: {} as never, metrics: new GatewayMetrics({ defaultMetrics: false }) })],
    ['metrics', () => ({ router: router(), metrics: {} as never })],
    ['ready', () => ({ router: router(), metrics: new GatewayMetrics({ defaultMetrics: false }), ready: true as never })],
    ['status', () => ({ router: router(), metrics: new GatewayMetrics({ defaultMetrics: false }), status: {} as never })],
    ['certificates', () => ({ router: router(), metrics: new GatewayMetrics({ defaultMetrics: false }), certificates: {} as never })],
    ['logger', () => ({ router: router(), metrics: new GatewayMetrics({ defaultMetrics: false }), logger: 'info' as never })],
    ['errorLog', () => ({ router: router(), metrics: new GatewayMetrics({ defaultMetrics: false }), errorLog: {} as never })],
  ])('a bad %s is SWY_FASTIFY_INVALID_OPTIONS naming it', (field, options) => {
    const error = thrown(() => createAdminServer(options()));
    expect(isFastifyPluginError(error, 'SWY_FASTIFY_INVALID_OPTIONS')).toBe(true);
    expect((error as { field?: string }).field).toBe(field);
  });
});

describe('admin server: ?pretty', () => {
  test.each(['/routes', '/explain?host=foo.com&path=/exact'])('%s?pretty answers the same JSON, indented', async (target) => {
    const { url } = await startAdmin();
    const plain = await get(`${url}${target}`);
    const pretty = await get(`${url}${target}${target.includes('?') ? '&' : '?'}pretty`);
    expect(pretty.status).toBe(200);
    expect(pretty.headers['content-type']).toMatch(/^application\/json/);
    expect(pretty.json).toEqual(plain.json);
    expect(pretty.text).toBe(`${JSON.stringify(plain.json, null, 2)}\n`);
    expect(plain.text).not.toContain('\n');
  });
});
