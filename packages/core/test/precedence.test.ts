import type { Ingress } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { compileIngresses, expectClean, origin, serviceOf, withCode } from './helpers/ingress-builders.js';
import { exact, implSpecific, ingress, prefix, rule, serviceBackend } from '@switchyard/test-utils';

/**
 * Precedence within a host tier and conflicts between rules (DESIGN.md, "Matching
 * semantics"): rules of every Ingress for a host merge; the longest path in elements wins,
 * Exact before Prefix at equal length; identical rules conflict and the older Ingress keeps them.
 */

const JAN = '2024-01-01T00:00:00Z';
const FEB = '2024-02-01T00:00:00Z';
const MAR = '2024-03-01T00:00:00Z';

/** Both input orders, so no test passes by the accident of the order it lists Ingresses in. */
const bothOrders = (a: Ingress, b: Ingress): Ingress[][] => [
  [a, b],
  [b, a],
];

describe('rules of every Ingress on a host merge', () => {
  test.each(
    bothOrders(
      ingress('short', { created: JAN, rules: [rule('foo.com', prefix('/api', 'short'))] }),
      ingress('long', { created: FEB, rules: [rule('foo.com', prefix('/api/v2', 'long'))] }),
    ),
  )('the longest match wins across Ingresses, whatever their age (input order %#)', (...ingresses) => {
    const { table, diagnostics } = compileIngresses(ingresses);
    expectClean(diagnostics);
    expect(origin(table.match('foo.com', '/api/v2/users'))).toBe('default/long spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/api/v2'))).toBe('default/long spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/api/v3'))).toBe('default/short spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/api'))).toBe('default/short spec.rules[0].http.paths[0]');
  });

  test.each(
    bothOrders(
      ingress('prefix', { created: JAN, rules: [rule('foo.com', prefix('/foo', 'prefix'))] }),
      ingress('exact', { created: FEB, rules: [rule('foo.com', exact('/foo', 'exact'))] }),
    ),
  )('Exact beats Prefix at equal length across Ingresses, even from a newer one (input order %#)', (...ingresses) => {
    const { table, diagnostics } = compileIngresses(ingresses);
    expectClean(diagnostics);
    expect(origin(table.match('foo.com', '/foo'))).toBe('default/exact spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/foo/'))).toBe('default/prefix spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/foo/x'))).toBe('default/prefix spec.rules[0].http.paths[0]');
  });

  test('a longer Prefix beats a shorter Exact-free path, and Exact beats a shorter Prefix', () => {
    const { table } = compileIngresses([
      ingress('mix', { rules: [rule('foo.com', prefix('/a', 'a'), prefix('/a/b', 'ab'), exact('/a/b/c', 'abc-exact'), prefix('/a/b/c/d', 'abcd'))] }),
    ]);
    expect(serviceOf(table.match('foo.com', '/a/b/c'))).toBe('abc-exact');
    expect(serviceOf(table.match('foo.com', '/a/b/c/'))).toBe('ab');
    expect(serviceOf(table.match('foo.com', '/a/b/c/d/e'))).toBe('abcd');
    expect(serviceOf(table.match('foo.com', '/a/x'))).toBe('a');
  });

  describe('a trailing slash adds no length', () => {
    test('Prefix /foo/ is one element: Exact /foo wins the tie on /foo', () => {
      const { table } = compileIngresses([ingress('slash', { rules: [rule('foo.com', prefix('/foo/', 'prefix-slash'), exact('/foo', 'exact'))] })]);
      expect(serviceOf(table.match('foo.com', '/foo'))).toBe('exact');
      expect(serviceOf(table.match('foo.com', '/foo/'))).toBe('prefix-slash');
    });

    test('Prefix /foo/ is shorter than Prefix /foo/bar', () => {
      const { table } = compileIngresses([ingress('slash', { rules: [rule('foo.com', prefix('/foo/bar', 'bar'), prefix('/foo/', 'foo-slash'))] })]);
      expect(serviceOf(table.match('foo.com', '/foo/bar'))).toBe('bar');
      expect(serviceOf(table.match('foo.com', '/foo/bar/'))).toBe('bar');
      expect(serviceOf(table.match('foo.com', '/foo/baz'))).toBe('foo-slash');
    });

    test('explain counts /foo/ as one element, / as none', () => {
      const { table } = compileIngresses([ingress('slash', { rules: [rule('foo.com', prefix('/foo/', 'foo-slash'), prefix('/', 'root'), exact('/foo/', 'exact-slash'))] })]);
      const elements = Object.fromEntries(table.explain('foo.com', '/foo/').candidates.map((c) => [serviceOf(c.route), c.elements]));
      expect(elements).toEqual({ 'foo-slash': 1, root: 0, 'exact-slash': 1 });
    });
  });
});

