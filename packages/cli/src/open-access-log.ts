import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { RequestLineWriter } from '@switchyard/fastify';
import pino from 'pino';
import { LOG_LEVELS, unwritable, type AccessLogTarget, type LogLevel } from './access-log.js';

// Opening the log for `serve`: apart from access-log.ts, whose parsing `check` and `explain`
// load too, because this loads @switchyard/fastify (the request line writer).

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
  /** Writes the per-request lines to the logger's destination, cheaper than through the logger (absent when `logRequests` is false). */
  readonly requestLines: RequestLineWriter | undefined;
  /** Writes out what is buffered and, for a file, closes it. The gateway's `close()` flushes first; this ends the destination. */
  close(): Promise<void>;
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
 * The per-request line goes to the same destination through a `RequestLineWriter` (pino's line,
 * made without pino's asJson, the lines of an event-loop turn written together): in
 * `bench:proxy` that took the line from 14.1 to 7.7 µs of CPU per request. Warnings and errors
 * go through the logger.
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
  const logRequests = target !== 'off' && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf('info') && level !== 'silent';
  const requestLines = logRequests ? new RequestLineWriter(stream, { maxWriteBytes: ACCESS_LOG_BUFFER.maxWrite }) : undefined;
  // On the process's 'exit' (a second signal, a fatal error) the lines of the current turn go
  // to the destination and the destination writes what it buffers. pino flushes an asynchronous
  // destination on 'exit' too, but its handler runs first (it registered first), before these lines.
  const flushOnExit = () => {
    // (SonicBoom's `destroyed` is missing from its type.)
    if ((stream as unknown as { destroyed: boolean }).destroyed) return;
    try {
      requestLines?.flush();
      stream.flushSync();
    } catch {
      // The process is exiting: a destination that cannot be written has been reported already.
    }
  };
  process.once('exit', flushOnExit);
  stream.once('close', () => process.off('exit', flushOnExit));
  let failed = false;
  stream.on('error', (error: Error) => {
    if (failed) return;
    failed = true;
    report(`switchyard: the access log cannot be written (${error.message}); lines are lost until it can`);
  });
  let closing: Promise<void> | undefined;
  return {
    logger: { level, stream },
    logRequests,
    requestLines,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        requestLines?.flush();
        // A destination that failed may never close (pino stops writing to a broken pipe): nothing more to write.
        if (failed) return resolve();
        // end() writes what is left, in order, after a write under way; 'close' follows (fd 1 and 2 stay open).
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.end();
      })),
  };
}

/** Whether `fd` (stdout, stderr) is a regular file: the shell redirected it to one. */
function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
