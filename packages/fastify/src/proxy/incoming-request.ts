import type { IncomingHttpHeaders } from 'node:http';

/** What the proxy reads of the connection a request came on. */
export interface ClientSocket {
  readonly remoteAddress?: string | undefined;
  readonly localPort?: number | undefined;
  /** Set on TLS sockets. */
  readonly encrypted?: boolean | undefined;
  /** The SNI server name of a TLS socket. */
  readonly servername?: unknown;
}

/**
 * The client's request as the proxy reads it: the part of Node's `IncomingMessage` it uses, so
 * a request served from an HTTP/2 stream (`Http2StreamRequest`) goes through the same routing,
 * header forwarding and logging as one Fastify hands over.
 */
export interface IncomingRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** For HTTP/2, with the pseudo-headers (`:authority`, `:path`, ...). */
  readonly headers: IncomingHttpHeaders;
  /** Name, value, name, value... as sent. */
  readonly rawHeaders: string[];
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly socket: ClientSocket;
  /** Reads and drops what is left of the body. */
  resume(): unknown;
}

/** The request an exchange belongs to: Fastify's request, or the stream path's own (`Http2StreamRequest`). */
export interface ExchangeRequest {
  /** The id of the request in the log lines. */
  readonly id: string;
  readonly raw: IncomingRequest;
}
