import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import pino from 'pino';
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
 * How pino's destination buffers (SonicBoom): a write starts once `minLength` bytes are
 * buffered, each write holds whole lines and at most `maxWrite` bytes (a line longer than that
 * alone), and what waits is written at least every `periodicFlushMs`, so a quiet gateway's
 * lines still show. 4096 bytes is PIPE_BUF on Linux: a write to a pipe (a container's stdout)
 * no larger than that is never interleaved with another process's, which keeps the lines of
 * `--workers` whole on a shared stdout as they are in a shared file (O_APPEND).
 */
export const ACCESS_LOG_BUFFER = { minLength: 2048, maxWrite: 4096, periodicFlushMs: 1000 } as const;

/** The gateway's log, opened: what `startGateway` is given, and how to end it. */
export interface AccessLog {
  /** Fastify's logger option: the level, and pino's buffered destination every app of the gateway shares. */
  readonly logger: { readonly level: LogLevel; readonly stream: pino.DestinationStream };
  /**
   * Whether the gateway builds the per-request line at all: not with `off`, and not at a level
   * that drops `info` (`warn`, `error`, `fatal`, `silent`), so a line nobody writes costs nothing.
   */
  readonly logRequests: boolean;
  /** Writes out what is buffered and, for a file, closes it. The gateway's `close()` flushes first; this ends the destination. */
  close(): Promise<void>;
}

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
 * Opens the gateway's log on pino's buffered destination. A file is opened for appending (and
 * created) before the gateway starts, so a path that cannot be written fails the start. A
 * write error later is reported once through `report`; the gateway keeps serving.
 *
 * The buffered writes are synchronous to a regular file (FILE, or stdout or stderr redirected
 * to one) and asynchronous to anything else (a pipe, a terminal). An asynchronous write hands
 * the buffer to libuv's thread pool and its completion back to the event loop: a thread switch
 * each way. Measured with the CLI on one core at a fixed 6,000 req/s (1,000 paths): the line
 * cost about 13 µs of CPU per request written asynchronously and 10 µs in place (medians of 4
 * interleaved runs); pino alone, lines logged between event-loop turns: 6.7 against 4.6 µs. A
 * write to a regular file only copies into the page cache, as nginx's buffered access log does
 * in its worker; a pipe can fill up when its reader lags (a container runtime's log reader),
 * and a write to it must not wait on the loop.
 *
 * @throws CliError `SWY_CLI_FILE_UNWRITABLE` (field `--access-log`) for a file that cannot be opened for appending.
 */
export async function openAccessLog(target: AccessLogTarget, level: LogLevel, report: (line: string) => void): Promise<AccessLog> {
  const file = typeof target === 'object' ? target.file : undefined;
  const fd = target === 'stderr' ? 2 : 1;
  const sync = file !== undefined || isRegularFile(fd);
  let stream: ReturnType<typeof pino.destination>;
  try {
    stream = pino.destination({
      dest: file ?? fd,
      sync,
      append: true,
      minLength: ACCESS_LOG_BUFFER.minLength,
      maxWrite: ACCESS_LOG_BUFFER.maxWrite,
      periodicFlush: ACCESS_LOG_BUFFER.periodicFlushMs,
    });
    await once(stream, 'ready');
  } catch (cause) {
    // A synchronous destination opens its file at once, and throws; an asynchronous one emits 'error'.
    throw unwritable(file!, cause);
  }
  // pino writes out an asynchronous destination's buffer on the process's 'exit' (a second
  // signal, a fatal error) but not a synchronous one's, which buffers all the same.
  const flushOnExit = () => {
    // (SonicBoom's `destroyed` is missing from its type.)
    if ((stream as unknown as { destroyed: boolean }).destroyed) return;
    try {
      stream.flushSync();
    } catch {
      // The process is exiting: a destination that cannot be written has been reported already.
    }
  };
  if (sync) {
    process.once('exit', flushOnExit);
    stream.once('close', () => process.off('exit', flushOnExit));
  }
  let failed = false;
  stream.on('error', (error: Error) => {
    if (failed) return;
    failed = true;
    report(`switchyard: the access log cannot be written (${error.message}); lines are lost until it can`);
  });
  const logRequests = target !== 'off' && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf('info') && level !== 'silent';
  let closing: Promise<void> | undefined;
  return {
    logger: { level, stream },
    logRequests,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        // A destination that failed may never close (pino stops writing to a broken pipe): nothing more to write.
        if (failed) return resolve();
        // end() writes what is left, in order, after a write under way; 'close' follows (fd 1 and 2 stay open).
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.end();
      })),
  };
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

/** Whether `fd` (stdout, stderr) is a regular file: the shell redirected it to one. */
function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

function unwritable(file: string, cause: unknown): CliError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? cause);
  return new CliError('SWY_CLI_FILE_UNWRITABLE', `--access-log ${file}: cannot be opened for appending: ${reason}`, { field: '--access-log', cause });
}
