import fc from 'fast-check';
import { compile, normalizeHost, normalizePath, type HTTPIngressPath, type Ingress, type PathMatcherFactory } from '@switchyard/core';
import { createFindMyWayMatcher, createPrefixHashMatcher, createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { referenceMatch } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';

/**
 * The route table against a linear scan written straight from the spec, on random rule
 * sets and random requests. Small alphabets make collisions (conflicts, shared prefixes,
 * tier fall-through) common. Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);

const RULE_HOSTS = ['', 'a.com', 'b.a.com', '*.a.com', '*.b.a.com', 'x.b.a.com', '*.com'];
const REQUEST_HOSTS = ['a.com', 'b.a.com', 'x.b.a.com', 'y.b.a.com', 'z.a.com', 'A.COM:8080', 'b.a.com.', 'q.x.b.a.com', 'com', 'other.org', '10.0.0.1', '[::1]:80', ''];
// The API server refuses %2F in Exact and Prefix paths, so only requests carry it.
const SEGMENTS = ['a', 'b', 'ab', 'c', 'x:y', 'caf%C3%A9'];

const segment = fc.constantFrom(...SEGMENTS);
const rulePath = fc
  .tuple(fc.array(segment, { maxLength: 3 }), fc.boolean())
  .map(([parts, slash]) => '/' + parts.join('/') + (slash && parts.length > 0 ? '/' : ''));
const requestPath = fc
  .tuple(fc.array(fc.constantFrom(...SEGMENTS, 'd', '.', '..', '', '%61', 'a%2Fb', 'caf%c3%a9'), { maxLength: 5 }), fc.boolean(), fc.boolean())
  .map(([parts, slash, query]) => '/' + parts.join('/') + (slash ? '/' : '') + (query ? '?q=/a' : ''));
const backend = fc.constantFrom('s1', 's2', 's3').map((name) => ({ service: { name, port: { number: 80 } } }));
const httpPath = fc.record({
  path: rulePath,
  pathType: fc.constantFrom('Exact', 'Prefix', 'ImplementationSpecific') as fc.Arbitrary<HTTPIngressPath['pathType']>,
  backend,
});
const ingressBody = fc.record({
  rules: fc.array(fc.record({ host: fc.constantFrom(...RULE_HOSTS), paths: fc.array(httpPath, { minLength: 1, maxLength: 4 }) }), { maxLength: 4 }),
  defaultBackend: fc.option(backend, { nil: undefined }),
  createdAt: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'), { nil: undefined }),
  // 'team' is a prefix of 'team-a': ties break on "namespace/name" as one string.
  namespace: fc.constantFrom('default', 'team', 'team-a', 'team-b'),
});
const ingresses = fc.array(ingressBody, { minLength: 1, maxLength: 5 }).map((bodies) =>
  bodies
    .map((body, i): Ingress => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `ing-${i}`, namespace: body.namespace, ...(body.createdAt ? { creationTimestamp: body.createdAt } : {}) },
      spec: {
        ...(body.defaultBackend ? { defaultBackend: body.defaultBackend } : {}),
        rules: body.rules.map(({ host, paths }) => ({ ...(host ? { host } : {}), http: { paths } })),
      },
    }))
    .filter((ingress) => (ingress.spec?.rules?.length ?? 0) > 0 || ingress.spec?.defaultBackend),
);
const requests = fc.array(fc.tuple(fc.constantFrom(...REQUEST_HOSTS), requestPath), { minLength: 1, maxLength: 8 });

// find-my-way is the benchmark's peer, not the engine, and slow to build (it generates
// code per table), so it gets a tenth of the runs.
describe.each([
  ['prefix hash', createPrefixHashMatcher, RUNS],
  ['segment trie', createSegmentTrieMatcher, RUNS],
  ['find-my-way', createFindMyWayMatcher, Math.ceil(RUNS / 10)],
] as Array<[string, PathMatcherFactory, number]>)('route table (%s) against the reference matcher', (_name, pathMatcher, runs) => {
  test(`agrees on ${runs} random rule sets (seed ${SEED})`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(ingresses, requests, (objects, sample) => {
        const { table, diagnostics } = compile({ ingresses: objects, pathMatcher });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (const [host, path] of sample) {
          const expected = referenceMatch(objects, normalizeHost(host), normalizePath(path));
          const actual = table.match(host, path);
          const answer = actual && { namespace: actual.origin.namespace, name: actual.origin.name, field: actual.field };
          expect(answer, `${host} ${path}`).toEqual(expected);
          expect(table.explain(host, path).winner).toBe(actual?.route);
        }
      }),
      { numRuns: runs, seed: SEED },
    );
  });
});
