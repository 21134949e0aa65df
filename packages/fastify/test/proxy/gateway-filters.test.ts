import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'undici';
import { ERROR_HEADER, GatewayMetrics } from '@switchyard/fastify';
import { metricValue } from '../helpers/metric-value.js';
import { eventually, startUpstream, type SeenRequest, type Upstream } from '@switchyard/test-utils';
import { backendYaml, gatewayYaml, httpRouteYaml, startGatewayApp, type GatewayApp } from '../helpers/gateway-api.js';

/**
 * HTTPRoute filters, weights, unresolved backends and timeouts through the plugin, with real
 * upstreams: what the upstream received, and what the client got.
 */
const upstreams: Record<string, Upstream> = {};
let gw: GatewayApp;
const metrics = new GatewayMetrics({ defaultMetrics: false });

beforeAll(async () => {
  for (const name of ['main', 'canary', 'never', 'mirror', 'slow']) upstreams[name] = await startUpstream(name);
  const manifests = [
    gatewayYaml(80),
    ...Object.entries(upstreams).map(([name, upstream]) => backendYaml(name, upstream.port)),
    httpRouteYaml('headers', 'headers.test', `    - filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{ name: X-Set, value: set-value }]
            add: [{ name: X-Add, value: added }]
            remove: [X-Remove]
        - type: ResponseHeaderModifier
          responseHeaderModifier:
            set: [{ name: X-Response, value: from-gateway }]
            remove: [X-Upstream]
      backendRefs: [{ name: main, port: 80 }]
`),
    httpRouteYaml('redirect', 'redirect.test', `    - matches: [{ path: { type: PathPrefix, value: /old } }]
      filters:
        - type: RequestRedirect
          requestRedirect: { scheme: https, statusCode: 301, path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } }
`),
    httpRouteYaml('rewrite', 'rewrite.test', `    - matches: [{ path: { type: PathPrefix, value: /api } }]
      filters:
        - type: URLRewrite
          urlRewrite: { hostname: internal.example, path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } }
      backendRefs: [{ name: main, port: 80 }]
`),
    httpRouteYaml('split', 'split.test', `    - backendRefs:
        - { name: main, port: 80, weight: 80 }
        - { name: canary, port: 80, weight: 20 }
        - { name: never, port: 80, weight: 0 }
`),
    httpRouteYaml('broken', 'broken.test', `    - matches: [{ path: { type: PathPrefix, value: /half } }]
      backendRefs:
        - { name: main, port: 80, weight: 1 }
        - { name: missing, port: 80, weight: 1 }
    - matches: [{ path: { type: PathPrefix, value: /none } }]
    - matches: [{ path: { type: PathPrefix, value: /extension } }]
      filters: [{ type: ExtensionRef, extensionRef: { group: example.com, kind: Auth, name: check } }]
      backendRefs: [{ name: main, port: 80 }]
`),
    httpRouteYaml('mirrored', 'mirror.test', `    - filters:
        - type: RequestMirror
          requestMirror: { backendRef: { name: mirror, port: 80 } }
      backendRefs: [{ name: main, port: 80 }]
`),
    httpRouteYaml('timeouts', 'timeouts.test', `    - matches: [{ path: { type: PathPrefix, value: /request } }]
      timeouts: { request: 300ms }
      backendRefs: [{ name: slow, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /backend } }]
      timeouts: { request: 10s, backendRequest: 300ms }
      backendRefs: [{ name: slow, port: 80 }]
`),
  ].join('');
  gw = await startGatewayApp(manifests, 80, { observer: metrics });
});
afterAll(async () => {
  await gw?.close();
  for (const upstream of Object.values(upstreams)) await upstream.close();
});

async function get(host: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; seen: SeenRequest | undefined; text: string }> {
  const response = await request(`${gw.url}${path}`, { headers: { host, ...headers } });
  const text = await response.body.text();
  let seen: SeenRequest | undefined;
  try {
    seen = JSON.parse(text) as SeenRequest;
  } catch {
    seen = undefined;
  }
  return { status: response.statusCode, headers: response.headers, seen, text };
}

describe('header modifiers', () => {
  test('RequestHeaderModifier sets, appends and removes what the upstream gets', async () => {
    const { status, seen } = await get('headers.test', '/', { 'x-set': 'client-value', 'x-add': 'client', 'x-remove': 'gone' });
    expect(status).toBe(200);
    expect(seen!.headers['x-set']).toBe('set-value');
    expect(seen!.headers['x-add']).toBe('client,added');
    expect(seen!.headers['x-remove']).toBeUndefined();
  });

  test('ResponseHeaderModifier changes what the client gets', async () => {
    const { status, headers, seen } = await get('headers.test', '/');
    expect(status).toBe(200);
    expect(seen!.upstream).toBe('main');
    expect(headers['x-response']).toBe('from-gateway');
    expect(headers['x-upstream']).toBeUndefined();
  });
});

