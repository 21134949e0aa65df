import { describe, expect, test } from 'vitest';
import { compileIngresses, expectClean, origin, serviceOf } from './helpers/ingress-builders.js';
import { exact, ingress, prefix, rule, serviceBackend } from '@switchyard/test-utils';

/**
 * Host tiers (DESIGN.md, "Matching semantics"): the exact host, then the `*.` wildcard on
 * its parent domain (one label), then rules without a host; a tier whose paths all miss
 * falls through to the next; an IP or empty Host only reaches rules without a host.
 */

describe('host tiers', () => {
  // Every tier has a `/` rule, so the tier alone decides.
  const { table, diagnostics } = compileIngresses([
    ingress('tiers', {
      rules: [
        rule('a.foo.com', prefix('/', 'exact-host')),
        rule('*.foo.com', prefix('/', 'wildcard-host'), prefix('/deep/path/here', 'wildcard-deep')),
        rule(undefined, prefix('/', 'no-host'), prefix('/deep/path/here/too', 'no-host-deep')),
      ],
    }),
  ]);

  test('compiles cleanly', () => expectClean(diagnostics));

  test.each([
    ['a.foo.com', '/', 'exact-host'],
    ['b.foo.com', '/', 'wildcard-host'],
    ['foo.com', '/', 'no-host'],
    ['x.a.foo.com', '/', 'no-host'],
    ['other.org', '/', 'no-host'],
    // The tier decides before the path length: a `/` on the exact host beats a longer
    // match on the wildcard or on rules without a host.
    ['a.foo.com', '/deep/path/here/too', 'exact-host'],
    ['b.foo.com', '/deep/path/here/too', 'wildcard-deep'],
  ])('%s %s goes to %s', (host, path, expected) => {
    expect(serviceOf(table.match(host, path))).toBe(expected);
  });

  test('the winning route names its host as written', () => {
    expect(table.match('a.foo.com', '/')?.host).toBe('a.foo.com');
    expect(table.match('b.foo.com', '/')?.host).toBe('*.foo.com');
    expect(table.match('foo.com', '/')?.host).toBeUndefined();
  });
});

test('a rule with host "" is a rule without a host', () => {
  const { table, diagnostics } = compileIngresses([ingress('empty-host', { rules: [rule('', prefix('/', 'any'))] })]);
  expectClean(diagnostics);
  for (const host of ['foo.com', '10.0.0.1', '']) {
    const matched = table.match(host, '/x');
    expect(origin(matched)).toBe('default/empty-host spec.rules[0].http.paths[0]');
    expect(matched?.host).toBeUndefined();
  }
});

describe('the `*.` wildcard covers exactly one label', () => {
  const { table } = compileIngresses([ingress('wild', { rules: [rule('*.foo.com', prefix('/', 'wild'))] })]);

  test.each(['a.foo.com', 'abc-1.foo.com', 'A.FOO.COM'])('matches %s', (host) => {
    expect(origin(table.match(host, '/x'))).toBe('default/wild spec.rules[0].http.paths[0]');
  });

  test.each(['foo.com', 'a.b.foo.com', '.foo.com', 'afoo.com', 'a.foo.com.evil.org', 'a.foo.co'])('does not match %s', (host) => {
    expect(table.match(host, '/x')).toBeUndefined();
  });

  test('a wildcard on a shorter domain does not cover two labels either', () => {
    const { table: comTable } = compileIngresses([ingress('com', { rules: [rule('*.com', prefix('/', 'com'))] })]);
    expect(serviceOf(comTable.match('foo.com', '/'))).toBe('com');
    expect(comTable.match('a.foo.com', '/')).toBeUndefined();
  });
});

