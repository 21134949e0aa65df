import { once } from 'node:events';
import { fstatSync, statSync } from 'node:fs';
import { RequestLineWriter } from '@switchyard/fastify';
import pino from 'pino';
import { LOG_LEVELS, unwritable, type AccessLogTarget, type LogLevel } from './access-log.js';

// Opening the log for `serve`: apart from access-log.ts, whose parsing `check` and `explain`
// load too, because this loads @switchyard/fastify (the request line writer).

/**
 * How pino's destination buffers (SonicBoom) when it writes to a pipe or a terminal (a
 * container's stdout): a write starts once `minLength` bytes are buffered, each write holds
 * whole lines and at most `maxWrite` bytes (a line longer than that alone), and what waits is
 * written at least every `periodicFlushMs`, so a quiet gateway's lines still show. 4096 bytes
 * is PIPE_BUF on Linux: a write to a pipe no larger than that is never interleaved with another
 * process's, which keeps the lines of `--workers` whole on a shared stdout.
 */
export const ACCESS_LOG_BUFFER = { minLength: 2048, maxWrite: 4096, periodicFlushMs: 1000, linesWriteBytes: 4096 } as const;

/**
 * The same to a regular file (FILE, or stdout redirected to one): larger writes, fewer of them.
 * An append to a file is one write however large (O_APPEND: each write lands whole at the end,
 * also with `--workers` on one file), so PIPE_BUF does not bound it. Measured with the CLI on one
 * core at full load, in-process A/B (alternating half-second slices, 80 s, two runs): the line
 * cost 2.9 and 3.0 µs of CPU per request with these, 3.9 and 4.7 with the pipe's.
 */
export const FILE_ACCESS_LOG_BUFFER = { minLength: 32_768, maxWrite: 65_536, periodicFlushMs: 1000, linesWriteBytes: 16_384 } as const;

/** The gateway's log, opened: what `startGateway` is given, and how to end it. */
export interface AccessLog {
  /** Fastify's logger option: the level, and pino's buffered destination every app of the gateway shares. */
  readonly logger: { readonly level: LogLevel; readonly stream: pino.DestinationStream };
  /**
   * Writes the per-request lines to the logger's destination, cheaper than through the logger.
   * Absent when the gateway builds no line at all: with `off`, and at a level that drops `info`
   * (`warn`, `error`, `fatal`, `silent`), so a line nobody writes costs nothing.
   */
  readonly requestLines: RequestLineWriter | undefined;
  /** Writes out what is buffered and, for a file, closes it. The gateway's `close()` flushes first; this ends the destination. */
  close(): Promise<void>;
}

/**
 * Opens the gateway's log on pino's buffered destination. A file is opened for appending (and
 * created) before the gateway starts, so a path that cannot be written fails the start. A
 * write error later is reported once through `report`; the gateway keeps serving.
 *
 * The buffered writes are synchronous to a regular file (a FILE that is one or does not exist
 * yet, or stdout or stderr redirected to one), up to 64 KiB at a time (`FILE_ACCESS_LOG_BUFFER`),
 * and asynchronous to anything else (a pipe, a terminal), up to 4 KiB (`ACCESS_LOG_BUFFER`). An
 * asynchronous write hands the buffer to libuv's thread pool and its completion back to the event
 * loop: a thread switch each way. Measured with the CLI on one core at a fixed 6,000 req/s (1,000
 * paths): the line cost about 13 µs of CPU per request written asynchronously and 10 µs in place
 * (medians of 4 interleaved runs, lines through pino). A write to a regular file only copies into
 * the page cache, as nginx's buffered access log does in its worker; a pipe can fill up when its
 * reader lags (a container runtime's log reader), and a write to it must not wait on the loop.
 *
 * The per-request line goes to the same destination through a `RequestLineWriter` (pino's line,
 * made without pino's asJson, the lines of an event-loop turn written together); warnings and
 * errors go through the logger. In-process A/B on the CLI at full load, against no line: a line
 * through pino 7.2 and 9.4 µs of CPU per request, through the writer with the file buffer 2.9
 * and 3.0 µs.
 *
 * @throws CliError `SWY_CLI_FILE_UNWRITABLE` (field `--access-log`) for a file that cannot be opened for appending.
 */
export async function openAccessLog(target: AccessLogTarget, level: LogLevel, report: (line: string) => void): Promise<AccessLog> {
  const file = typeof target === 'object' ? target.file : undefined;
  const fd = target === 'stderr' ? 2 : 1;
  // In place to a regular file (a FILE that is a FIFO or a device is written as a pipe is).
  const sync = file !== undefined ? isRegularPath(file) : isRegularFile(fd);
  const buffer = sync ? FILE_ACCESS_LOG_BUFFER : ACCESS_LOG_BUFFER;
  let stream: ReturnType<typeof pino.destination>;
  try {
    stream = pino.destination({
      dest: file ?? fd,
      sync,
      append: true,
      minLength: buffer.minLength,
      maxWrite: buffer.maxWrite,
      periodicFlush: buffer.periodicFlushMs,
    });
    await once(stream, 'ready');
  } catch (cause) {
    // A synchronous destination opens its file at once, and throws; an asynchronous one emits 'error'.
    throw unwritable(file!, cause);
  }
  const logRequests = target !== 'off' && LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf('info') && level !== 'silent';
  const requestLines = logRequests ? new RequestLineWriter(stream, { maxWriteBytes: buffer.linesWriteBytes }) : undefined;
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

/** Whether `path` is a regular file, or nothing yet (opening for appending creates one). */
function isRegularPath(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? true;
  } catch {
    // A path that cannot be stat'ed cannot be opened either: opening it reports why.
    return true;
  }
}
