import type { ServerHttp2Stream } from 'node:http2';
import type { IncomingRequest } from './incoming-request.js';

/** The protocol a client spoke to the gateway: the `protocol` label of the request metrics and the log line. */
export type RequestProtocol = 'http1' | 'h2' | 'h2c';

/**
 * The protocol of a request: HTTP/1.x, HTTP/2 over TLS (ALPN `h2`) or cleartext HTTP/2 (`h2c`,
 * prior knowledge). Read from the session, not from the client's `:scheme`, which it chooses.
 */
export function protocolOf(raw: IncomingRequest): RequestProtocol {
  if (raw.httpVersionMajor !== 2) return 'http1';
  // Node's compatibility request and the stream path's both carry the stream.
  return (raw as unknown as { stream: ServerHttp2Stream }).stream.session?.encrypted === true ? 'h2' : 'h2c';
}