describe('conflicts: the same host, path and type in two places', () => {
  const conflicting = (name: string, options: { created?: string; namespace?: string } = {}) =>
    ingress(name, { ...options, rules: [rule('foo.com', prefix('/app', `${name}-app`), prefix(`/only-${name}`, `${name}-only`))] });

  test.each([
    ['the older creationTimestamp', conflicting('zeta', { created: JAN }), conflicting('alpha', { created: FEB }), 'default/zeta'],
    ['the older creationTimestamp across time zones', conflicting('zeta', { created: '2024-01-01T10:00:00+02:00' }), conflicting('alpha', { created: '2024-01-01T09:00:00Z' }), 'default/zeta'],
    ['name ascending at equal timestamps', conflicting('beta', { created: JAN }), conflicting('alpha', { created: JAN }), 'default/alpha'],
    ['namespace before name at equal timestamps', conflicting('a', { namespace: 'team-b', created: JAN }), conflicting('z', { namespace: 'team-a', created: JAN }), 'team-a/z'],
    ['name ascending when both timestamps are missing', conflicting('beta'), conflicting('alpha'), 'default/alpha'],
    ['namespace ascending when both timestamps are missing', conflicting('a', { namespace: 'ns-2' }), conflicting('b', { namespace: 'ns-1' }), 'ns-1/b'],
    // "namespace/name" compares as one string (as ingress-nginx and the Gateway API do): '-' sorts before '/'.
    ['"namespace/name" as one string', conflicting('y', { namespace: 'a', created: JAN }), conflicting('x', { namespace: 'a-b', created: JAN }), 'a-b/x'],
    // compile.ts documents a missing timestamp as the newest; the API server always sets one.
    ['the Ingress with a timestamp over one without', conflicting('alpha'), conflicting('beta', { created: MAR }), 'default/beta'],
  ])('%s wins', (_why, first, second, winner) => {
    const loser = [first, second].map((i) => `${i.metadata.namespace ?? 'default'}/${i.metadata.name}`).find((name) => name !== winner)!;
    for (const ingresses of bothOrders(first, second)) {
      const { table, diagnostics } = compileIngresses(ingresses);
      expect(origin(table.match('foo.com', '/app'))).toBe(`${winner} spec.rules[0].http.paths[0]`);
      const conflicts = withCode(diagnostics, 'SWY_ROUTE_CONFLICT');
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        severity: 'warning',
        object: loser,
        field: 'spec.rules[0].http.paths[0]',
        related: { object: winner, field: 'spec.rules[0].http.paths[0]' },
      });
      // The loser keeps its other rules.
      const loserName = loser.split('/')[1]!;
      expect(origin(table.match('foo.com', `/only-${loserName}`))).toBe(`${loser} spec.rules[0].http.paths[1]`);
    }
  });

  test('a Date creationTimestamp (from a client library) compares with RFC 3339 strings', () => {
    const fromClient: Ingress = conflicting('zeta');
    fromClient.metadata.creationTimestamp = new Date(JAN);
    for (const ingresses of bothOrders(fromClient, conflicting('alpha', { created: FEB }))) {
      expect(origin(compileIngresses(ingresses).table.match('foo.com', '/app'))).toBe('default/zeta spec.rules[0].http.paths[0]');
    }
  });

  test('three copies of a rule: the oldest wins and both others name it', () => {
    const { table, diagnostics } = compileIngresses([conflicting('c', { created: MAR }), conflicting('a', { created: JAN }), conflicting('b', { created: FEB })]);
    expect(origin(table.match('foo.com', '/app'))).toBe('default/a spec.rules[0].http.paths[0]');
    expect(withCode(diagnostics, 'SWY_ROUTE_CONFLICT').map((d) => [d.object, d.related?.object])).toEqual([
      ['default/b', 'default/a'],
      ['default/c', 'default/a'],
    ]);
  });

  test('within one Ingress, the first listed path wins', () => {
    const { table, diagnostics } = compileIngresses([ingress('one', { rules: [rule('foo.com', prefix('/app', 'first'), prefix('/other', 'other'), prefix('/app', 'second'))] })]);
    expect(serviceOf(table.match('foo.com', '/app/x'))).toBe('first');
    expect(withCode(diagnostics, 'SWY_ROUTE_CONFLICT')).toEqual([
      expect.objectContaining({ object: 'default/one', field: 'spec.rules[0].http.paths[2]', related: { object: 'default/one', field: 'spec.rules[0].http.paths[0]' } }),
    ]);
  });

  test('within one Ingress, the first listed rule for a host wins', () => {
    const { table, diagnostics } = compileIngresses([ingress('one', { rules: [rule('foo.com', exact('/app', 'first')), rule('foo.com', exact('/app', 'second'))] })]);
    expect(serviceOf(table.match('foo.com', '/app'))).toBe('first');
    expect(withCode(diagnostics, 'SWY_ROUTE_CONFLICT')).toEqual([
      expect.objectContaining({ object: 'default/one', field: 'spec.rules[1].http.paths[0]', related: { object: 'default/one', field: 'spec.rules[0].http.paths[0]' } }),
    ]);
  });

  test.each([
    ['Prefix /foo and Prefix /foo/', prefix('/foo', 'older'), prefix('/foo/', 'newer')],
    ['Prefix /foo/ and Prefix /foo', prefix('/foo/', 'older'), prefix('/foo', 'newer')],
    ['ImplementationSpecific /foo and Prefix /foo', implSpecific('/foo', 'older'), prefix('/foo', 'newer')],
    ['Prefix /foo and ImplementationSpecific /foo', prefix('/foo', 'older'), implSpecific('/foo', 'newer')],
    ['Prefix / and ImplementationSpecific without a path', prefix('/', 'older'), implSpecific(undefined, 'newer')],
    ['Exact /foo twice', exact('/foo', 'older'), exact('/foo', 'newer')],
  ])('%s are the same rule', (_what, olderPath, newerPath) => {
    const { table, diagnostics } = compileIngresses([
      ingress('newer', { created: FEB, rules: [rule('foo.com', newerPath)] }),
      ingress('older', { created: JAN, rules: [rule('foo.com', olderPath)] }),
    ]);
    for (const path of ['/foo', '/foo/']) {
      if (olderPath.pathType === 'Exact' && path === '/foo/') continue;
      expect(serviceOf(table.match('foo.com', path))).toBe('older');
    }
    expect(withCode(diagnostics, 'SWY_ROUTE_CONFLICT')).toEqual([
      expect.objectContaining({ object: 'default/newer', field: 'spec.rules[0].http.paths[0]', related: { object: 'default/older', field: 'spec.rules[0].http.paths[0]' } }),
    ]);
  });

  test.each([
    ['Exact /foo and Prefix /foo', [rule('foo.com', exact('/foo', 'x')), rule('foo.com', prefix('/foo', 'y'))]],
    ['Exact /foo and Exact /foo/', [rule('foo.com', exact('/foo', 'x')), rule('foo.com', exact('/foo/', 'y'))]],
    ['Prefix /foo on two hosts', [rule('foo.com', prefix('/foo', 'x')), rule('bar.com', prefix('/foo', 'y'))]],
    ['Prefix /foo on a host and without one', [rule('foo.com', prefix('/foo', 'x')), rule(undefined, prefix('/foo', 'y'))]],
    ['Prefix /foo on a host and its wildcard', [rule('foo.com', prefix('/foo', 'x')), rule('*.foo.com', prefix('/foo', 'y'))]],
  ])('%s do not conflict', (_what, rules) => {
    const { diagnostics } = compileIngresses([ingress('a', { rules: [rules[0]!] }), ingress('b', { rules: [rules[1]!] })]);
    expectClean(diagnostics);
  });

  test('the loser stays out of routes() and is kept, marked, in rules()', () => {
    const { table } = compileIngresses([conflicting('newer', { created: FEB }), conflicting('older', { created: JAN })]);
    const appRoutes = table.routes().filter((route) => route.path === '/app');
    expect(appRoutes.map(origin)).toEqual(['default/older spec.rules[0].http.paths[0]']);
    const appRules = table.rules().filter((r) => r.route.path === '/app');
    expect(appRules.map((r) => [origin(r.route), origin(r.shadowedBy)])).toEqual(
      expect.arrayContaining([
        ['default/older spec.rules[0].http.paths[0]', undefined],
        ['default/newer spec.rules[0].http.paths[0]', 'default/older spec.rules[0].http.paths[0]'],
      ]),
    );
  });
});

