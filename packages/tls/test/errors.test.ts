import { SwitchyardError, isSwitchyardError } from '@switchyard/core';
import { TLS_ERROR_CODES, TlsError, isTlsError, type TlsErrorCode } from '@switchyard/tls';
import { describe, expect, test } from 'vitest';

/** The TLS error registry and the error class. */

const CODES = Object.keys(TLS_ERROR_CODES) as TlsErrorCode[];

// docs/errors.md is generated from the registry and checked against it (scripts/test/errors-doc.test.ts).
describe('the registry', () => {
  test.each(CODES)('%s is SWY_TLS_<WHAT> with a description', (code) => {
    expect(code).toMatch(/^SWY_TLS_[A-Z_]+[A-Z]$/);
    expect(TLS_ERROR_CODES[code].summary.length).toBeGreaterThan(10);
  });
});

describe('TlsError', () => {
  test('carries code, field, subject and cause, and counts as a SwitchyardError', () => {
    const cause = new Error('underlying');
    const subject = { kind: 'File', name: '/etc/tls/tls.crt' };
    const error = new TlsError('SWY_TLS_FILE_UNREADABLE', 'bad', { field: 'certFile', subject, cause });
    expect(error).toMatchObject({ name: 'SwitchyardError', code: 'SWY_TLS_FILE_UNREADABLE', field: 'certFile', subject, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof SwitchyardError).toBe(true);
    expect(isSwitchyardError(error)).toBe(true);
    expect(isTlsError(error, 'SWY_TLS_FILE_UNREADABLE')).toBe(true);
    expect(isTlsError(error, 'SWY_TLS_INVALID_OPTIONS')).toBe(false);
  });

  test('leaves what it was not given undefined', () => {
    const error = new TlsError('SWY_TLS_INVALID_OPTIONS', 'bad');
    expect([error.field, error.subject, error.cause]).toEqual([undefined, undefined, undefined]);
    expect('cause' in error).toBe(false);
  });

  test.each([
    ['a core error', new SwitchyardError('SWY_REQUEST_BAD_PATH', 'x')],
    ['a plain Error with a TLS code', Object.assign(new Error('x'), { code: 'SWY_TLS_PEM_INVALID' })],
    ['null', null],
    ['a string', 'SWY_TLS_PEM_INVALID'],
  ])('%s is not a TlsError', (_what, value) => {
    expect(isTlsError(value)).toBe(false);
  });
});
