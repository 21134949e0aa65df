import type { Http2Server, Http2SecureServer, ServerHttp2Session } from 'node:http2';

/** What the gateway's HTTP/2 listeners add to their server for Fastify and the drain. */
export interface Http2Sessions {
  /**
   * Sends GOAWAY on every open session (`session.close()`): no new streams, the streams in
   * flight finish, then the session closes. Fastify calls a server's `closeHttp2Sessions` when
   * the app closes.
   */
  closeHttp2Sessions(): void;
  /** Destroys every session at once: the drain deadline passed. */
  destroyHttp2Sessions(): void;
}

/**
 * Tracks the sessions of `server` (Node's `Http2Server.close()` stops accepting but sends no
 * GOAWAY and waits on open sessions forever) and closes an idle one gracefully after
 * `idleTimeoutMs` (Fastify's `http2SessionTimeout`, what Fastify's own HTTP/2 server does).
 */
export function trackHttp2Sessions(server: Http2Server | Http2SecureServer, idleTimeoutMs: number): Http2Sessions {
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    if (idleTimeoutMs > 0) session.setTimeout(idleTimeoutMs, () => session.close());
  });
  return {
    closeHttp2Sessions: () => {
      for (const session of sessions) if (!session.closed) session.close();
    },
    destroyHttp2Sessions: () => {
      for (const session of sessions) session.destroy();
    },
  };
}
