import { readFileSync } from 'node:fs';
import { SwitchyardError } from '@switchyard/core';
import { CLI_ERROR_CODES, CliError, exitCodeOf, isCliError } from '@switchyard/cli';
import { TlsError } from '@switchyard/tls';
import { expect, test } from 'vitest';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README documents exactly the codes of CLI_ERROR_CODES, with the exit status each gives', () => {
  const rows = [...README.matchAll(/^\| `(SWY_[A-Z_]+)` \| (\d) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  expect(rows.map(([code]) => code).sort()).toEqual(Object.keys(CLI_ERROR_CODES).sort());
  for (const [code, exit] of rows) expect(new CliError(code as keyof typeof CLI_ERROR_CODES, 'x').exitCode, code).toBe(exit);
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