describe('a conflict says why the winner won', () => {
  const sameRule = (name: string, created?: string) => ingress(name, { ...(created ? { created } : {}), rules: [rule('foo.com', prefix('/app', name))] });
  const withDefault = (name: string, created?: string) => ingress(name, { ...(created ? { created } : {}), defaultBackend: serviceBackend(name) });

  test.each([
    ['an older Ingress', sameRule('b', JAN), sameRule('a', FEB), 'default/a', 'which is older'],
    ['the same creation time: by namespace/name', sameRule('b', JAN), sameRule('a', JAN), 'default/b', 'which comes first by namespace/name (same creation time)'],
    ['no creation time at all: by namespace/name', sameRule('b'), sameRule('a'), 'default/b', 'which comes first by namespace/name (neither has a creationTimestamp)'],
    ['a default backend, same creation time', withDefault('b', JAN), withDefault('a', JAN), 'default/b', 'which comes first by namespace/name (same creation time)'],
    ['a default backend, an older Ingress', withDefault('b', JAN), withDefault('a', FEB), 'default/a', 'which is older'],
  ])('%s', (_what, first, second, loser, why) => {
    for (const ingresses of bothOrders(first, second)) {
      const { diagnostics } = compileIngresses(ingresses);
      const conflicts = diagnostics.filter((d) => d.code === 'SWY_ROUTE_CONFLICT' || d.code === 'SWY_ROUTE_DEFAULT_BACKEND_CONFLICT');
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ object: loser, severity: 'warning' });
      expect(conflicts[0]!.message).toContain(`, ${why}; this one is ignored`);
      if (why !== 'which is older') expect(conflicts[0]!.message).not.toContain('older');
    }
  });

  test('within one Ingress: the rule listed first', () => {
    const { diagnostics } = compileIngresses([ingress('one', { created: JAN, rules: [rule('foo.com', prefix('/app', 'x'), prefix('/app', 'y'))] })]);
    expect(diagnostics.filter((d) => d.code === 'SWY_ROUTE_CONFLICT').map((d) => d.message)).toEqual([expect.stringContaining(', which is listed first; this one is ignored')]);
  });
});

