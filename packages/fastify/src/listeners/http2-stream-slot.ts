import type { IncomingHttpHeaders } from 'node:http';
import type { Http2SecureServer, Http2Server, ServerHttp2Stream } from 'node:http2';

/** Serves an HTTP/2 request from its stream (the plugin's `Proxy.serveStream`). */
export type Http2StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]) => void;

/** Where a server `startGateway` made offers its HTTP/2 streams to the plugin. */
export const HTTP2_STREAM_SLOT = Symbol('switchyard.http2StreamSlot');

/** Set `handler` to take the streams; until then (and for what it never takes) Node's compatibility layer and the app serve them. */
export interface Http2StreamSlot {
  handler: Http2StreamHandler | undefined;
}

/** A server that offers its HTTP/2 streams (`HTTP2_STREAM_SLOT`). */
export type WithHttp2StreamSlot = { readonly [HTTP2_STREAM_SLOT]?: Http2StreamSlot };

/**
 * Puts a slot in front of the `stream` listener Node's compatibility layer put on `server`
 * (the one that makes `Http2ServerRequest`/`Http2ServerResponse` and emits `request` to the
 * app). Streams go to the slot's handler once there is one, except those Node's layer answers
 * on its own terms: CONNECT (the server's `connect` event) and requests with `Expect` (100
 * Continue, 417). Only for servers whose app is the plugin alone: the handler skips the app's
 * routing and hooks.
 */
export function takeHttp2Streams(server: Http2Server | Http2SecureServer): Http2StreamSlot {
  const compat = server.listeners('stream') as Array<(...args: unknown[]) => void>;
  server.removeAllListeners('stream');
  const slot: Http2StreamSlot = { handler: undefined };
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    const handler = slot.handler;
    if (handler !== undefined && headers[':method'] !== 'CONNECT' && headers.expect === undefined) return handler(stream, headers, rawHeaders);
    for (const listener of compat) listener.call(server, stream, headers, flags, rawHeaders);
  });
  return slot;
}
