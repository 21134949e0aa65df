import { describe, expect, test } from 'vitest';
import { ANY_HOST, hostnameMatches, intersectHostnames, requestHostOf } from '../../src/gateway-reference-hostnames.js';

describe('hostnameMatches', () => {
  test.each([
    ['example.com', 'example.com', true],
    ['example.com', 'a.example.com', false],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'notexample.com', false],
    ['*.example.com', '.example.com', false],
    [ANY_HOST, '127.0.0.1', true],
    [ANY_HOST, '', true],
  ])('%s matches %s: %s', (hostname, host, expected) => {
    expect(hostnameMatches(hostname, host)).toBe(expected);
  });
});

describe('intersectHostnames(listener, route)', () => {
  test.each<[string | undefined, string[] | undefined, string[]]>([
    [undefined, undefined, [ANY_HOST]],
    [undefined, [], [ANY_HOST]],
    ['a.example.com', undefined, ['a.example.com']],
    ['*.example.com', [], ['*.example.com']],
    [undefined, ['a.example.com', '*.b.test'], ['a.example.com', '*.b.test']],
    ['a.example.com', ['a.example.com'], ['a.example.com']],
    ['a.example.com', ['b.example.com'], []],
    ['a.example.com', ['*.example.com'], ['a.example.com']],
    ['a.b.example.com', ['*.example.com'], ['a.b.example.com']],
    ['example.com', ['*.example.com'], []],
    ['*.example.com', ['a.example.com'], ['a.example.com']],
    ['*.example.com', ['a.b.example.com'], ['a.b.example.com']],
    ['*.example.com', ['example.com'], []],
    ['*.example.com', ['*.example.com'], ['*.example.com']],
    ['*.example.com', ['*.b.example.com'], ['*.b.example.com']],
    ['*.b.example.com', ['*.example.com'], ['*.b.example.com']],
    ['*.example.com', ['*.example.net'], []],
    ['*.example.com', ['test.example.com', 'test.example.net'], ['test.example.com']],
    ['a.example.com', ['*.example.com', 'a.example.com'], ['a.example.com']],
  ])('listener %s, route %j: %j', (listener, route, expected) => {
    expect(intersectHostnames(listener, route)).toEqual(expected);
  });
});

describe('requestHostOf', () => {
  test.each([
    ['Example.COM', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['example.com.', 'example.com'],
    ['example.com.:80', 'example.com'],
    ['[::1]:8080', '[::1]'],
    ['[::1]', '[::1]'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['', ''],
  ])('%j is %j', (raw, expected) => {
    expect(requestHostOf(raw)).toBe(expected);
  });
});
