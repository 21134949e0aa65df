import type { OutgoingHttpHeaders } from 'node:http';

/**
 * The client's response as the proxy writes it: Node's `ServerResponse` (HTTP/1.1, and HTTP/2
 * through Fastify's compatibility objects) or an `Http2StreamResponse` (the stream path). The
 * head goes as one flat name/value list.
 */
export interface ClientResponse {
  /** The connection or stream is gone. */
  readonly destroyed: boolean;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  /** The whole response went out. */
  readonly writableFinished: boolean;
  statusCode: number;
  writeHead(statusCode: number, head: string[]): unknown;
  write(chunk: Buffer): boolean;
  end(chunk?: string): unknown;
  addTrailers(trailers: OutgoingHttpHeaders): void;
  destroy(): unknown;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}
