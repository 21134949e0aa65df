import { SwitchyardError, isSwitchyardError } from '@switchyard/core';
import { DNS_ERROR_CODES, DnsError, isDnsError, type DnsErrorCode } from '@switchyard/dns';
import { describe, expect, test } from 'vitest';

/** The DNS error registry and the error class; docs/errors.md#dns is generated from the registry. */

const CODES = Object.keys(DNS_ERROR_CODES) as DnsErrorCode[];

describe('the registry', () => {
  test.each(CODES)('%s is SWY_DNS_<WHAT> with a description', (code) => {
    expect(code).toMatch(/^SWY_DNS_[A-Z_]+[A-Z]$/);
    expect(DNS_ERROR_CODES[code].summary.length).toBeGreaterThan(10);
  });
});

describe('DnsError', () => {
  test('carries code, field and cause, and counts as a SwitchyardError', () => {
    const cause = new Error('underlying');
    const error = new DnsError('SWY_DNS_INVALID_OPTIONS', 'bad', { field: 'tries', cause });
    expect(error).toMatchObject({ name: 'SwitchyardError', code: 'SWY_DNS_INVALID_OPTIONS', field: 'tries', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof SwitchyardError).toBe(true);
    expect(isSwitchyardError(error)).toBe(true);
    expect(isDnsError(error, 'SWY_DNS_INVALID_OPTIONS')).toBe(true);
    expect(isDnsError(error, 'SWY_DNS_CLOSED')).toBe(false);
  });

  test('leaves what it was not given undefined', () => {
    const error = new DnsError('SWY_DNS_CLOSED', 'closed');
    expect([error.field, error.cause]).toEqual([undefined, undefined]);
    expect('cause' in error).toBe(false);
  });

  test.each([
    ['a core error', new SwitchyardError('SWY_REQUEST_BAD_PATH', 'x')],
    ['a plain Error with a DNS code', Object.assign(new Error('x'), { code: 'SWY_DNS_CLOSED' })],
    ['null', null],
    ['a string', 'SWY_DNS_CLOSED'],
  ])('%s is not a DnsError', (_what, value) => {
    expect(isDnsError(value)).toBe(false);
  });
});
