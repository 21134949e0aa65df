import type { RuleTimeouts } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { attemptTimeoutMs, requestTimeLeftMs } from '../../../src/proxy/gateway/rule-timeouts.js';

const timeouts = (requestMs: number | undefined, backendRequestMs: number | undefined): RuleTimeouts => ({ requestMs, backendRequestMs });

describe('attemptTimeoutMs', () => {
  test.each<[string, number | undefined, number | undefined, number, number | undefined]>([
    // name, requestMs, backendRequestMs, elapsedMs, expected
    ['no timeouts: the proxy’s own', undefined, undefined, 0, undefined],
    ['backendRequest alone, at any time', undefined, 500, 0, 500],
    ['backendRequest alone, late in the request', undefined, 500, 10_000, 500],
    ['request alone, at arrival', 500, undefined, 0, 500],
    ['request alone, after 200 ms', 500, undefined, 200, 300],
    ['request alone, used up', 500, undefined, 500, 0],
    ['request alone, overrun', 500, undefined, 900, 0],
    ['both: backendRequest is smaller than what is left', 10_000, 500, 1_000, 500],
    ['both: what is left is smaller (a retry late in the request)', 1_000, 500, 700, 300],
    ['both: equal', 1_000, 500, 500, 500],
    ['both, request used up', 1_000, 500, 1_200, 0],
    ['0s request disables it', 0, undefined, 5_000, undefined],
    ['0s backendRequest disables it', undefined, 0, 0, undefined],
    ['0s backendRequest with a request timeout: the request’s', 1_000, 0, 400, 600],
    ['0s request with a backendRequest: the backendRequest’s', 0, 500, 9_000, 500],
    ['a fraction of a ms left rounds up', 500, undefined, 499.6, 1],
    ['fractions of elapsed time', 500, undefined, 100.25, 400],
  ])('%s', (_name, requestMs, backendRequestMs, elapsedMs, expected) => {
    expect(attemptTimeoutMs(timeouts(requestMs, backendRequestMs), elapsedMs)).toBe(expected);
  });
});

describe('requestTimeLeftMs', () => {
  test.each<[number | undefined, number, number | undefined]>([
    [undefined, 0, undefined],
    [0, 0, undefined],
    [500, 0, 500],
    [500, 499, 1],
    [500, 500, 0],
    [500, 10_000, 0],
  ])('request %s after %s ms: %s left', (requestMs, elapsedMs, expected) => {
    expect(requestTimeLeftMs(timeouts(requestMs, 100), elapsedMs)).toBe(expected);
  });
});