test('RequestRedirect answers with the Location the filter makes, nothing sent upstream', async () => {
  const before = upstreams.main!.seen.length;
  const { status, headers } = await get('redirect.test', '/old/page?x=1');
  expect(status).toBe(301);
  expect(headers.location).toBe('https://redirect.test/new/page?x=1');
  expect(upstreams.main!.seen.length).toBe(before);
});

test('URLRewrite replaces the matched prefix and the Host the upstream gets; X-Forwarded-Host stays the client\'s', async () => {
  const { status, seen } = await get('rewrite.test', '/api/users?id=7');
  expect(status).toBe(200);
  expect(seen!.url).toBe('/v2/users?id=7');
  expect(seen!.headers.host).toBe('internal.example');
  expect(seen!.headers['x-forwarded-host']).toBe('rewrite.test');
});

test('weights split traffic per request; a backendRef of weight 0 gets none', async () => {
  const counts: Record<string, number> = {};
  for (let i = 0; i < 400; i++) {
    const { seen } = await get('split.test', '/');
    counts[seen!.upstream] = (counts[seen!.upstream] ?? 0) + 1;
  }
  expect(counts.never).toBeUndefined();
  // 80/20 by weight: 320 expected of main; far outside chance below 270 or above 360.
  expect(counts.main).toBeGreaterThan(270);
  expect(counts.main).toBeLessThan(360);
  expect(counts.main! + counts.canary!).toBe(400);
  // Counted by HTTPRoute rule, whichever backend took each request.
  expect(await metricValue({ metrics }, 'httproute_requests_total', { route: 'default/split', rule: '0', status: '200' })).toBe(400);
});

describe('what cannot be served is answered 500, never skipped', () => {
  test("a backendRef to a missing Service gets its share of requests answered 500, the other backend the rest", async () => {
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 100; i++) {
      const { status, headers } = await get('broken.test', '/half');
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 500) expect(headers[ERROR_HEADER]).toBe('SWY_PROXY_ROUTE_INVALID');
    }
    expect(statuses[200]).toBeGreaterThan(20);
    expect(statuses[500]).toBeGreaterThan(20);
    expect(statuses[200]! + statuses[500]!).toBe(100);
  });

  test('a rule without backendRefs or a redirect answers 500', async () => {
    const { status, headers, text } = await get('broken.test', '/none');
    expect({ status, code: headers[ERROR_HEADER] }).toEqual({ status: 500, code: 'SWY_PROXY_ROUTE_INVALID' });
    expect(text).toMatch(/no backendRefs/);
  });

  test('a rule with a filter Switchyard does not support answers 500 rather than skip the filter', async () => {
    const before = upstreams.main!.seen.length;
    const { status, headers, text } = await get('broken.test', '/extension');
    expect({ status, code: headers[ERROR_HEADER] }).toEqual({ status: 500, code: 'SWY_PROXY_ROUTE_INVALID' });
    expect(text).toMatch(/ExtensionRef is not supported/);
    expect(upstreams.main!.seen.length).toBe(before);
  });

  test('the compile said so', () => {
    const codes = gw.diagnostics.map((d) => `${d.code} ${d.object} ${d.field}`);
    expect(codes).toContain('SWY_HTTPROUTE_BACKEND_UNRESOLVED default/broken spec.rules[0].backendRefs[1]');
    expect(codes).toContain('SWY_HTTPROUTE_RULE_UNSUPPORTED default/broken spec.rules[2].filters[0].type');
  });
});

test('RequestMirror sends a copy the client never waits for', async () => {
  const mirror = upstreams.mirror!;
  let release: (() => void) | undefined;
  mirror.hold = (send) => (release = send);
  try {
    const { status, seen } = await get('mirror.test', '/copied?a=1');
    // Answered while the mirror still holds its copy.
    expect(status).toBe(200);
    expect(seen!.upstream).toBe('main');
    await eventually('the mirror to receive the copy', () => release !== undefined);
  } finally {
    mirror.hold = undefined;
    release?.();
  }
  await eventually('the mirror to record the copy', () => mirror.seen.some((s) => s.url === '/copied?a=1'));
});

describe('timeouts', () => {
  test('timeouts.request: a slow upstream gets 504 after the rule\'s time, not the proxy\'s', async () => {
    upstreams.slow!.hold = () => undefined;
    try {
      const started = performance.now();
      const { status, headers } = await get('timeouts.test', '/request');
      expect({ status, code: headers[ERROR_HEADER] }).toEqual({ status: 504, code: 'SWY_PROXY_UPSTREAM_TIMEOUT' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      upstreams.slow!.hold = undefined;
    }
  });

  test('timeouts.backendRequest bounds each attempt', async () => {
    upstreams.slow!.hold = () => undefined;
    try {
      const { status, headers } = await get('timeouts.test', '/backend');
      expect({ status, code: headers[ERROR_HEADER] }).toEqual({ status: 504, code: 'SWY_PROXY_UPSTREAM_TIMEOUT' });
    } finally {
      upstreams.slow!.hold = undefined;
    }
  });
});
