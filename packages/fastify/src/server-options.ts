import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { ProxyObserver } from './options.js';
import { answer, answerOnSocket } from './proxy/answer.js';
import { recordUnrouted } from './proxy/request-outcome.js';
import { protocolOf } from './proxy/request-protocol.js';

/** What `switchyardServerOptions` is given. */
export interface SwitchyardServerOptionsInput {
  /** The observer given to the plugin, so requests refused before routing are counted too. */
  readonly observer?: ProxyObserver;
  /**
   * For `Fastify({ http2: true })`: Fastify's HTTP/2 server refuses `forceCloseConnections:
   * 'idle'` (`FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE`), so it is left to Fastify's
   * default there. Default false.
   */
  readonly http2?: boolean;
  /** Where the line of a request refused before routing goes. Default: the request's logger, or the app's for a request Node's parser refused (there is no request). */
  readonly logger?: FastifyBaseLogger;
}

/**
 * The Fastify server options under which every answer of a proxying app is the proxy's own,
 * whether the app is `startGateway`'s or yours: spread them into `Fastify({ ... })` before
 * registering the plugin. They:
 * - leave a missing Host to the proxy (400 `SWY_PROXY_BAD_REQUEST` with its code; Node's own
 *   answer has none);
 * - answer a target find-my-way cannot decode, and a request Node's parser refuses (oversized
 *   headers: 431, conflicting Content-Length and Transfer-Encoding: 400), in the proxy's words,
 *   counted by the observer and logged in the plugin's line shape, nothing forwarded;
 * - close idle keep-alive connections when the app closes (not with `http2`: Fastify's HTTP/2
 *   server cannot), and leave the requests that still arrive to the plugin (Fastify's
 *   `return503OnClosing` is off): it answers 503 `SWY_PROXY_CLOSING` in its own words, counted
 *   and logged as any request, and adds `Connection: close` to every answer given while closing
 *   (the app's own routes still serve, so a request in progress can finish its exchange);
 * - turn off Fastify's own per-request log lines: the plugin logs one line per request.
 */
export function switchyardServerOptions(input: SwitchyardServerOptionsInput = {}): FastifyServerOptions {
  const observer = input.observer;
  const logger = input.logger;
  // `http` (node:http server options) is read by Fastify but missing from its types.
  const options: FastifyServerOptions & { http: { requireHostHeader: boolean } } = {
    http: { requireHostHeader: false },
    logController: new LogController({ disableRequestLogging: true }),
    ...(input.http2 === true ? {} : { forceCloseConnections: 'idle' as const }),
    return503OnClosing: false,
    frameworkErrors: (error, request, reply) => {
      const code = 'SWY_PROXY_BAD_REQUEST';
      const raw = request.raw;
      recordUnrouted(observer, logger ?? request.log, { reqId: request.id, protocol: protocolOf(raw), method: raw.method, host: raw.headers.host, path: raw.url, statusCode: 400, code, reason: error.code });
      answer(reply as unknown as FastifyReply, 400, code, 'the request target cannot be decoded');
    },
    // Fastify calls it bound to the app: `this.log` is the app's logger.
    clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket) {
      // A client that reset or closed its connection (mid-body too) has nobody left to answer.
      // (A clientError listener owns the socket: it must be destroyed here, or it lingers.)
      if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || socket.destroyed || !socket.writable) {
        socket.destroy();
        return;
      }
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      answerOnSocket(socket, status, 'SWY_PROXY_BAD_REQUEST', `the request cannot be parsed (${error.code ?? 'unknown'})`);
      recordUnrouted(observer, logger ?? this.log, { protocol: 'http1', method: undefined, host: undefined, path: undefined, statusCode: status, code: 'SWY_PROXY_BAD_REQUEST', reason: error.code });
    },
  };
  return options;
}
