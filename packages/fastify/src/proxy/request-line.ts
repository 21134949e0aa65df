import { hostname } from 'node:os';
import { FastifyPluginError } from '../errors.js';
import type { RequestProtocol } from './request-protocol.js';

/** What the per-request line says (`msg: "proxied"`); a field that is undefined is left out, as pino leaves it out. */
export interface RequestLine {
  /** Fastify's request id. */
  readonly reqId: string | undefined;
  readonly protocol: RequestProtocol;
  readonly method: string | undefined;
  /** The Host header as sent. */
  readonly host: string | undefined;
  /** The normalized path and query when routed, else the raw target. */
  readonly path: string | undefined;
  /** The route's backend key (`namespace/service:port`). */
  readonly backend: string | undefined;
  /** The endpoint the request went to (`address:port`). */
  readonly endpoint: string | undefined;
  readonly status: number;
  /** A gRPC call's `grpc-status`. */
  readonly grpcStatus: number | undefined;
  /** The `SWY_...` code of a request the gateway answered itself or that failed. */
  readonly error: string | undefined;
  readonly reason: string | undefined;
  readonly durationMs: number;
  /** The X-Request-Id sent upstream. */
  readonly requestId: string;
}

/**
 * What `RequestLineWriter` writes to: pino's destination (`pino.destination(...)`, SonicBoom),
 * or any stream that takes strings.
 */
export interface RequestLineDestination {
  write(chunk: string): unknown;
}

/** `RequestLineWriter`'s options. */
export interface RequestLineWriterOptions {
  /** The `pid` of each line. Default `process.pid`, as pino's. */
  readonly pid?: number;
  /** The `hostname` of each line. Default `os.hostname()`, as pino's. */
  readonly hostname?: string;
  /**
   * The most bytes one `write` carries, whole lines only (a longer line alone). Default 4096,
   * PIPE_BUF on Linux: a write to a pipe no larger than that is never interleaved with another
   * process's, so the lines of several workers on one stdout stay whole.
   */
  readonly maxWriteBytes?: number;
}

/** See `RequestLineWriterOptions.maxWriteBytes`. */
export const DEFAULT_REQUEST_LINE_WRITE_BYTES = 4096;

/**
 * Writes the per-request lines straight to a log destination, in the line pino writes for
 * `logger.info(line, 'proxied')` with its default options (`level` 30, `time` in epoch
 * milliseconds, `pid`, `hostname`, the fields, `msg`): the plugin's `requestLines` option.
 *
 * Why not through the logger: the CLI on one core at full load (1,000 paths, the line to a
 * file through `pino.destination`, CPU per request against no line, alternating half-second
 * slices in one process for 60 s, two runs): a line through pino cost 7.2 and 9.4 µs, one from
 * here 2.9 and 4.1 µs. A request only keeps its line here (the time taken then); the lines of
 * one event-loop turn are made and written together once the turn's I/O callbacks have run
 * (`setImmediate`), so that code runs warm: made one at a time, each between two requests'
 * work, the same lines cost about twice as much; through pino, even batched, about 8 µs.
 *
 * The writer holds lines only until the end of the current turn. `flush()` writes them at
 * once: call it before flushing or ending the destination, and on the process's 'exit' (a
 * fatal error), so a line is never lost that the destination would have kept.
 */
export class RequestLineWriter {
  private readonly head: string;
  /** Whether `head` is ASCII (a hostname may not be). */
  private readonly asciiHead: boolean;
  private readonly maxWriteBytes: number;
  private lines: RequestLine[] = [];
  private times: number[] = [];
  private scheduled = false;
  private lastTime = Number.NaN;
  private lastTimeText = '';
  /** Whether a field of the line being made is other than printable ASCII: its bytes are then counted, not its length. */
  private notAscii = false;
  private readonly writeScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** @throws FastifyPluginError `SWY_FASTIFY_INVALID_OPTIONS` (field `destination` or `maxWriteBytes`). */
  constructor(
    private readonly destination: RequestLineDestination,
    options: RequestLineWriterOptions = {},
  ) {
    if (typeof destination?.write !== 'function') invalid('destination', 'the destination must have write(chunk)');
    const maxWriteBytes = options.maxWriteBytes ?? DEFAULT_REQUEST_LINE_WRITE_BYTES;
    if (!Number.isInteger(maxWriteBytes) || maxWriteBytes < 1) invalid('maxWriteBytes', `maxWriteBytes must be a positive integer, got ${String(maxWriteBytes)}`);
    this.maxWriteBytes = maxWriteBytes;
    this.head = `,"pid":${options.pid ?? process.pid},"hostname":${JSON.stringify(options.hostname ?? hostname())}`;
    this.asciiHead = Buffer.byteLength(this.head) === this.head.length;
  }

