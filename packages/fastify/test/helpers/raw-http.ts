import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { ERROR_HEADER } from '@switchyard/fastify';
import { rawExchange as rawExchangeOutcome } from './exchange.js';

/** One HTTP/1.1 response as it came off the wire. */
export interface RawResponse {
  readonly statusCode: number;
  /** The status line and header lines, as received (latin1). */
  readonly head: string;
  /** Header lines in order, names lowercased, values trimmed; repeated headers stay separate. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The body with any chunked framing removed. */
  readonly body: Buffer;
  /** The body came with chunked framing. */
  readonly chunked: boolean;
}

/** The first value of a header (name in lowercase), or undefined. */
export function headerOf(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1];
}

/** Every value of a header (name in lowercase), one per header line. */
export function headersOf(response: RawResponse, name: string): string[] {
  return response.headers.filter(([key]) => key === name).map(([, value]) => value);
}

/**
 * A client connection over a raw TCP socket, for tests where the exact bytes matter: what is
 * sent is written as is, and responses are parsed one at a time as they arrive (so keep-alive,
 * pipelining and a server-side close can all be observed).
 */
export class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private finished = false;
  /** The socket error, if the connection ended with one (ECONNRESET). */
  error: Error | undefined;
  /** The server half-closed the connection cleanly (a FIN: 'end'), as opposed to a reset. */
  sawEnd = false;
  /** Resolves when the server ended the connection ('end' or 'close'), whichever first. */
  readonly ended: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    socket.on('error', (error) => (this.error = error));
    this.ended = new Promise((resolve) => {
      const done = (): void => {
        this.finished = true;
        this.notify();
        resolve();
      };
      socket.once('end', () => {
        this.sawEnd = true;
        done();
      });
      socket.once('close', done);
    });
  }

  /** Connects to `http://host:port` (of a URL string). */
  static async open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.setNoDelay(true);
    return new RawConnection(socket);
  }

  /** True once the server ended the connection. */
  get isEnded(): boolean {
    return this.finished;
  }

  /** Bytes received and not consumed by `readResponse` yet. */
  get pending(): Buffer {
    return this.buffer;
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /**
   * Reads the next response. `method` is the request's (a HEAD response has no body). An
   * interim 1xx response is returned on its own; call again for the final one.
   * @throws when the connection ends before the response is complete.
   */
  async readResponse(method = 'GET'): Promise<RawResponse> {
    const headEnd = await this.until(() => {
      const at = this.buffer.indexOf('\r\n\r\n');
      return at < 0 ? undefined : at;
    }, 'the response head');
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    this.buffer = this.buffer.subarray(headEnd + 4);
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (status === null) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(lines[0])}`);
    const statusCode = Number(status[1]);
    const headers = lines.slice(1).map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    });
    const response = (body: Buffer, chunked: boolean): RawResponse => ({ statusCode, head, headers, body, chunked });
    if (statusCode < 200 || statusCode === 204 || statusCode === 304 || method === 'HEAD') return response(Buffer.alloc(0), false);

    const transferEncoding = headers.find(([name]) => name === 'transfer-encoding')?.[1];
    if (transferEncoding !== undefined && /(^|,)\s*chunked\s*$/i.test(transferEncoding)) return response(await this.readChunked(), true);
    const contentLength = headers.find(([name]) => name === 'content-length')?.[1];
    if (contentLength !== undefined) {
      const length = Number(contentLength);
      await this.until(() => (this.buffer.length >= length ? true : undefined), `${length} body bytes`);
      const body = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      return response(body, false);
    }
    // No framing: the body runs until the server closes.
    await this.ended;
    const body = this.buffer;
    this.buffer = Buffer.alloc(0);
    return response(body, false);
  }

  /** Destroys the socket (the client's side of the test is done). */
  close(): void {
    this.socket.destroy();
  }

  private async readChunked(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = await this.until(() => {
        const at = this.buffer.indexOf('\r\n');
        return at < 0 ? undefined : at;
      }, 'a chunk size line');
      const size = Number.parseInt(this.buffer.subarray(0, lineEnd).toString('latin1'), 16);
      if (!Number.isInteger(size) || size < 0) throw new Error(`bad chunk size line ${JSON.stringify(this.buffer.subarray(0, lineEnd).toString('latin1'))}`);
      if (size === 0) {
        // Trailers (none expected) up to the empty line.
        const end = await this.until(() => {
          const at = this.buffer.indexOf('\r\n\r\n', lineEnd);
          return at < 0 ? undefined : at;
        }, 'the end of the chunked body');
        this.buffer = this.buffer.subarray(end + 4);
        return Buffer.concat(parts);
      }
      const needed = lineEnd + 2 + size + 2;
      await this.until(() => (this.buffer.length >= needed ? true : undefined), `a chunk of ${size} bytes`);
      parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      if (this.buffer.subarray(needed - 2, needed).toString('latin1') !== '\r\n') throw new Error('chunk not followed by CRLF');
      this.buffer = this.buffer.subarray(needed);
    }
  }

  /** Waits for data until `check` returns a value; throws if the connection ends first. */
  private async until<T>(check: () => T | undefined, what: string): Promise<T> {
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (this.finished) throw new Error(`the connection ended before ${what} (received ${JSON.stringify(this.buffer.toString('latin1').slice(0, 200))}${this.error ? `, ${this.error.message}` : ''})`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Sends `request` on a new connection and returns every byte the server sent until it ended
 * the connection (latin1). A reset after the answer counts as an end.
 */
export async function rawExchange(url: string, request: string | Buffer): Promise<string> {
  return (await rawExchangeOutcome(url, request)).data.toString('latin1');
}

/** The status code of a raw HTTP/1.1 answer (`rawExchange`'s text); NaN when it has no status line. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
}

/** The `x-switchyard-error` code of a raw HTTP/1.1 answer, if its head has one. */
export function errorCodeOf(answer: string): string | undefined {
  const head = answer.slice(0, Math.max(0, answer.indexOf('\r\n\r\n')));
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${ERROR_HEADER}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}
