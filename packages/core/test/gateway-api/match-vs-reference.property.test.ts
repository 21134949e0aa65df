import fc from 'fast-check';
import { compile, normalizeHost, type Gateway, type HTTPRoute, type Namespace } from '@switchyard/core';
import { referenceGatewayMatch } from '@switchyard/test-utils';
import { expect, test } from 'vitest';

/**
 * The compiled Gateway index against the reference matcher of test-utils (a linear scan written
 * from the spec, sharing no code with the compiler), on random Gateways, HTTPRoutes and
 * requests. Small alphabets make the interesting cases common: listeners that overlap,
 * hostnames that intersect or not, shared paths with different conditions, ties broken by age
 * and name. Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 3_000);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);

const LISTENER_HOSTNAMES = [undefined, 'a.com', '*.a.com', '*.b.a.com', 'x.b.a.com'];
const ROUTE_HOSTNAMES = ['a.com', 'b.a.com', '*.a.com', 'x.b.a.com', '*.b.a.com', 'other.org', '*.com'];
const REQUEST_HOSTS = ['a.com', 'b.a.com', 'x.b.a.com', 'y.b.a.com', 'z.a.com', 'q.x.b.a.com', 'other.org', 'com', 'A.COM:8080', ''];
const SEGMENTS = ['a', 'b', 'ab', 'c'];
const NAMESPACES = ['infra', 'team', 'team-a'];
const TIMES = [undefined, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'];

const path = fc.tuple(fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 3 }), fc.boolean()).map(([parts, slash]) => '/' + parts.join('/') + (slash && parts.length > 0 ? '/' : ''));
// Expressions JS RegExp also runs quickly (the reference matches with it), in the RE2 subset.
const PATH_REGEXES = ['/a/[a-c]+', '/(a|b)/.*', '/a.*', '/[ab]+/?', '/c'];
const pathMatch = fc.oneof(
  fc.record({ type: fc.constantFrom('Exact', 'PathPrefix'), value: path }),
  fc.record({ type: fc.constant('RegularExpression'), value: fc.constantFrom(...PATH_REGEXES) }),
);
const match = fc.record(
  {
    path: pathMatch,
    method: fc.constantFrom('GET', 'POST'),
    headers: fc.array(
      fc.oneof(
        fc.record({ name: fc.constantFrom('x-a', 'X-B'), value: fc.constantFrom('1', '2') }),
        fc.record({ type: fc.constant('RegularExpression'), name: fc.constantFrom('x-a', 'X-B'), value: fc.constantFrom('[12]', '2|3', '1+') }),
      ),
      { maxLength: 2 },
    ),
    queryParams: fc.array(fc.record({ name: fc.constantFrom('q', 'Q'), value: fc.constantFrom('1', '2') }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const rule = fc.record({ matches: fc.array(match, { maxLength: 3 }), backend: fc.constantFrom('s1', 's2') });
const routeBody = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  createdAt: fc.constantFrom(...TIMES),
  hostnames: fc.array(fc.constantFrom(...ROUTE_HOSTNAMES), { maxLength: 2 }),
  sectionName: fc.constantFrom(undefined, 'l0', 'l1', 'l2'),
  rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
});
const listeners = fc.array(fc.record({ hostname: fc.constantFrom(...LISTENER_HOSTNAMES), from: fc.constantFrom('All', 'Same', 'Selector') }), { minLength: 1, maxLength: 3 });
const request = fc.record({
  host: fc.constantFrom(...REQUEST_HOSTS),
  path: fc.tuple(fc.array(fc.constantFrom(...SEGMENTS, 'd'), { maxLength: 4 }), fc.boolean()).map(([parts, slash]) => '/' + parts.join('/') + (slash ? '/' : '')),
  method: fc.constantFrom('GET', 'POST'),
  headers: fc.dictionary(fc.constantFrom('x-a', 'x-b'), fc.constantFrom('1', '2')),
  query: fc.constantFrom('', 'q=1', 'q=2', 'q=1&q=2', 'Q=2&q=1', 'q'),
});

test(`compiled Gateway index = reference matcher (${RUNS} runs, seed ${SEED})`, () => {
  fc.assert(
    fc.property(listeners, fc.array(routeBody, { minLength: 1, maxLength: 5 }), fc.array(request, { minLength: 1, maxLength: 8 }), (listenerSpecs, bodies, requests) => {
      const gateway: Gateway = {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: 'infra', creationTimestamp: '2026-01-01T00:00:00Z' },
        spec: {
          gatewayClassName: 'switchyard',
          // Distinct hostnames per port: a repeated one is a conflict the validator refuses.
          listeners: dedupeBy(listenerSpecs, (l) => l.hostname ?? '').map((l, i) => ({
            name: `l${i}`,
            port: 80,
            protocol: 'HTTP',
            ...(l.hostname === undefined ? {} : { hostname: l.hostname }),
            allowedRoutes: { namespaces: l.from === 'Selector' ? { from: 'Selector', selector: { matchLabels: { team: 'yes' } } } : { from: l.from } },
          })),
        },
      };
      const namespaces: Namespace[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { team: 'yes' } } }];
      const httpRoutes: HTTPRoute[] = bodies.map((body, i) => ({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `r${i}`, namespace: body.namespace, ...(body.createdAt ? { creationTimestamp: body.createdAt } : {}) },
        spec: {
          parentRefs: [{ name: 'gw', namespace: 'infra', ...(body.sectionName ? { sectionName: body.sectionName } : {}) }],
          ...(body.hostnames.length > 0 ? { hostnames: [...new Set(body.hostnames)] } : {}),
          rules: body.rules.map((r) => ({
            ...(r.matches.length > 0 ? { matches: r.matches.map((m) => ({ ...m, ...(m.headers ? { headers: dedupeBy(m.headers, (h) => h.name.toLowerCase()) } : {}), ...(m.queryParams ? { queryParams: dedupeBy(m.queryParams, (q) => q.name) } : {}) })) } : {}),
            backendRefs: [{ name: r.backend, port: 80 }],
          })),
        },
      }));
      const { table, diagnostics } = compile({ ingresses: [], gatewayClass: 'switchyard', gateways: [gateway], httpRoutes, namespaces });
      const errors = diagnostics.filter((d) => d.severity === 'error');
      // A random route the API server would refuse (the validator's job, tested elsewhere) is left out of both.
      const valid = httpRoutes.filter((r) => !errors.some((d) => d.object === `${r.metadata.namespace}/${r.metadata.name}`));
      for (const r of requests) {
        const host = normalizeHost(r.host);
        const actual = table.gatewayPort(80)?.find(host, r.path, { method: r.method, headers: r.headers, query: r.query ? `?${r.query}` : '' });
        const expected = referenceGatewayMatch({ gateways: [gateway] as never, httpRoutes: valid as never, namespaces: namespaces as never }, { port: 80, host: r.host, path: r.path, method: r.method, headers: r.headers, query: r.query });
        const got = actual === undefined ? { kind: 'not-found' } : { kind: 'route', route: `${actual.rule.origin.namespace}/${actual.rule.origin.name}`, rule: actual.rule.index, match: actual.index };
        const want = expected.kind === 'not-found' ? { kind: 'not-found' } : { kind: 'route', route: expected.route, rule: expected.rule, match: expected.match };
        expect(got, `${r.method} ${r.host}${r.path}?${r.query} ${JSON.stringify(r.headers)}`).toEqual(want);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
