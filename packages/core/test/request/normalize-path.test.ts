import { isSwitchyardError, normalizePath } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { thrown } from '@switchyard/test-utils';

describe('normalizePath', () => {
  test.each([
    ['/', '/'],
    ['/a/b', '/a/b'],
    ['/a/b/', '/a/b/'],
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/a/b/..', '/a/'],
    ['/a/b/.', '/a/b/'],
    ['/..', '/'],
    ['/../a', '/a'],
    ['/a/../../b', '/b'],
    ['//a', '/a'],
    ['/a//b///c', '/a/b/c'],
    ['/a//', '/a/'],
    ['//admin', '/admin'],
    ['/%2e%2e/admin', '/admin'],
    ['/a/%2E%2e/b', '/b'],
    ['/a/%2e/b', '/a/b'],
    ['/%61%62%63', '/abc'],
    ['/%7Euser', '/~user'],
    ['/a%2Fb', '/a%2Fb'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%2f..%2fb', '/a%2F..%2Fb'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/a%20b', '/a%20b'],
    ['/a%25b', '/a%25b'],
    ['/a?x=1', '/a'],
    ['/a/./b?x=/../', '/a/b'],
    ['/a#frag', '/a'],
    ['/x:y@z;p=1', '/x:y@z;p=1'],
    ['/.well-known/acme', '/.well-known/acme'],
    ['/a/...', '/a/...'],
    ['/a b', '/a%20b'],
    ['/caf\u00c3\u00a9', '/caf%C3%A9'], // Node hands raw UTF-8 bytes to us as latin1
    ['/\u2603', '/%E2%98%83'],
    ['/a\\b', '/a%5Cb'],
  ])('%j normalizes to %j', (raw, normalized) => {
    expect(normalizePath(raw)).toBe(normalized);
  });

  test('returns the same string when nothing needs normalizing', () => {
    const path = '/api/v1/users/42';
    expect(normalizePath(path)).toBe(path);
  });

  test.each([['%zz', '/%zz'], ['truncated escape', '/a%2'], ['lone percent', '/a%'], ['relative', 'a/b'], ['empty', ''], ['asterisk-form', '*'], ['absolute-form', 'http://h/a'], ['query only', '?a=1']])(
    'rejects %s with SWY_REQUEST_BAD_PATH and status 400',
    (_name, raw) => {
      const error = thrown(() => normalizePath(raw));
      expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_PATH')).toBe(true);
      expect((error as { statusCode: number }).statusCode).toBe(400);
    },
  );

  test('is idempotent', () => {
    for (const raw of ['/a/./b/../c//d/', '/%2e%2E/x%2fy/%7e', '/caf%c3%a9?x', '/\u00e9/..']) {
      const once = normalizePath(raw);
      expect(normalizePath(once)).toBe(once);
    }
  });
});
