import { SwitchyardError } from '@switchyard/core';
import { CLI_ERROR_CODES, CliError, isCliError } from '@switchyard/cli';
import { TlsError } from '@switchyard/tls';
import { expect, test } from 'vitest';
import { exitCodeOf } from '../src/errors.js';

const USAGE_CODES = ['SWY_CLI_UNKNOWN_COMMAND', 'SWY_CLI_USAGE', 'SWY_CLI_MISSING_OPTION', 'SWY_CLI_BAD_ADDRESS', 'SWY_CLI_BAD_VALUE', 'SWY_CLI_FILE_UNREADABLE', 'SWY_CLI_FILE_UNWRITABLE'];

test('every code exits with the status its registry entry (and so docs/errors.md#cli) gives: 2 for a command line it cannot run, 1 for the rest', () => {
  const thrown = (Object.keys(CLI_ERROR_CODES) as (keyof typeof CLI_ERROR_CODES)[]).filter((code) => CLI_ERROR_CODES[code].reaches.as === 'thrown');
  expect(thrown.length).toBeGreaterThan(USAGE_CODES.length);
  for (const code of thrown) {
    const exit = USAGE_CODES.includes(code) ? 2 : 1;
    expect((CLI_ERROR_CODES[code].reaches as { exitCode?: number }).exitCode, code).toBe(exit);
    expect(new CliError(code, 'x').exitCode, code).toBe(exit);
  }
});

test('errors carry their code and field and count as SwitchyardErrors', () => {
  const error = new CliError('SWY_CLI_BAD_ADDRESS', 'bad', { field: '--listen' });
  expect(error).toMatchObject({ code: 'SWY_CLI_BAD_ADDRESS', field: '--listen', exitCode: 2 });
  expect(error instanceof SwitchyardError).toBe(true);
  expect(isCliError(error, 'SWY_CLI_BAD_ADDRESS')).toBe(true);
  expect(isCliError(error, 'SWY_CLI_USAGE')).toBe(false);
  expect(isCliError(new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'x'))).toBe(false);
});

test('exit status of errors from other packages: a refused option or a missing file is 2, the rest 1', () => {
  expect(exitCodeOf(new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'x'))).toBe(2);
  expect(exitCodeOf(new TlsError('SWY_TLS_FILE_UNREADABLE', 'x'))).toBe(2);
  expect(exitCodeOf(new TlsError('SWY_TLS_INVALID_OPTIONS', 'x'))).toBe(2);
  expect(exitCodeOf(new SwitchyardError('SWY_DISCOVERY_CLOSED', 'x'))).toBe(1);
  expect(exitCodeOf(new Error('boom'))).toBe(1);
});
