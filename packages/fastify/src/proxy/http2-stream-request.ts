import type { IncomingHttpHeaders } from 'node:http';
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Readable } from 'node:stream';
import type { ClientSocket, ExchangeRequest, IncomingRequest } from './incoming-request.js';

const SOCKET_OF_SESSION = Symbol('switchyard.clientSocket');
type Session = ServerHttp2Session & { [SOCKET_OF_SESSION]?: ClientSocket };

/**
 * A request served straight from its HTTP/2 stream (the stream path, `Proxy.serveStream`):
 * what Node's compatibility request would show the proxy, made of the `stream` event's own
 * headers objects with nothing copied, and its own `ExchangeRequest` (`raw` is itself). The
 * body is the stream: `ClientBody` reads it (`bodySourceOf`).
 */
export class Http2StreamRequest implements IncomingRequest, ExchangeRequest {
  readonly httpVersionMajor = 2;
  readonly httpVersionMinor = 0;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly socket: ClientSocket;

  constructor(
    readonly stream: ServerHttp2Stream,
    readonly headers: IncomingHttpHeaders,
    readonly rawHeaders: string[],
    readonly id: string,
  ) {
    this.method = headers[':method'] as string | undefined;
    this.url = headers[':path'] as string | undefined;
    this.socket = clientSocketOf(stream.session as Session);
  }

  get raw(): this {
    return this;
  }

  resume(): this {
    this.stream.resume();
    return this;
  }
}

/**
 * The connection's addresses, read once per session: Node's `session.socket` is a Proxy whose
 * every property read goes through a trap, and the proxy reads these on every request.
 */
function clientSocketOf(session: Session): ClientSocket {
  let socket = session[SOCKET_OF_SESSION];
  if (socket === undefined) {
    const raw = session.socket as ClientSocket;
    socket = { remoteAddress: raw.remoteAddress, localPort: raw.localPort, encrypted: raw.encrypted === true, servername: raw.servername };
    session[SOCKET_OF_SESSION] = socket;
  }
  return socket;
}

/** Where a request's body is read from: the stream of a stream-path request, else the request itself. */
export function bodySourceOf(raw: IncomingRequest): Readable {
  return raw instanceof Http2StreamRequest ? raw.stream : (raw as unknown as Readable);
}
