import type { PathMatcherFactory, PathType } from '@switchyard/core';
import { createFindMyWayMatcher, createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { describe, expect, test } from 'vitest';
import { compileIngresses, expectClean, origin, serviceOf } from './helpers/ingress-builders.js';
import { httpPath, implSpecific, ingress, prefix, rule, serviceBackend } from '@switchyard/test-utils';

/**
 * The path examples of the Kubernetes Ingress docs (DESIGN.md, "Kubernetes path examples"),
 * one request per row. Rule i of a row is `spec.rules[0].http.paths[i]` with Service `r<i>`;
 * every table also has a default backend, so "no match" is the default backend, not a miss.
 */
type Row = readonly [rules: ReadonlyArray<readonly [path: string, type: PathType]>, request: string, winner: number | 'default backend'];

const KUBERNETES_PATH_TABLE: Row[] = [
  // Prefix / matches any request.
  [[['/', 'Prefix']], '/', 0],
  [[['/', 'Prefix']], '/foo', 0],
  [[['/', 'Prefix']], '/foo/bar/', 0],
  [[['/', 'Prefix']], '/aaa/bbb?q=1', 0],
  // Exact /foo
  [[['/foo', 'Exact']], '/foo', 0],
  [[['/foo', 'Exact']], '/bar', 'default backend'],
  [[['/foo', 'Exact']], '/foo/', 'default backend'],
  // Exact /foo/
  [[['/foo/', 'Exact']], '/foo', 'default backend'],
  // Prefix /foo and /foo/
  [[['/foo', 'Prefix']], '/foo', 0],
  [[['/foo', 'Prefix']], '/foo/', 0],
  [[['/foo/', 'Prefix']], '/foo', 0],
  [[['/foo/', 'Prefix']], '/foo/', 0],
  // Prefix matches whole elements only.
  [[['/aaa/bb', 'Prefix']], '/aaa/bbb', 'default backend'],
  [[['/aaa/bbb', 'Prefix']], '/aaa/bbb', 0],
  [[['/aaa/bbb', 'Prefix']], '/aaa/bbb/', 0],
  [[['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', 0],
  [[['/aaa/bbb/', 'Prefix']], '/aaa/bbb', 0],
  [[['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', 'default backend'],
  // The longest prefix wins.
  [[['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', 1],
  [[['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', 2],
  [[['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', 0],
  [[['/aaa', 'Prefix']], '/ccc', 'default backend'],
  // Mixed: Exact wins at equal length, whichever is listed first.
  [[['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', 1],
  [[['/foo', 'Exact'], ['/foo', 'Prefix']], '/foo', 0],
];

const MATCHERS: Array<[string, PathMatcherFactory]> = [
  ['segment trie', createSegmentTrieMatcher],
  ['find-my-way', createFindMyWayMatcher],
];

function tableOf(rules: Row[0], pathMatcher: PathMatcherFactory) {
  const paths = rules.map(([path, type], i) => httpPath(path, type, `r${i}`));
  const result = compileIngresses([ingress('paths', { rules: [rule('foo.com', ...paths)], defaultBackend: serviceBackend('default-svc') })], { pathMatcher });
  expectClean(result.diagnostics);
  return result.table;
}

function expectWinner(winner: Row[2], matched: ReturnType<ReturnType<typeof tableOf>['match']>): void {
  if (winner === 'default backend') {
    expect(origin(matched)).toBe('default/paths spec.defaultBackend');
    expect(serviceOf(matched)).toBe('default-svc');
    expect(matched?.isDefaultBackend).toBe(true);
  } else {
    expect(origin(matched)).toBe(`default/paths spec.rules[0].http.paths[${winner}]`);
    expect(serviceOf(matched)).toBe(`r${winner}`);
    expect(matched?.isDefaultBackend).toBe(false);
  }
}

const describeRules = (rules: Row[0]) => rules.map(([path, type]) => `${type} ${path}`).join(', ');
const describeWinner = ([rules, , winner]: Row) => (winner === 'default backend' ? 'no match, default backend' : `matches ${describeRules([rules[winner]!])}`);

describe.each(MATCHERS)('Kubernetes path table (%s)', (_name, pathMatcher) => {
  test.each(KUBERNETES_PATH_TABLE.map((row) => [describeRules(row[0]), row[1], describeWinner(row), row] as const))(
    '%s, request %s: %s',
    (_rules, request, _winner, row) => {
      expectWinner(row[2], tableOf(row[0], pathMatcher).match('foo.com', request));
    },
  );

  test('with no default backend, a request no rule matches gets no route', () => {
    const { table } = compileIngresses([ingress('paths', { rules: [rule('foo.com', prefix('/aaa', 'r0'))] })], { pathMatcher });
    expect(table.match('foo.com', '/ccc')).toBeUndefined();
    expect(table.match('foo.com', '/aaa/x')?.field).toBe('spec.rules[0].http.paths[0]');
  });

  // ImplementationSpecific behaves as Prefix: the Prefix rows again, every Prefix rule
  // written as ImplementationSpecific.
  const implementationSpecificRows = KUBERNETES_PATH_TABLE.filter(([rules]) => rules.every(([, type]) => type === 'Prefix')).map(
    ([rules, request, winner]): Row => [rules.map(([path]) => [path, 'ImplementationSpecific'] as const), request, winner],
  );
  test.each(implementationSpecificRows.map((row) => [describeRules(row[0]), row[1], describeWinner(row), row] as const))(
    '%s, request %s: %s',
    (_rules, request, _winner, row) => {
      expectWinner(row[2], tableOf(row[0], pathMatcher).match('foo.com', request));
    },
  );

  test('ImplementationSpecific at equal length loses to Exact, as Prefix does', () => {
    const table = tableOf([['/foo', 'ImplementationSpecific'], ['/foo', 'Exact']], pathMatcher);
    expectWinner(1, table.match('foo.com', '/foo'));
    expectWinner(0, table.match('foo.com', '/foo/bar'));
  });

  test.each([
    ['omitted', undefined],
    ['empty', ''],
  ])('ImplementationSpecific with its path %s is the prefix /', (_how, path) => {
    const { table, diagnostics } = compileIngresses(
      [ingress('paths', { rules: [rule('foo.com', implSpecific(path, 'root'), prefix('/aaa', 'aaa'))], defaultBackend: serviceBackend('default-svc') })],
      { pathMatcher },
    );
    expectClean(diagnostics);
    for (const request of ['/', '/x', '/x/y/', '/aa']) {
      const matched = table.match('foo.com', request);
      expect(origin(matched)).toBe('default/paths spec.rules[0].http.paths[0]');
      expect(matched?.path).toBe('/');
      expect(matched?.pathType).toBe('ImplementationSpecific');
    }
    // Longer than `/`: the Prefix rule wins.
    expect(serviceOf(table.match('foo.com', '/aaa/b'))).toBe('aaa');
  });
});