describe('the default backend', () => {
  const withDefault = (name: string, created?: string) =>
    ingress(name, { ...(created ? { created } : {}), rules: [rule('foo.com', prefix('/api', `${name}-api`))], defaultBackend: serviceBackend(`${name}-default`) });

  test('serves when no rule matches', () => {
    const { table } = compileIngresses([withDefault('only')]);
    const matched = table.match('other.org', '/x');
    expect(origin(matched)).toBe('default/only spec.defaultBackend');
    expect(matched).toMatchObject({ isDefaultBackend: true, path: undefined, pathType: undefined, host: undefined });
    expect(origin(table.defaultRoute)).toBe('default/only spec.defaultBackend');
  });

  test('of the oldest Ingress that has one; the others get SWY_ROUTE_DEFAULT_BACKEND_CONFLICT', () => {
    const oldestWithoutDefault = ingress('ancient', { created: '2020-01-01T00:00:00Z', rules: [rule('bar.com', prefix('/', 'ancient'))] });
    for (const ingresses of [
      [withDefault('c', MAR), withDefault('b', FEB), oldestWithoutDefault, withDefault('a-newest')],
      [oldestWithoutDefault, withDefault('a-newest'), withDefault('b', FEB), withDefault('c', MAR)],
    ]) {
      const { table, diagnostics } = compileIngresses(ingresses);
      expect(origin(table.match('foo.com', '/x'))).toBe('default/b spec.defaultBackend');
      expect(serviceOf(table.match('foo.com', '/x'))).toBe('b-default');
      const conflicts = withCode(diagnostics, 'SWY_ROUTE_DEFAULT_BACKEND_CONFLICT');
      expect(conflicts.map((d) => d.object).sort()).toEqual(['default/a-newest', 'default/c']);
      for (const conflict of conflicts) {
        expect(conflict).toMatchObject({ severity: 'warning', field: 'spec.defaultBackend', related: { object: 'default/b', field: 'spec.defaultBackend' } });
      }
      // The losers' rules still route.
      expect(origin(table.match('foo.com', '/api'))).toBe('default/b spec.rules[0].http.paths[0]');
    }
  });

  test('at equal timestamps, of the first by namespace/name', () => {
    const { table } = compileIngresses([withDefault('zz', JAN), withDefault('aa', JAN)]);
    expect(origin(table.match('foo.com', '/x'))).toBe('default/aa spec.defaultBackend');
  });

  test('no rule and no default backend: no route', () => {
    const { table } = compileIngresses([ingress('rules-only', { rules: [rule('foo.com', prefix('/api', 'api'))] })]);
    expect(table.match('foo.com', '/x')).toBeUndefined();
    expect(table.match('bar.com', '/api')).toBeUndefined();
    expect(table.defaultRoute).toBeUndefined();
  });

  test('an empty input compiles to a table that routes nothing', () => {
    const { table, diagnostics } = compileIngresses([]);
    expect(diagnostics).toEqual([]);
    expect(table.match('foo.com', '/')).toBeUndefined();
  });
});

