import { createServer, Server as HttpServer } from 'node:http';
import { createSecureServer, createServer as createHttp2Server, type Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { CertificateStore } from '@switchyard/tls';
import type { FastifyServerFactory, FastifyServerOptions } from 'fastify';
import { PrefaceSniffer } from './connection-preface.js';
import { HTTP2_STREAM_SLOT, takeHttp2Streams } from './http2-stream-slot.js';
import { trackHttp2Sessions, type Http2Sessions } from './session-drain.js';

/** Fastify's defaults, for options Fastify hands a server factory unset (its own servers get the same). */
const FASTIFY_KEEP_ALIVE_TIMEOUT_MS = 72_000;
const FASTIFY_HTTP2_SESSION_TIMEOUT_MS = 72_000;

/** The timeouts Fastify sets on the servers it makes itself, read from the options it hands a factory. */
type FactoryOptions = FastifyServerOptions & { readonly http?: object; readonly http2SessionTimeout?: number };

/**
 * A `serverFactory` for an HTTPS listener that negotiates `h2` and `http/1.1` by ALPN: Node's
 * HTTP/2 secure server with HTTP/1.1 allowed, certificates chosen by SNI. HTTP/1.1
 * connections on it (WebSocket upgrades included) are Node's HTTP/1.1 server's and keep its
 * timeouts and `closeIdleConnections` (Fastify's `forceCloseConnections: 'idle'`); HTTP/2
 * sessions get GOAWAY when the app closes (`closeHttp2Sessions`), and `closeAllConnections`
 * (the drain deadline) destroys both. HTTP/2 streams go to the plugin's stream path
 * (`HTTP2_STREAM_SLOT`): only `startGateway` makes these servers, for apps that hold the plugin alone.
 */
export function secureServerFactory(certificates: CertificateStore): FastifyServerFactory {
  return ((handler: (request: never, response: never) => void, options: FactoryOptions) => {
    const server = createSecureServer({ ...certificates.serverOptions(), allowHTTP1: true }, handler as never);
    // Node gives the HTTP/1.1 side of an HTTP/2 server its connection tracking but not
    // Fastify's timeouts nor the methods that close those connections: the same ones
    // http.Server uses, which read the same tracking.
    const http1 = server as unknown as Http1Side;
    http1.keepAliveTimeout = options.keepAliveTimeout ?? FASTIFY_KEEP_ALIVE_TIMEOUT_MS;
    http1.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    const sessions = trackHttp2Sessions(server, options.http2SessionTimeout ?? FASTIFY_HTTP2_SESSION_TIMEOUT_MS);
    return Object.assign(server, sessions, {
      [HTTP2_STREAM_SLOT]: takeHttp2Streams(server),
      closeIdleConnections(this: Http2SecureServer): void {
        HttpServer.prototype.closeIdleConnections.call(this as never);
      },
      closeAllConnections(this: Http2SecureServer): void {
        HttpServer.prototype.closeAllConnections.call(this as never);
        sessions.destroyHttp2Sessions();
      },
    });
  }) as unknown as FastifyServerFactory;
}

/** The HTTP/1.1 settings Node reads from an HTTP/2 server that allows HTTP/1.1. */
interface Http1Side {
  keepAliveTimeout: number;
  requestTimeout: number;
}

/**
 * A `serverFactory` for a plain listener that takes HTTP/1.1 and h2c with prior knowledge on
 * one port. Node's `http2.createServer({ allowHTTP1: true })` serves no HTTP/1.1 without TLS
 * (there is no ALPN to choose by), so each connection's first bytes choose
 * (`PrefaceSniffer`): the HTTP/2 preface goes to an HTTP/2 server that never listens itself,
 * anything else to the HTTP/1.1 server Fastify would have made (same options and timeouts).
 * No h2c upgrade from HTTP/1.1 (`Upgrade: h2c`): RFC 9113 deprecates it. HTTP/2 streams go to
 * the plugin's stream path, as on `secureServerFactory`'s server.
 */
export const h2cServerFactory: FastifyServerFactory = ((handler, options: FactoryOptions) => {
  const server = createServer(options.http ?? {}, handler);
  server.keepAliveTimeout = options.keepAliveTimeout ?? FASTIFY_KEEP_ALIVE_TIMEOUT_MS;
  server.requestTimeout = options.requestTimeout ?? 0;
  server.setTimeout(options.connectionTimeout ?? 0);
  if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket !== null && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  const http2 = createHttp2Server({}, handler as never);
  const sessions = trackHttp2Sessions(http2, options.http2SessionTimeout ?? FASTIFY_HTTP2_SESSION_TIMEOUT_MS);
  // CONNECT streams go to the `connect` listeners of the server the app sees (the proxy refuses
  // them in its words); with none, 405, as a request with a method nobody serves.
  http2.on('connect', (request, response) => {
    if (server.listenerCount('connect') > 0) server.emit('connect', request, response);
    else response.writeHead(405).end();
  });
  // Node's own HTTP/1.1 connection handling, taken off the listener and called for HTTP/1.1 only.
  const http1Listeners = server.listeners('connection') as Array<(this: HttpServer, socket: Socket) => void>;
  server.removeAllListeners('connection');
  const sniffer = new PrefaceSniffer(
    {
      http1: (socket) => {
        for (const listener of http1Listeners) listener.call(server, socket);
        socket.resume();
      },
      http2: (socket) => void http2.emit('connection', socket),
    },
    () => server.headersTimeout,
  );
  server.on('connection', sniffer.accept);
  const h2c: Http2Sessions = {
    closeHttp2Sessions: () => {
      sniffer.closeAll();
      sessions.closeHttp2Sessions();
    },
    destroyHttp2Sessions: () => {
      sniffer.closeAll();
      sessions.destroyHttp2Sessions();
    },
  };
  return Object.assign(server, h2c, {
    [HTTP2_STREAM_SLOT]: takeHttp2Streams(http2),
    closeAllConnections(this: HttpServer): void {
      HttpServer.prototype.closeAllConnections.call(this);
      h2c.destroyHttp2Sessions();
    },
  });
}) as FastifyServerFactory;
