import type { PathMatchKind, PathMatcherFactory, PathRule, Route } from '@switchyard/core';
import { describe, expect, test } from 'vitest';

/**
 * One conformance suite for every path matcher (as Hono runs one suite over its routers):
 * rules are `[path, kind]`, already normalized the way `compile` hands them over
 * (Prefix without trailing slash), and each case names the rule that must win.
 */
type RuleSpec = readonly [path: string, kind: PathMatchKind];
type Case = readonly [name: string, rules: readonly RuleSpec[], request: string, winner: RuleSpec | undefined];

const CASES: readonly Case[] = [
  ['root prefix matches anything', [['/', 'prefix']], '/anything/at/all', ['/', 'prefix']],
  ['root prefix matches the root', [['/', 'prefix']], '/', ['/', 'prefix']],
  ['exact matches itself', [['/foo', 'exact']], '/foo', ['/foo', 'exact']],
  ['exact is byte-exact: trailing slash', [['/foo', 'exact']], '/foo/', undefined],
  ['exact with trailing slash', [['/foo/', 'exact']], '/foo/', ['/foo/', 'exact']],
  ['exact with trailing slash needs it', [['/foo/', 'exact']], '/foo', undefined],
  ['prefix ignores a trailing slash on the request', [['/foo', 'prefix']], '/foo/', ['/foo', 'prefix']],
  ['prefix matches whole elements only', [['/aaa/bb', 'prefix']], '/aaa/bbb', undefined],
  ['prefix is not a character prefix', [['/aaa/bbb', 'prefix']], '/aaa/bbbxyz', undefined],
  ['prefix matches deeper paths', [['/aaa/bbb', 'prefix']], '/aaa/bbb/ccc', ['/aaa/bbb', 'prefix']],
  ['longest prefix wins', [['/', 'prefix'], ['/aaa', 'prefix'], ['/aaa/bbb', 'prefix']], '/aaa/bbb/c', ['/aaa/bbb', 'prefix']],
  ['backs off to a shorter prefix', [['/', 'prefix'], ['/aaa', 'prefix'], ['/aaa/bbb/ccc', 'prefix']], '/aaa/bbb/x', ['/aaa', 'prefix']],
  ['exact beats prefix of equal length', [['/foo', 'prefix'], ['/foo', 'exact']], '/foo', ['/foo', 'exact']],
  ['exact with slash beats prefix on /foo/', [['/foo', 'prefix'], ['/foo/', 'exact']], '/foo/', ['/foo/', 'exact']],
  ['prefix when exact does not apply', [['/foo', 'prefix'], ['/foo', 'exact']], '/foo/bar', ['/foo', 'prefix']],
  ['longer prefix beats shorter exact-irrelevant', [['/a', 'exact'], ['/a/b', 'prefix']], '/a/b', ['/a/b', 'prefix']],
  ['no rule', [['/a', 'prefix']], '/b', undefined],
  ['colon is literal', [['/x:y', 'prefix']], '/x:y/z', ['/x:y', 'prefix']],
  ['colon does not act as a parameter', [['/x:y', 'prefix']], '/x:q', undefined],
  ['star is literal', [['/a*', 'exact']], '/a*', ['/a*', 'exact']],
  ['star does not act as a wildcard', [['/a*', 'prefix']], '/abc', undefined],
  ['encoded slash is part of an element', [['/a%2Fb', 'prefix']], '/a%2Fb/c', ['/a%2Fb', 'prefix']],
  ['encoded slash is not a separator', [['/a', 'prefix']], '/a%2Fb', undefined],
  ['encoded percent stays encoded', [['/100%25', 'exact']], '/100%25', ['/100%25', 'exact']],
  ['encoded percent is not its decoding', [['/100%', 'exact']], '/100%25', undefined],
  ['UTF-8 escapes compare as written', [['/caf%C3%A9', 'prefix']], '/caf%C3%A9/menu', ['/caf%C3%A9', 'prefix']],
  ['semicolon is part of the path', [['/a;b', 'exact']], '/a;b', ['/a;b', 'exact']],
  ['semicolon does not end the path', [['/a', 'exact']], '/a;b', undefined],
  ['case-sensitive', [['/Foo', 'prefix']], '/foo', undefined],
  ['sibling elements', [['/a/b', 'prefix'], ['/a/c', 'prefix']], '/a/c/d', ['/a/c', 'prefix']],
];

function route(spec: RuleSpec): Route {
  return Object.freeze({
    backend: { namespace: 'default', service: { name: 'svc', port: { number: 80 } } },
    backendKey: 'default/svc:80',
    host: undefined,
    path: spec[0],
    pathType: spec[1] === 'exact' ? 'Exact' : 'Prefix',
    origin: { kind: 'Ingress' as const, namespace: 'default', name: 'conformance' },
    field: `${spec[1]} ${spec[0]}`,
    isDefaultBackend: false,
    rule: undefined,
    backendFilters: undefined,
  });
}

export function runPathMatcherConformance(name: string, createMatcher: PathMatcherFactory): void {
  describe(`${name} conformance`, () => {
    test.each(CASES)('%s', (_name, rules, request, winner) => {
      const routes = rules.map(route);
      const pathRules: PathRule[] = rules.map((spec, i) => ({ path: spec[0], kind: spec[1], route: routes[i]! }));
      const matched = createMatcher(pathRules).match(request);
      expect(matched?.field).toBe(winner === undefined ? undefined : `${winner[1]} ${winner[0]}`);
    });

    test('an empty matcher matches nothing', () => {
      expect(createMatcher([]).match('/')).toBeUndefined();
    });
  });
}