describe('explain', () => {
  const ingresses = [
    ingress('old', {
      created: JAN,
      rules: [rule('foo.com', prefix('/api', 'old-api'), prefix('/', 'old-root'))],
      defaultBackend: serviceBackend('old-default'),
    }),
    ingress('new', {
      created: FEB,
      rules: [rule('foo.com', prefix('/api', 'new-api'), exact('/api/v1', 'new-exact')), rule('*.com', prefix('/', 'wild-root')), rule(undefined, prefix('/zzz', 'any-zzz'), prefix('/api/v1', 'any-api-v1'))],
      defaultBackend: serviceBackend('new-default'),
    }),
  ];
  const { table } = compileIngresses(ingresses);

  const summary = (host: string, path: string) =>
    table.explain(host, path).candidates.map((c) => [c.tier, serviceOf(c.route), c.outcome]);

  test('lists the candidates tier by tier in precedence order, with outcomes', () => {
    expect(summary('foo.com', '/api/v1/x')).toEqual([
      ['exact-host', 'old-api', 'won'],
      ['exact-host', 'old-root', 'lost'],
      ['exact-host', 'new-exact', 'no-match'],
      ['exact-host', 'new-api', 'shadowed'],
      ['wildcard-host', 'wild-root', 'not-reached'],
      ['any-host', 'any-api-v1', 'not-reached'],
      ['any-host', 'any-zzz', 'no-match'],
      ['default-backend', 'old-default', 'not-reached'],
      ['default-backend', 'new-default', 'shadowed'],
    ]);
  });

  test('an Exact rule that matches is listed first and wins', () => {
    expect(summary('foo.com', '/api/v1').slice(0, 3)).toEqual([
      ['exact-host', 'new-exact', 'won'],
      ['exact-host', 'old-api', 'lost'],
      ['exact-host', 'old-root', 'lost'],
    ]);
  });

  test('when the default backend serves, it is the one candidate that won', () => {
    const explanation = table.explain('10.0.0.1', '/nothing');
    expect(explanation.candidates.map((c) => [c.tier, serviceOf(c.route), c.outcome])).toEqual([
      // Rules that do not match follow in the same order: longest first.
      ['any-host', 'any-api-v1', 'no-match'],
      ['any-host', 'any-zzz', 'no-match'],
      ['default-backend', 'old-default', 'won'],
      ['default-backend', 'new-default', 'shadowed'],
    ]);
  });

  test('reports the normalized host and path', () => {
    const explanation = table.explain('FOO.com:8080', '/api//v1/./x?q=1');
    expect(explanation.host).toBe('foo.com');
    expect(explanation.path).toBe('/api/v1/x');
  });

  test.each([
    ['foo.com', '/api/v1/x'],
    ['foo.com', '/api/v1'],
    ['foo.com', '/'],
    ['a.com', '/api/v1'],
    ['a.b.com', '/api/v1'],
    ['a.b.com', '/zzz/1'],
    ['10.0.0.1', '/zzz'],
    ['', '/x'],
    ['FOO.COM.', '/API'],
  ])('its winner for %j %j is the route match returns', (host, path) => {
    const explanation = table.explain(host, path);
    const matched = table.match(host, path);
    expect(explanation.winner).toBeDefined();
    expect(explanation.winner).toBe(matched?.route);
    const won = explanation.candidates.filter((c) => c.outcome === 'won');
    expect(won.map((c) => c.route)).toEqual([matched?.route]);
  });

  test('with no rule and no default backend, no candidate wins', () => {
    const { table: bare } = compileIngresses([ingress('bare', { rules: [rule('foo.com', prefix('/api', 'api'))] })]);
    const explanation = bare.explain('foo.com', '/x');
    expect(explanation.winner).toBeUndefined();
    expect(explanation.candidates.map((c) => [serviceOf(c.route), c.outcome])).toEqual([['api', 'no-match']]);
  });
});

describe('immutability', () => {
  test('a compiled table, its routes and its rules cannot be changed', () => {
    const { table } = compileIngresses([ingress('web', { rules: [rule('foo.com', prefix('/a', 'a'))], defaultBackend: serviceBackend('fallback') })]);
    const route = table.match('foo.com', '/a')!.route;
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(route)).toBe(true);
    expect(Object.isFrozen(route.backend)).toBe(true);
    expect(table.rules().every((r) => Object.isFrozen(r))).toBe(true);
    expect(() => {
      (route as { path: string }).path = '/b';
    }).toThrow(TypeError);
  });
});
