import { describe, expect, test } from 'vitest';
import { replacePath } from '../../../src/proxy/gateway/path-modifier.js';

const prefixMatch = (value: string) => ({ type: 'ReplacePrefixMatch', value }) as const;
const fullPath = (value: string) => ({ type: 'ReplaceFullPath', value }) as const;

describe('ReplacePrefixMatch: the table of HTTPPathModifier’s doc comment', () => {
  test.each([
    // request path, prefix match, replace prefix, modified path
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo', '/', '/'],
  ])('%s with prefix %s replaced by %j is %s', (path, prefix, value, expected) => {
    expect(replacePath(prefixMatch(value), path, prefix)).toBe(expected);
  });
});

describe('ReplacePrefixMatch: conformance (httproute-rewrite-path, httproute-redirect-path)', () => {
  test.each([
    ['/prefix/one/two', '/prefix/one', '/one', '/one/two'],
    ['/strip-prefix/three', '/strip-prefix', '/', '/three'],
    ['/strip-prefix', '/strip-prefix', '/', '/'],
    ['/prefix/rewrite-path-and-modify-headers/one', '/prefix/rewrite-path-and-modify-headers', '/prefix', '/prefix/one'],
    ['/original-prefix/lemon', '/original-prefix', '/replacement-prefix', '/replacement-prefix/lemon'],
    ['/path-and-host', '/path-and-host', '/replacement-prefix', '/replacement-prefix'],
  ])('%s with prefix %s replaced by %j is %s', (path, prefix, value, expected) => {
    expect(replacePath(prefixMatch(value), path, prefix)).toBe(expected);
  });
});

describe('ReplacePrefixMatch: edges', () => {
  test.each([
    ['the prefix `/` matches every path: the value goes in front', '/a/b', '/', '/xyz', '/xyz/a/b'],
    ['the prefix `/` with the value `/` keeps the path', '/a/b', '/', '/', '/a/b'],
    ['the request `/` under the prefix `/`: the root, not a trailing slash', '/', '/', '/xyz', '/xyz'],
    ['the request `/` under the prefix `/` replaced by ``', '/', '/', '', '/'],
    ['a trailing slash under the prefix `/`', '/a/', '/', '/xyz', '/xyz/a/'],
    ['several trailing slashes count as one', '/foo/bar', '/foo//', '/xyz//', '/xyz/bar'],
    ['a deeper prefix', '/a/b/c/d', '/a/b', '/z', '/z/c/d'],
    ['only the first occurrence is the prefix', '/foo/foo', '/foo', '/bar', '/bar/foo'],
  ])('%s', (_name, path, prefix, value, expected) => {
    expect(replacePath(prefixMatch(value), path, prefix)).toBe(expected);
  });

  test.each([
    ['a path that shares characters, not elements', '/foobar', '/foo'],
    ['a shorter path', '/fo', '/foo'],
    ['another path', '/bar/foo', '/foo'],
    ['prefixes are case-sensitive', '/FOO/bar', '/foo'],
  ])('%s is left as it was', (_name, path, prefix) => {
    expect(replacePath(prefixMatch('/xyz'), path, prefix)).toBe(path);
  });

  test('without a matched prefix the path is left as it was', () => {
    expect(replacePath(prefixMatch('/xyz'), '/foo/bar', undefined)).toBe('/foo/bar');
  });
});

describe('ReplaceFullPath', () => {
  test.each([
    ['/full/one/two', '/full/one', '/one'],
    ['/full/rewrite-path-and-modify-headers/test', '/full/rewrite-path-and-modify-headers', '/test'],
    ['/full/path/original', '/full', '/full-path-replacement'],
    ['/full-path-and-host', '/full-path-and-host', '/replacement-full'],
  ])('%s (prefix %s) becomes %s', (path, prefix, value) => {
    expect(replacePath(fullPath(value), path, prefix)).toBe(value);
  });

  test('applies whatever the match was', () => {
    expect(replacePath(fullPath('/x'), '/any/thing', undefined)).toBe('/x');
  });
});