  /** Keeps `line` for the end of this event-loop turn; `time` is its epoch milliseconds (`Date.now()`). */
  add(line: RequestLine, time: number): void {
    this.lines.push(line);
    this.times.push(time);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.writeScheduled);
    }
  }

  /** The lines kept and not yet written. */
  get pending(): number {
    return this.lines.length;
  }

  /** Writes the lines kept so far to the destination, now, in the order they were added. */
  flush(): void {
    const lines = this.lines;
    const count = lines.length;
    if (count === 0) return;
    const times = this.times;
    // New arrays before writing: a destination that throws must not make the next flush write these again.
    this.lines = [];
    this.times = [];
    const max = this.maxWriteBytes;
    let chunk = '';
    let chunkBytes = 0;
    for (let i = 0; i < count; i++) {
      this.notAscii = !this.asciiHead;
      const text = this.format(lines[i]!, times[i]!);
      // Counting the bytes of a line made of pieces first joins them: only when one may be more than a byte a character.
      const bytes = this.notAscii ? Buffer.byteLength(text) : text.length;
      if (chunkBytes > 0 && chunkBytes + bytes > max) {
        this.destination.write(chunk);
        chunk = '';
        chunkBytes = 0;
      }
      chunk += text;
      chunkBytes += bytes;
    }
    this.destination.write(chunk);
  }

  /** One line, as pino's `asJson` writes it (the same JSON, escaped as JSON.stringify escapes). */
  private format(line: RequestLine, time: number): string {
    // The lines of one turn mostly share their millisecond: its text is made once.
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.lastTimeText = String(time);
    }
    return (
      `{"level":30,"time":${this.lastTimeText}${this.head}` +
      (line.reqId === undefined ? '' : `,"reqId":${this.quoted(line.reqId)}`) +
      `,"protocol":"${line.protocol}"` +
      (line.method === undefined ? '' : `,"method":${this.quoted(line.method)}`) +
      (line.host === undefined ? '' : `,"host":${this.quoted(line.host)}`) +
      (line.path === undefined ? '' : `,"path":${this.quoted(line.path)}`) +
      (line.backend === undefined ? '' : `,"backend":${this.quoted(line.backend)}`) +
      (line.endpoint === undefined ? '' : `,"endpoint":${this.quoted(line.endpoint)}`) +
      `,"status":${line.status}` +
      (line.grpcStatus === undefined ? '' : `,"grpcStatus":${line.grpcStatus}`) +
      (line.error === undefined ? '' : `,"error":${this.quoted(line.error)}`) +
      (line.reason === undefined ? '' : `,"reason":${this.quoted(line.reason)}`) +
      `,"durationMs":${milliseconds(line.durationMs)},"requestId":${this.quoted(line.requestId)},"msg":"proxied"}\n`
    );
  }

  /** `JSON.stringify(text)`, without its cost for the usual printable ASCII; anything else marks the line `notAscii`. */
  private quoted(text: string): string {
    if (!NOT_PLAIN.test(text)) return `"${text}"`;
    this.notAscii = true;
    return JSON.stringify(text);
  }
}

/**
 * Anything but printable ASCII, and `"` and `\`: what JSON.stringify may escape (control
 * characters, surrogates: a lone one is escaped, a pair kept) and what takes more than one
 * byte in UTF-8 (from U+0080) go the slow way.
 */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/**
 * `String(value)` as pino writes a number (null when not finite), made from integers for the
 * usual duration of whole microseconds (`Math.round(µs) / 1000`): turning a fraction into its
 * shortest text is the costly part, and for a number of at most three decimals that text is
 * those decimals, trailing zeros dropped.
 */
function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const micros = Math.round(value * 1000);
  if (micros < 0 || micros > MAX_EXACT_MICROS || micros / 1000 !== value) return String(value);
  const whole = Math.floor(micros / 1000);
  const fraction = micros - whole * 1000;
  if (fraction === 0) return String(whole);
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

/** Beyond this, `micros / 1000` may not be the nearest number to the decimal: `String` decides. */
const MAX_EXACT_MICROS = 2 ** 50;

function invalid(field: string, message: string): never {
  throw new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `RequestLineWriter: ${message}`, { field });
}

