import { describe, expect, test } from 'vitest';
import { DEFAULT_CHANGES, parseReloadOptions } from '../src/reload/options.js';

describe('bench:reload options', () => {
  test('by default the working tree alone, 40 changes', () => {
    expect(parseReloadOptions([])).toEqual({ changes: DEFAULT_CHANGES, base: undefined });
    expect(DEFAULT_CHANGES).toBe(40);
  });

  test('--base pairs a commit with the working tree; --changes sets the changes per CLI (pnpm passes the -- on)', () => {
    expect(parseReloadOptions(['--', '--base', 'HEAD~2', '--changes', '60'])).toEqual({ changes: 60, base: 'HEAD~2' });
  });

  test('--help asks for the usage', () => {
    expect(parseReloadOptions(['-h'])).toBe('help');
  });

  test('a bad count or an unknown option is SWY_BENCH_BAD_OPTION', () => {
    expect(() => parseReloadOptions(['--changes', '0'])).toThrow(expect.objectContaining({ code: 'SWY_BENCH_BAD_OPTION' }));
    expect(() => parseReloadOptions(['--rounds', '3'])).toThrow(expect.objectContaining({ code: 'SWY_BENCH_BAD_OPTION', field: 'argv' }));
  });
});
