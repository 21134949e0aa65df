import { createExternalNameAllowList, isSwitchyardError } from '@switchyard/core';
import { describe, expect, test } from 'vitest';

describe('createExternalNameAllowList', () => {
  test('nothing is allowed by default', () => {
    const list = createExternalNameAllowList();
    expect(list.allows('api.example.com')).toBe(false);
    expect(list.patterns).toEqual([]);
  });

  test.each([
    // pattern, name, allowed
    ['api.example.com', 'api.example.com', true],
    ['api.example.com', 'API.Example.COM', true],
    ['api.example.com', 'api.example.com.', true],
    ['API.example.com.', 'api.example.com', true],
    ['api.example.com', 'example.com', false],
    ['api.example.com', 'x.api.example.com', false],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'A.Example.Com.', true],
    // The wildcard is for names under the domain, not the domain itself (list it too for that).
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'badexample.com', false],
    ['*.example.com', 'example.com.evil.net', false],
    ['*', 'anything.at.all', true],
    ['*', 'metadata.google.internal', true],
  ])('%s allows %s: %s', (pattern, name, allowed) => {
    expect(createExternalNameAllowList([pattern]).allows(name)).toBe(allowed);
  });

  test('several patterns: any one allows', () => {
    const list = createExternalNameAllowList(['api.example.com', '*.example.net']);
    expect(['api.example.com', 'a.example.net', 'example.net', 'b.example.com'].map((n) => list.allows(n))).toEqual([true, true, false, false]);
  });

  test.each([['a.*.com'], ['*example.com'], ['**'], [''], ['exa mple.com'], ['*.'], ['http://example.com']])('%j is not a pattern', (pattern) => {
    let caught: unknown;
    try {
      createExternalNameAllowList(['ok.example.com', pattern]);
    } catch (error) {
      caught = error;
    }
    expect(isSwitchyardError(caught, 'SWY_DISCOVERY_INVALID_OPTIONS')).toBe(true);
    expect((caught as { field?: string }).field).toBe('allowExternalNames[1]');
  });
});
