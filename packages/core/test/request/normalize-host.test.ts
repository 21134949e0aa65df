import { isSwitchyardError, normalizeHost } from '@switchyard/core';
import { isIpHost } from '../../src/request/normalize-host.js';
import { describe, expect, test } from 'vitest';
import { thrown } from '@switchyard/test-utils';

describe('normalizeHost', () => {
  test.each([
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['EXAMPLE.com:443', 'example.com'],
    ['example.com.', 'example.com'],
    ['example.com.:80', 'example.com'],
    ['example.com:', 'example.com'],
    ['[::1]', '[::1]'],
    ['[::1]:8080', '[::1]'],
    ['[2001:DB8::1]:443', '[2001:db8::1]'],
    ['10.0.0.1:80', '10.0.0.1'],
    ['localhost', 'localhost'],
    ['under_score.example', 'under_score.example'],
    ['', ''],
  ])('%j normalizes to %j', (raw, normalized) => {
    expect(normalizeHost(raw)).toBe(normalized);
  });

  test.each(['exa mple.com', 'a/b', 'user@host', 'host:80a', 'host:123456', '[::1', '[::1]x', '[not-ip]', 'h\u00e9.com', 'a%2eb'])('rejects %j with SWY_REQUEST_BAD_HOST', (raw) => {
    const error = thrown(() => normalizeHost(raw));
    expect(isSwitchyardError(error, 'SWY_REQUEST_BAD_HOST')).toBe(true);
    expect((error as { statusCode: number }).statusCode).toBe(400);
  });

  test.each([
    ['10.0.0.1', true],
    ['[::1]', true],
    ['example.com', false],
    ['1.example.com', false],
    ['example.123', false],
    ['', false],
  ])('isIpHost(%j) is %j', (host, expected) => {
    expect(isIpHost(host)).toBe(expected);
  });
});
