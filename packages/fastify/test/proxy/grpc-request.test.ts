import { describe, expect, test } from 'vitest';
import { grpcStatusIn, grpcTimeoutMs, MAX_GRPC_TIMEOUT_MS } from '../../src/proxy/grpc-request.js';

describe('grpc-timeout', () => {
  test.each([
    ['1S', 1_000],
    ['250m', 250],
    ['2M', 120_000],
    ['1H', 3_600_000],
    ['1500u', 2],
    ['1n', 1],
    ['0m', 0],
    ['99999999H', MAX_GRPC_TIMEOUT_MS],
  ])('%s is %d ms (rounded up, clamped)', (value, ms) => {
    expect(grpcTimeoutMs(value)).toBe(ms);
  });

  test.each([undefined, '', 'S', '10', '10s', '123456789S', '1.5S', '-1S', ['1S', '2S']])('%j is no deadline', (value) => {
    expect(grpcTimeoutMs(value as string | string[] | undefined)).toBeUndefined();
  });
});

describe('grpc-status in a name/value list', () => {
  test('found by name without case, as a number; none, or not a number, is undefined', () => {
    expect(grpcStatusIn(['grpc-status', '0', 'grpc-message', ''])).toBe(0);
    expect(grpcStatusIn([Buffer.from('x-a'), Buffer.from('1'), Buffer.from('Grpc-Status'), Buffer.from('14')])).toBe(14);
    expect(grpcStatusIn(['content-type', 'application/grpc'])).toBeUndefined();
    expect(grpcStatusIn(['grpc-status', 'ok'])).toBeUndefined();
    expect(grpcStatusIn([])).toBeUndefined();
  });
});
