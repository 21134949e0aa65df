import { Http2ServerResponse } from 'node:http2';

/**
 * The response class of the gateway's HTTP/2 servers (`Http2ServerResponse` option of
 * `http2.createServer`): Node's compatibility response with the parts of the HTTP/1.1
 * `ServerResponse` API the proxy relies on made to mean what they mean there.
 * - `destroyed`: true once the stream is gone (the client reset it or the session ended), as a
 *   `ServerResponse` is once its socket is: the proxy reads it to tell a client that left.
 * - `writableFinished`: true only once the whole response went out. Node's is true once the
 *   stream closed, however (a reset too: Node ends the stream's writable side then, marking it
 *   `aborted`), so a client that reset its stream would count as served, not as gone (499).
 * - `writeHead(status, reason, headers)`: HTTP/2 has no reason phrase; Node warns when given
 *   one, so it is dropped here and the call shape stays the same for both protocols.
 */
export class SwitchyardHttp2Response extends Http2ServerResponse {
  override writeHead(statusCode: number, reason?: unknown, headers?: unknown): this {
    // A string reason, or headers in its place (`writeHead(status, headers)`).
    return typeof reason === 'string' ? super.writeHead(statusCode, headers as never) : super.writeHead(statusCode, reason as never);
  }
}

// An accessor on the prototype: @types/node declares `destroyed` as a field (which Node 20 does not have).
Object.defineProperties(SwitchyardHttp2Response.prototype, {
  destroyed: {
    get(this: Http2ServerResponse): boolean {
      return this.stream.destroyed;
    },
  },
  writableFinished: {
    get(this: Http2ServerResponse): boolean {
      const stream = this.stream;
      return stream.writableFinished && !stream.aborted;
    },
  },
});
