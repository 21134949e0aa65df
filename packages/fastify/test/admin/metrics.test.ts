import { Router, StaticDiscovery, type BackendRef, type Discovery, type EndpointSet, type Route } from '@switchyard/core';
import { AggregatorRegistry, Registry, register as globalRegistry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { GatewayMetrics } from '../../src/admin/metrics.js';
import { isFastifyPluginError } from '../../src/errors.js';
import { STANDARD_ENDPOINTS, get, ingress, path, sample, samples, standardTable, startAdmin, tableOf } from './fixtures.js';
import { rule, thrown } from '@switchyard/test-utils';

/** The exposition as a scraper sees it: a real GET /metrics. */
async function scrape(url: string): Promise<string> {
  const answer = await get(`${url}/metrics`);
  expect(answer.status).toBe(200);
  return answer.text;
}

function routeOf(router: Router, host: string, requestPath: string): Route {
  const match = router.table.match(host, requestPath);
  if (match === undefined) throw new Error(`no route for ${host}${requestPath}`);
  return match.route;
}

describe('GatewayMetrics: requests', () => {
  test('counts requests by rule host, backend and status, and answers with a SWY code by code', async () => {
    const { url, router, metrics } = await startAdmin();
    const root = routeOf(router, 'foo.com', '/page');
    const exact = routeOf(router, 'foo.com', '/exact');
    for (let i = 0; i < 3; i++) metrics.requestFinished(root, 200, 0.002);
    metrics.requestFinished(exact, 200, 0.002);
    metrics.requestFinished(root, 503, 0.001, 'SWY_PROXY_NO_ENDPOINT');
    metrics.requestFinished(routeOf(router, 'elsewhere.org', '/'), 204, 0.001);
    metrics.requestFinished(routeOf(router, 'elsewhere.org', '/api/x'), 502, 0.001, 'SWY_PROXY_UPSTREAM_FAILED');
    metrics.requestFinished(undefined, 404, 0.0001, 'SWY_PROXY_NO_ROUTE');
    metrics.requestFinished(undefined, 400, 0.0001, 'SWY_PROXY_BAD_REQUEST');

    const text = await scrape(url);
    // Two rules of one host and backend share a series.
    expect(sample(text, 'switchyard_requests_total', { host: 'foo.com', backend: 'default/svc:80', status: '200', protocol: 'http1' })).toBe(4);
    expect(sample(text, 'switchyard_requests_total', { host: 'foo.com', backend: 'default/svc:80', status: '503', protocol: 'http1' })).toBe(1);
    // The default backend and hostless rules are labelled '*'; answers without a route ''.
    expect(sample(text, 'switchyard_requests_total', { host: '*', backend: 'default/fallback:80', status: '204', protocol: 'http1' })).toBe(1);
    expect(sample(text, 'switchyard_requests_total', { host: '*', backend: 'default/missing:80', status: '502', protocol: 'http1' })).toBe(1);
    expect(sample(text, 'switchyard_requests_total', { host: '', backend: '', status: '404', protocol: 'http1' })).toBe(1);
    expect(sample(text, 'switchyard_requests_total', { host: '', backend: '', status: '400', protocol: 'http1' })).toBe(1);
    expect(samples(text, 'switchyard_requests_total')).toHaveLength(6);
    expect(samples(text, 'switchyard_errors_total')).toEqual(
      expect.arrayContaining([
        { labels: { code: 'SWY_PROXY_NO_ENDPOINT' }, value: 1 },
        { labels: { code: 'SWY_PROXY_UPSTREAM_FAILED' }, value: 1 },
        { labels: { code: 'SWY_PROXY_NO_ROUTE' }, value: 1 },
        { labels: { code: 'SWY_PROXY_BAD_REQUEST' }, value: 1 },
      ]),
    );
    expect(samples(text, 'switchyard_errors_total')).toHaveLength(4);
  });

  test('a RouteMatch counts into its route\'s series', async () => {
    const { url, router, metrics } = await startAdmin();
    metrics.requestFinished(router.table.match('foo.com', '/a')!, 200, 0.01);
    metrics.requestFinished(router.table.match('foo.com', '/b')!, 200, 0.01);
    metrics.requestFinished(routeOf(router, 'foo.com', '/c'), 200, 0.01);
    const text = await scrape(url);
    expect(samples(text, 'switchyard_requests_total')).toEqual([{ labels: { host: 'foo.com', backend: 'default/svc:80', status: '200', protocol: 'http1' }, value: 3 }]);
  });

  test('durations land in cumulative buckets from 1 ms to 30 s, a value on a bound in that bound\'s bucket', async () => {
    const { url, router, metrics } = await startAdmin();
    const root = routeOf(router, 'foo.com', '/');
    const durations = [0.0005, 0.001, 0.003, 0.2, 45];
    for (const seconds of durations) metrics.requestFinished(root, 200, seconds);
    const text = await scrape(url);
    expect(text).toContain('# TYPE switchyard_request_duration_seconds histogram');
    const labels = { host: 'foo.com', backend: 'default/svc:80' };
    const bucket = (le: string) => sample(text, 'switchyard_request_duration_seconds_bucket', { ...labels, le });
    expect(samples(text, 'switchyard_request_duration_seconds_bucket').map((s) => s.labels.le)).toEqual(['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '+Inf']);
    expect(bucket('0.001')).toBe(2);
    expect(bucket('0.0025')).toBe(2);
    expect(bucket('0.005')).toBe(3);
    expect(bucket('0.1')).toBe(3);
    expect(bucket('0.25')).toBe(4);
    expect(bucket('30')).toBe(4);
    expect(bucket('+Inf')).toBe(5);
    expect(sample(text, 'switchyard_request_duration_seconds_count', labels)).toBe(5);
    expect(sample(text, 'switchyard_request_duration_seconds_sum', labels)).toBeCloseTo(durations.reduce((a, b) => a + b), 9);
  });

  test('upstream latency, retries and ejections are counted per backend', async () => {
    const { url, router, metrics } = await startAdmin();
    const root = routeOf(router, 'foo.com', '/');
    const wild = routeOf(router, 'x.wild.com', '/');
    metrics.upstreamLatency(root, 0.004);
    metrics.upstreamLatency(wild, 0.04);
    metrics.retried(root);
    metrics.retried(wild);
    metrics.ejected(wild);
    const text = await scrape(url);
    const backend = { backend: 'default/svc:80' };
    expect(sample(text, 'switchyard_upstream_latency_seconds_count', backend)).toBe(2);
    expect(sample(text, 'switchyard_upstream_latency_seconds_bucket', { ...backend, le: '0.005' })).toBe(1);
    expect(sample(text, 'switchyard_upstream_latency_seconds_bucket', { ...backend, le: '0.05' })).toBe(2);
    expect(sample(text, 'switchyard_upstream_retries_total', backend)).toBe(2);
    expect(sample(text, 'switchyard_endpoint_ejections_total', backend)).toBe(1);
  });

  test('a route\'s recorder (forRoute) counts into the series the calls with the route use, status by status', async () => {
    const { url, router, metrics } = await startAdmin();
    const root = routeOf(router, 'foo.com', '/');
    const recorder = metrics.forRoute(root);
    // Alternating statuses: each goes to its own cell, whatever status came just before.
    for (const status of [200, 200, 503, 200, 503, 404]) recorder.requestFinished(status, 0.002, status === 503 ? 'SWY_PROXY_NO_ENDPOINT' : undefined);
    metrics.requestFinished(root, 200, 0.002);
    recorder.upstreamLatency(0.004);
    recorder.retried();
    recorder.ejected();
    const text = await scrape(url);
    const series = { host: 'foo.com', backend: 'default/svc:80' };
    expect(sample(text, 'switchyard_requests_total', { ...series, status: '200', protocol: 'http1' })).toBe(4);
    expect(sample(text, 'switchyard_requests_total', { ...series, status: '503', protocol: 'http1' })).toBe(2);
    expect(sample(text, 'switchyard_requests_total', { ...series, status: '404', protocol: 'http1' })).toBe(1);
    expect(sample(text, 'switchyard_request_duration_seconds_count', series)).toBe(7);
    expect(sample(text, 'switchyard_errors_total', { code: 'SWY_PROXY_NO_ENDPOINT' })).toBe(2);
    const backend = { backend: 'default/svc:80' };
    expect(sample(text, 'switchyard_upstream_latency_seconds_count', backend)).toBe(1);
    expect(sample(text, 'switchyard_upstream_retries_total', backend)).toBe(1);
    expect(sample(text, 'switchyard_endpoint_ejections_total', backend)).toBe(1);
  });

  test('a route\'s recorder checks values as the calls with the route do, and counts nothing for a bad one', async () => {
    const { url, router, metrics } = await startAdmin();
    const recorder = metrics.forRoute(routeOf(router, 'foo.com', '/'));
    const cases: Array<[() => void, string]> = [
      [() => recorder.requestFinished(200, -1), 'durationSeconds'],
      [() => recorder.requestFinished(42, 0.1), 'statusCode'],
      [() => recorder.requestFinished(500, 0.1, 'SWY_MADE_UP'), 'errorCode'],
      [() => recorder.upstreamLatency(Number.NaN), 'seconds'],
    ];
    for (const [call, field] of cases) expect(thrown(call)).toMatchObject({ code: 'SWY_ADMIN_METRIC_VALUE_INVALID', field });
    const text = await scrape(url);
    expect(samples(text, 'switchyard_requests_total')).toEqual([]);
    expect(samples(text, 'switchyard_errors_total')).toEqual([]);
  });

  test('many request hosts on one wildcard rule stay one series', async () => {
    const { url, router, metrics } = await startAdmin();
    for (let i = 0; i < 2000; i++) {
      const match = router.table.match(`client-${i}.wild.com`, `/item/${i}`)!;
      metrics.requestFinished(match, 200, 0.001);
    }
    const text = await scrape(url);
    expect(samples(text, 'switchyard_requests_total')).toEqual([{ labels: { host: '*.wild.com', backend: 'default/svc:80', status: '200', protocol: 'http1' }, value: 2000 }]);
    expect(samples(text, 'switchyard_request_duration_seconds_count')).toHaveLength(1);
    expect(text).not.toContain('client-');
    expect(text).not.toContain('/item/');
  });

  test('bad values are SWY_ADMIN_METRIC_VALUE_INVALID naming the argument, and count nothing', async () => {
    const { url, router, metrics } = await startAdmin();
    const root = routeOf(router, 'foo.com', '/');
    const cases: Array<[() => void, string]> = [
      [() => metrics.requestFinished(root, 200, -1), 'durationSeconds'],
      [() => metrics.requestFinished(root, 200, Number.NaN), 'durationSeconds'],
      [() => metrics.requestFinished(root, 200, Number.POSITIVE_INFINITY), 'durationSeconds'],
      [() => metrics.requestFinished(root, 42, 0.1), 'statusCode'],
      [() => metrics.requestFinished(root, 200.5, 0.1), 'statusCode'],
      [() => metrics.requestFinished(root, 500, 0.1, 'SWY_MADE_UP'), 'errorCode'],
      [() => metrics.upstreamLatency(root, -0.1), 'seconds'],
    ];
    for (const [call, field] of cases) {
      const error = thrown(call);
      expect(isFastifyPluginError(error, 'SWY_ADMIN_METRIC_VALUE_INVALID'), field).toBe(true);
      expect((error as { field?: string }).field).toBe(field);
    }
    const text = await scrape(url);
    expect(samples(text, 'switchyard_requests_total')).toEqual([]);
    expect(samples(text, 'switchyard_errors_total')).toEqual([]);
    expect(sample(text, 'switchyard_request_duration_seconds_count', { host: 'foo.com', backend: 'default/svc:80' })).toBe(0);
  });

  test('discovery errors are counted by source and code', async () => {
    const { url, metrics } = await startAdmin();
    metrics.discoveryError('kubernetes', 'SWY_KUBE_WATCH_FAILED');
    metrics.discoveryError('kubernetes', 'SWY_KUBE_WATCH_FAILED');
    metrics.discoveryError('dns', 'SWY_DNS_LOOKUP_FAILED');
    const text = await scrape(url);
    expect(sample(text, 'switchyard_discovery_errors_total', { source: 'kubernetes', code: 'SWY_KUBE_WATCH_FAILED' })).toBe(2);
    expect(sample(text, 'switchyard_discovery_errors_total', { source: 'dns', code: 'SWY_DNS_LOOKUP_FAILED' })).toBe(1);
  });
});

describe('GatewayMetrics: router state, read at scrape time', () => {
  test('the table version and route count follow router.update', async () => {
    const { url, router } = await startAdmin();
    const first = await scrape(url);
    expect(sample(first, 'switchyard_route_table_version')).toBe(router.table.version);
    expect(sample(first, 'switchyard_route_table_routes')).toBe(5);
    expect(sample(first, 'switchyard_backends_watched')).toBe(3);
    const next = tableOf(ingress('other', [rule('bar.com', path('/x', 'svc'))]));
    router.update(next);
    const second = await scrape(url);
    expect(sample(second, 'switchyard_route_table_version')).toBe(next.version);
    expect(sample(second, 'switchyard_route_table_routes')).toBe(1);
    expect(sample(second, 'switchyard_backends_watched')).toBe(1);
    // Backends the table dropped leave the per-backend gauges.
    expect(samples(second, 'switchyard_backend_endpoints').map((s) => s.labels.backend)).toEqual(['default/svc:80']);
  });

  test('endpoints per backend, all and eligible, follow StaticDiscovery.update', async () => {
    const { url, discovery } = await startAdmin();
    const svc = { backend: 'default/svc:80' };
    const before = await scrape(url);
    expect(sample(before, 'switchyard_backend_endpoints', svc)).toBe(2);
    expect(sample(before, 'switchyard_backend_eligible_endpoints', svc)).toBe(1);
    expect(sample(before, 'switchyard_backend_endpoints', { backend: 'default/fallback:80' })).toBe(1);
    expect(sample(before, 'switchyard_backend_stale', svc)).toBe(0);

    discovery.update({
      endpoints: {
        ...STANDARD_ENDPOINTS,
        'default/svc:80': [
          { address: '10.0.0.1', port: 80 },
          { address: '10.0.0.2', port: 80 },
          { address: '10.0.0.3', port: 80, ready: false, serving: false },
        ],
      },
    });
    const after = await scrape(url);
    expect(sample(after, 'switchyard_backend_endpoints', svc)).toBe(3);
    expect(sample(after, 'switchyard_backend_eligible_endpoints', svc)).toBe(2);
  });

  test('a backend whose Service is missing shows its discovery problem until it resolves', async () => {
    const { url, discovery } = await startAdmin();
    const missing = 'default/missing:80';
    const before = await scrape(url);
    expect(samples(before, 'switchyard_backend_discovery_problem')).toEqual([{ labels: { backend: missing, code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND' }, value: 1 }]);
    expect(sample(before, 'switchyard_backend_endpoints', { backend: missing })).toBe(0);
    expect(sample(before, 'switchyard_backend_eligible_endpoints', { backend: missing })).toBe(0);

    discovery.update({ endpoints: { ...STANDARD_ENDPOINTS, [missing]: [{ address: '10.0.0.9', port: 80 }] } });
    const after = await scrape(url);
    expect(samples(after, 'switchyard_backend_discovery_problem')).toEqual([]);
    expect(sample(after, 'switchyard_backend_eligible_endpoints', { backend: missing })).toBe(1);
  });

  test('a stale set (the source failing, last good endpoints kept) is flagged with its problem', async () => {
    // A discovery of our own: StaticDiscovery never keeps a stale set, a failing live source does.
    const pushes = new Map<string, (set: EndpointSet) => void>();
    const failing: Discovery = {
      watch(_backend: BackendRef, onChange: (set: EndpointSet) => void) {
        pushes.set('svc', onChange);
        return () => pushes.delete('svc');
      },
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const table = tableOf(ingress('web', [rule('foo.com', path('/', 'svc'))]));
    const router = new Router({ table, discovery: failing });
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.observeRouter(router);
    const backend = { backend: 'default/svc:80' };

    // Watched, nothing pushed yet: no endpoints, not stale.
    const pending = (await metrics.scrape()).body;
    expect(sample(pending, 'switchyard_backend_endpoints', backend)).toBe(0);
    expect(sample(pending, 'switchyard_backend_stale', backend)).toBe(0);

    const endpoint = { address: '10.0.0.1', port: 80, ready: true, serving: true, terminating: false };
    pushes.get('svc')!({ backendKey: 'default/svc:80', version: 2, endpoints: [endpoint], stale: true, problem: { code: 'SWY_DNS_LOOKUP_FAILED', message: 'timeout', since: Date.now() } });
    const stale = (await metrics.scrape()).body;
    expect(sample(stale, 'switchyard_backend_stale', backend)).toBe(1);
    expect(sample(stale, 'switchyard_backend_eligible_endpoints', backend)).toBe(1);
    expect(sample(stale, 'switchyard_backend_discovery_problem', { ...backend, code: 'SWY_DNS_LOOKUP_FAILED' })).toBe(1);
    router.close();
  });
});

describe('GatewayMetrics: registry, prefix and exposition', () => {
  test('/metrics serves the registry\'s content type with the default process metrics, prefixed', async () => {
    const { url } = await startAdmin();
    const answer = await get(`${url}/metrics`);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(answer.text, 'switchyard_process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(answer.text).toContain('# TYPE switchyard_nodejs_heap_size_total_bytes gauge');
    expect(answer.text).not.toMatch(/^process_cpu_user_seconds_total/m);
  });

  test('a given registry and prefix are used; prom-client\'s global registry is never touched', async () => {
    const registry = new Registry();
    const globalBefore = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
    const metrics = new GatewayMetrics({ registry, prefix: 'edge_' });
    expect(metrics.registry).toBe(registry);
    const { url, router } = await startAdmin({ metrics });
    metrics.requestFinished(routeOf(router, 'foo.com', '/'), 200, 0.01);
    const text = await scrape(url);
    expect(sample(text, 'edge_requests_total', { host: 'foo.com', backend: 'default/svc:80', status: '200', protocol: 'http1' })).toBe(1);
    expect(sample(text, 'edge_process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain('switchyard_');
    expect((await globalRegistry.getMetricsAsJSON()).map((m) => m.name)).toEqual(globalBefore);
    expect(new GatewayMetrics({ defaultMetrics: false }).registry).not.toBe(globalRegistry);
  });

  test('a second GatewayMetrics on the same registry and prefix is SWY_ADMIN_METRIC_CONFLICT and leaves the registry as it was', async () => {
    const registry = new Registry();
    new GatewayMetrics({ registry, defaultMetrics: false });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    const error = thrown(() => new GatewayMetrics({ registry, defaultMetrics: false }));
    expect(isFastifyPluginError(error, 'SWY_ADMIN_METRIC_CONFLICT')).toBe(true);
    expect((error as { field?: string }).field).toBe('registry');
    expect((await registry.getMetricsAsJSON()).map((m) => m.name)).toEqual(names);
    // Another prefix on the same registry is fine.
    expect(() => new GatewayMetrics({ registry, prefix: 'other_', defaultMetrics: false })).not.toThrow();
  });

  test('default metrics collected twice on one registry are a conflict too', () => {
    const registry = new Registry();
    new GatewayMetrics({ registry, prefix: 'a_' });
    // Different own names, same default metrics prefix: refused.
    const error = thrown(() => new GatewayMetrics({ registry, prefix: 'a_', defaultMetrics: true }));
    expect(isFastifyPluginError(error, 'SWY_ADMIN_METRIC_CONFLICT')).toBe(true);
  });

  test.each([['1abc'], ['with-dash_'], ['space '], [42 as never]])('prefix %j is SWY_FASTIFY_INVALID_OPTIONS', (prefix) => {
    const error = thrown(() => new GatewayMetrics({ prefix }));
    expect(isFastifyPluginError(error, 'SWY_FASTIFY_INVALID_OPTIONS')).toBe(true);
    expect((error as { field?: string }).field).toBe('prefix');
  });

  test('an empty prefix is allowed; without a router no router gauges are exposed', async () => {
    const metrics = new GatewayMetrics({ prefix: '', defaultMetrics: false });
    const text = (await metrics.scrape()).body;
    expect(text).toContain('# TYPE requests_total counter');
    expect(text).not.toContain('route_table_version');
  });

  test('registry.resetMetrics() zeroes the series, which keep counting afterwards', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const router = new Router({ table: standardTable(), discovery: new StaticDiscovery({ endpoints: STANDARD_ENDPOINTS }) });
    const root = routeOf(router, 'foo.com', '/');
    const labels = { host: 'foo.com', backend: 'default/svc:80', status: '200', protocol: 'http1' };
    metrics.requestFinished(root, 200, 0.5);
    metrics.registry.resetMetrics();
    const reset = (await metrics.scrape()).body;
    expect(sample(reset, 'switchyard_requests_total', labels)).toBe(0);
    expect(sample(reset, 'switchyard_request_duration_seconds_bucket', { host: 'foo.com', backend: 'default/svc:80', le: '+Inf' })).toBe(0);
    metrics.requestFinished(root, 200, 0.5);
    expect(sample((await metrics.scrape()).body, 'switchyard_requests_total', labels)).toBe(1);
    router.close();
  });

  test('aggregated over cluster workers (prom-client AggregatorRegistry), router gauges are not multiplied and counters add up', async () => {
    const router = new Router({ table: standardTable(), discovery: new StaticDiscovery({ endpoints: STANDARD_ENDPOINTS }) });
    const workers = [new GatewayMetrics({ defaultMetrics: false }), new GatewayMetrics({ defaultMetrics: false })];
    const root = routeOf(router, 'foo.com', '/');
    for (const metrics of workers) {
      metrics.observeRouter(router);
      metrics.requestFinished(root, 200, 0.1);
    }
    const aggregated = AggregatorRegistry.aggregate(await Promise.all(workers.map((m) => m.registry.getMetricsAsJSON())));
    const text = await aggregated.metrics();
    expect(sample(text, 'switchyard_route_table_version')).toBe(router.table.version);
    expect(sample(text, 'switchyard_backend_endpoints', { backend: 'default/svc:80' })).toBe(2);
    expect(sample(text, 'switchyard_requests_total', { host: 'foo.com', backend: 'default/svc:80', status: '200', protocol: 'http1' })).toBe(2);
    router.close();
  });
});

describe('GatewayMetrics: gRPC calls by grpc-status', () => {
  test('a grpc-status from 0 to 16 is its own label value, anything past it `other`; requests without one count in requests_total only', async () => {
    const table = tableOf(ingress('web', [rule('grpc.example', path('/', 'svc'))]));
    const route = table.match('grpc.example', '/pkg.Svc/Call')!;
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.requestFinished(route, 200, 0.01, undefined, 'h2c', 0);
    metrics.requestFinished(route, 200, 0.01, undefined, 'h2c', 0);
    metrics.requestFinished(route, 200, 0.01, 'SWY_PROXY_UPSTREAM_TIMEOUT', 'h2c', 4);
    metrics.requestFinished(route, 200, 0.01, undefined, 'h2c', 99);
    metrics.requestFinished(route, 200, 0.01, undefined, 'h2c');
    const body = (await metrics.scrape()).body;
    const labels = (grpc_status: string) => ({ host: 'grpc.example', backend: 'default/svc:80', grpc_status });
    expect(sample(body, 'switchyard_grpc_requests_total', labels('0'))).toBe(2);
    expect(sample(body, 'switchyard_grpc_requests_total', labels('4'))).toBe(1);
    expect(sample(body, 'switchyard_grpc_requests_total', labels('other'))).toBe(1);
    expect(sample(body, 'switchyard_requests_total', { host: 'grpc.example', backend: 'default/svc:80', status: '200', protocol: 'h2c' })).toBe(5);
  });
});
