import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import { constants, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { ClientResponse } from './client-response.js';
import { EXCHANGE_OF_RESPONSE, type Exchange } from './exchange.js';

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = constants;
const RESPONSE_OF_STREAM = Symbol('switchyard.response');
type Stream = ServerHttp2Stream & { [RESPONSE_OF_STREAM]?: Http2StreamResponse };

/**
 * The response of a request served straight from its HTTP/2 stream (`Http2StreamRequest`):
 * the part of Node's `ServerResponse` the proxy writes through, each call one call on the
 * stream. Unlike Node's compatibility response it is no stream itself, checks no header a
 * second time (`respond` does), and asks for trailers only when some may come.
 * - `close` is emitted once the stream closed, `drain` when the stream drained.
 * - `writableFinished`: the whole response went out: ended by the proxy, and the stream closed
 *   without a reset (Node may emit 'close' before 'finish' once the client's side ended too).
 * - `destroy()` resets the stream with INTERNAL_ERROR: the client sees the response broke.
 * - The stream's errors are the exchange's business through 'close' (a reset with an error code
 *   emits 'error', which with no listener would throw and end the process).
 */
export class Http2StreamResponse extends EventEmitter {
  statusCode = 200;
  [EXCHANGE_OF_RESPONSE]: Exchange | undefined = undefined;
  private trailers: OutgoingHttpHeaders | undefined = undefined;
  private forwardsDrain = false;

  /** The stream's session: a closed stream no longer has it. */
  private readonly session: Http2Session;

  constructor(readonly stream: ServerHttp2Stream) {
    super();
    this.session = stream.session!;
    (stream as Stream)[RESPONSE_OF_STREAM] = this;
    stream.on('close', emitClose);
    // A stream reset with an error code (by the client, or by `destroy()`) emits 'error', which
    // without a listener would throw: what ends the exchange is 'close'.
    stream.on('error', ignoreStreamError);
  }

  get destroyed(): boolean {
    return this.stream.destroyed;
  }

  get headersSent(): boolean {
    return this.stream.headersSent;
  }

  get writableEnded(): boolean {
    return this.stream.writableEnded;
  }

  get writableFinished(): boolean {
    const stream = this.stream;
    if (!stream.writableEnded || stream.aborted) return false;
    const rstCode = stream.rstCode;
    // Closed by both sides' END_STREAM (no reset, its session alive): ours went out.
    return stream.writableFinished || (stream.closed && (rstCode === undefined || rstCode === NGHTTP2_NO_ERROR) && !this.session.destroyed);
  }

  /** The head, from a flat name/value list (`responseHead`, the proxy's own answers); trailers are not expected. */
  writeHead(statusCode: number, head: readonly string[]): this {
    this.respond(statusCode, head, false);
    return this;
  }

  /**
   * The head, and whether trailers may follow the body (`addTrailers` before `end`): HTTP/2
   * must say so in advance, and saying so costs a frame, so only when they may come (an h2c
   * upstream's answer, or an HTTP/1.1 one without a length: chunked).
   */
  respond(statusCode: number, head: readonly string[], trailersMayFollow: boolean): void {
    const stream = this.stream;
    // Reset by the client, its 'close' not yet come: nobody to answer.
    if (stream.destroyed || stream.closed) return;
    const headers = this.headersOf(statusCode, head);
    if (trailersMayFollow) {
      stream.respond(headers, { waitForTrailers: true });
      stream.once('wantTrailers', sendTrailers);
    } else {
      stream.respond(headers);
    }
  }

  /**
   * The head as the whole response: one HEADERS frame that ends the stream (a gRPC
   * trailers-only answer, a head without a body); `writeHead` and `end` would add an empty DATA
   * frame, after which gRPC clients no longer read `grpc-status` from the head.
   */
  respondAndEnd(statusCode: number, head: readonly string[]): void {
    const stream = this.stream;
    if (stream.destroyed || stream.closed) return;
    stream.respond(this.headersOf(statusCode, head), { endStream: true });
  }

  /** The HTTP/2 header object of a flat name/value list, `:status` first; repeated names become arrays. */
  private headersOf(statusCode: number, head: readonly string[]): OutgoingHttpHeaders {
    this.statusCode = statusCode;
    const headers: OutgoingHttpHeaders = { ':status': statusCode };
    for (let i = 0; i < head.length; i += 2) {
      const name = head[i]!.toLowerCase();
      const known = headers[name];
      if (known === undefined) headers[name] = head[i + 1]!;
      else if (Array.isArray(known)) known.push(head[i + 1]!);
      else headers[name] = [known as string, head[i + 1]!];
    }
    return headers;
  }

  write(chunk: Buffer): boolean {
    return this.stream.write(chunk);
  }

  end(chunk?: string | Buffer): this {
    const stream = this.stream;
    if (!stream.headersSent) this.respond(this.statusCode, NO_HEAD, false);
    if (chunk === undefined) stream.end();
    else stream.end(chunk);
    return this;
  }

  /** Trailers for the end of the body; sent only when the head said some may follow. */
  addTrailers(trailers: OutgoingHttpHeaders): void {
    this.trailers = trailers;
  }

  /** The trailers given (none: an empty set), once the stream asks for them. */
  takeTrailers(): OutgoingHttpHeaders {
    return this.trailers ?? {};
  }

  destroy(): this {
    const stream = this.stream;
    if (!stream.closed && !stream.destroyed) stream.close(NGHTTP2_INTERNAL_ERROR);
    return this;
  }

  override once(event: string | symbol, listener: (...args: any[]) => void): this {
    if (event === 'drain' && !this.forwardsDrain) {
      this.forwardsDrain = true;
      this.stream.on('drain', emitDrain);
    }
    return super.once(event, listener);
  }
}

const NO_HEAD: readonly string[] = [];

// Shared by every response: `this` is the stream.
function ignoreStreamError(): void {}

function emitClose(this: Stream): void {
  this[RESPONSE_OF_STREAM]!.emit('close');
}

function emitDrain(this: Stream): void {
  this[RESPONSE_OF_STREAM]!.emit('drain');
}

function sendTrailers(this: Stream): void {
  // Empty trailers end the stream with an empty DATA frame.
  this.sendTrailers(this[RESPONSE_OF_STREAM]!.takeTrailers());
}

/**
 * The response the forwarder writes: Node's HTTP/2 compatibility response (the plugin on an
 * app's own `http2: true` server, or a request Node's layer kept) is written through its stream
 * as the stream path writes it, so a cut resets the stream with INTERNAL_ERROR and `destroyed`
 * and `writableFinished` mean what they do for HTTP/1.1 (Node 20's compatibility response has
 * no `destroyed`, and its `destroy()` resets with NO_ERROR: a cut answer looked complete).
 */
export function responseToWrite(res: ClientResponse): ClientResponse {
  if (res instanceof Http2StreamResponse) return res;
  const stream = (res as { stream?: ServerHttp2Stream }).stream;
  if (stream === undefined) return res;
  // Node's response answers 'wantTrailers' with its own (empty) trailers; the proxy's go instead.
  stream.removeAllListeners('wantTrailers');
  return new Http2StreamResponse(stream);
}