describe('a tier whose paths all miss falls through', () => {
  const exactHost = rule('a.foo.com', prefix('/api', 'exact-api'));
  const wildcard = rule('*.foo.com', prefix('/web', 'wild-web'));
  const noHost = rule(undefined, prefix('/', 'no-host-root'));

  test.each([
    ['/api/users', 'exact-api'],
    ['/web', 'wild-web'],
    ['/web/index.html', 'wild-web'],
    ['/other', 'no-host-root'],
    ['/', 'no-host-root'],
  ])('exact /api, wildcard /web, no-host /: request a.foo.com%s goes to %s', (path, expected) => {
    const { table } = compileIngresses([ingress('fall', { rules: [exactHost, wildcard, noHost] })]);
    expect(serviceOf(table.match('a.foo.com', path))).toBe(expected);
  });

  test('the exact host falls through straight to rules without a host when no wildcard exists', () => {
    const { table } = compileIngresses([ingress('fall', { rules: [exactHost, noHost] })]);
    expect(origin(table.match('a.foo.com', '/web'))).toBe('default/fall spec.rules[1].http.paths[0]');
    expect(origin(table.match('a.foo.com', '/api'))).toBe('default/fall spec.rules[0].http.paths[0]');
  });

  test('the tiers come from separate Ingresses just the same', () => {
    const { table } = compileIngresses([
      ingress('exact', { rules: [exactHost] }),
      ingress('wild', { rules: [wildcard] }),
      ingress('any', { rules: [noHost] }),
    ]);
    expect(origin(table.match('a.foo.com', '/api'))).toBe('default/exact spec.rules[0].http.paths[0]');
    expect(origin(table.match('a.foo.com', '/web'))).toBe('default/wild spec.rules[0].http.paths[0]');
    expect(origin(table.match('a.foo.com', '/x'))).toBe('default/any spec.rules[0].http.paths[0]');
  });

  test('when every tier misses, the default backend serves', () => {
    const { table } = compileIngresses([ingress('fall', { rules: [exactHost, wildcard], defaultBackend: serviceBackend('fallback') })]);
    expect(origin(table.match('a.foo.com', '/other'))).toBe('default/fall spec.defaultBackend');
    expect(serviceOf(table.match('a.foo.com', '/other'))).toBe('fallback');
  });

  test('when every tier misses and there is no default backend, there is no route', () => {
    const { table } = compileIngresses([ingress('fall', { rules: [exactHost, wildcard] })]);
    expect(table.match('a.foo.com', '/other')).toBeUndefined();
  });

  test('an Exact miss on the exact host falls through too', () => {
    const { table } = compileIngresses([ingress('fall', { rules: [rule('a.foo.com', exact('/login', 'exact-login')), noHost] })]);
    expect(serviceOf(table.match('a.foo.com', '/login'))).toBe('exact-login');
    expect(serviceOf(table.match('a.foo.com', '/login/'))).toBe('no-host-root');
  });
});

describe('an IP or empty Host only reaches rules without a host', () => {
  // `*.0.0.1` is a valid wildcard host (0.0.1 is a DNS subdomain), so 10.0.0.1 would hit
  // it if IPs were looked up by name.
  const hostRules = [rule('foo.com', prefix('/', 'named')), rule('*.0.0.1', prefix('/', 'wild-ip-like')), rule('*.foo.com', prefix('/', 'wild'))];
  const requests = ['10.0.0.1', '10.0.0.1:8080', '[::1]:8080', '[::1]', '[2001:db8::1]', ''];

  test.each(requests)('%j goes to the rule without a host', (host) => {
    const { table, diagnostics } = compileIngresses([ingress('ip', { rules: [...hostRules, rule(undefined, prefix('/', 'no-host'))] })]);
    expectClean(diagnostics);
    expect(origin(table.match(host, '/x'))).toBe('default/ip spec.rules[3].http.paths[0]');
  });

  test.each(requests)('%j gets the default backend when there is no rule without a host', (host) => {
    const { table } = compileIngresses([ingress('ip', { rules: hostRules, defaultBackend: serviceBackend('fallback') })]);
    expect(origin(table.match(host, '/x'))).toBe('default/ip spec.defaultBackend');
  });

  test.each(requests)('%j gets no route when there is neither', (host) => {
    const { table } = compileIngresses([ingress('ip', { rules: hostRules })]);
    expect(table.match(host, '/x')).toBeUndefined();
  });
});

describe('the Host is normalized before matching', () => {
  const { table } = compileIngresses([
    ingress('norm', { rules: [rule('foo.com', prefix('/', 'exact-host')), rule('*.foo.com', prefix('/', 'wild')), rule(undefined, prefix('/', 'no-host'))] }),
  ]);

  test.each([
    ['foo.com', 'foo.com', 'exact-host'],
    ['FOO.COM', 'foo.com', 'exact-host'],
    ['Foo.Com', 'foo.com', 'exact-host'],
    ['foo.com:8080', 'foo.com', 'exact-host'],
    ['foo.com.', 'foo.com', 'exact-host'],
    ['FOO.com.:443', 'foo.com', 'exact-host'],
    ['A.Foo.Com', 'a.foo.com', 'wild'],
    ['a.foo.com.:80', 'a.foo.com', 'wild'],
    ['foo.com.evil', 'foo.com.evil', 'no-host'],
  ])('%j is matched as %j and goes to %s', (raw, normalized, expected) => {
    const matched = table.match(raw, '/');
    expect(matched?.requestHost).toBe(normalized);
    expect(serviceOf(matched)).toBe(expected);
  });
});
