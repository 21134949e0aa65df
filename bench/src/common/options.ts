import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BenchError } from './errors.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a bench script's command line (`pnpm <script> -- ...`: the `--` is dropped) with
 * node:util's strict parser; no positionals.
 *
 * @throws BenchError `SWY_BENCH_BAD_OPTION` (field `argv`) for an unknown option or a missing value, with the usage.
 */
export function parseCommandLine<T extends OptionSpecs>(argv: readonly string[], options: T, usage: string): ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'] {
  try {
    return parseArgs({ args: argv.filter((arg) => arg !== '--'), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new BenchError('SWY_BENCH_BAD_OPTION', `${(error as Error).message}\n\n${usage}`, { field: 'argv', cause: error });
  }
}

/** A whole number above zero (`1_000` allowed), or undefined when the option was not given. */
export function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value <= 0) badOption(name, `expected a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/** A whole number ≥ 0, or undefined when the option was not given. */
export function nonNegativeInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) badOption(name, `expected an integer ≥ 0, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * A comma-separated list of known ids, returned in the catalogue's order whatever order they
 * were given in (the report then reads the same); `none` is the empty list where allowed.
 */
export function idList<T extends string>(name: string, text: string, known: readonly T[], noneAllowed = false): T[] {
  if (noneAllowed && text === 'none') return [];
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) {
    if (!known.includes(item as T)) badOption(name, `${JSON.stringify(item)} is not one of ${known.join(', ')}${noneAllowed ? ', none' : ''}`);
  }
  if (items.length === 0) badOption(name, 'expected at least one name');
  return known.filter((id) => items.includes(id));
}

/** @throws BenchError `SWY_BENCH_BAD_OPTION` naming the option as its field. */
export function badOption(name: string, message: string): never {
  throw new BenchError('SWY_BENCH_BAD_OPTION', `--${name}: ${message}`, { field: `--${name}` });
}
