import { open } from 'node:fs/promises';
import { CliError } from './errors.js';

/**
 * Where `serve` writes the gateway's log (`--access-log`): stdout (the default), stderr, a file
 * appended to, or `off`. The log is the gateway's pino logger: one JSON line per request at
 * `info` (`msg: "proxied"`), and its rare warnings and errors, told apart by `level`. `off` drops
 * the per-request line only; the warnings and errors still go to stdout.
 */
export type AccessLogTarget = 'stdout' | 'stderr' | 'off' | { readonly file: string };

/** pino's levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level of the gateway's log when none is given: the per-request line's own. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/**
 * `--access-log stdout|stderr|off|FILE`: any other value is a file path (`./off` for a file
 * named off).
 *
 * @throws CliError `SWY_CLI_BAD_VALUE` (field `--access-log`) for an empty value.
 */
export function parseAccessLog(value: string): AccessLogTarget {
  if (value === 'stdout' || value === 'stderr' || value === 'off') return value;
  if (value.trim() === '') throw new CliError('SWY_CLI_BAD_VALUE', '--access-log "": give stdout, stderr, off or a file to append to', { field: '--access-log' });
  return { file: value };
}

/**
 * `--log-level LEVEL`, one of pino's.
 *
 * @throws CliError `SWY_CLI_BAD_VALUE` (field `--log-level`) for anything else.
 */
export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((known) => known === value);
  if (level === undefined) throw new CliError('SWY_CLI_BAD_VALUE', `--log-level ${JSON.stringify(value)}: give one of ${LOG_LEVELS.join(', ')}`, { field: '--log-level' });
  return level;
}

/**
 * Opens `file` for appending (creating it) and closes it again: the primary of `--workers`
 * checks the path once, before forking, rather than every worker failing alike.
 *
 * @throws CliError `SWY_CLI_FILE_UNWRITABLE` (field `--access-log`).
 */
export async function assertAppendable(file: string): Promise<void> {
  try {
    await (await open(file, 'a')).close();
  } catch (cause) {
    throw unwritable(file, cause);
  }
}

/** The error for a log file that cannot be opened for appending: `--access-log` and the reason. */
export function unwritable(file: string, cause: unknown): CliError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? cause);
  return new CliError('SWY_CLI_FILE_UNWRITABLE', `--access-log ${file}: cannot be opened for appending: ${reason}`, { field: '--access-log', cause });
}
