import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Explanation, Router } from '@switchyard/core';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { Agent } from 'undici';
import { resolveOptions, type ResolvedOptions, type SwitchyardOptions } from './options.js';
import type { ProxiedRequest } from './proxy/proxied-request.js';
import { HTTP2_STREAM_SLOT, type WithHttp2StreamSlot } from './listeners/http2-stream-slot.js';
import { guardedConnector } from './proxy/address-guard.js';
import { H2cSessions } from './proxy/h2c-sessions.js';
import { Proxy } from './proxy/proxy.js';
import { retainTickObjectShape } from './proxy/tick-shape.js';

// On load, not on registration: apps compile their route table (and V8 runs major GCs) before they register the plugin.
retainTickObjectShape();

/** What the plugin adds to the Fastify instance (`app.switchyard`). */
export interface SwitchyardDecorator {
  /** The router requests are matched with (its table, its backends' endpoints and balancers). */
  readonly router: Router;
  /** Why a request for `host` and `path` goes where it goes: `router.table.explain`, on the current table. */
  explain(host: string, path: string): Explanation;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by `@switchyard/fastify`. */
    switchyard: SwitchyardDecorator;
  }
  interface FastifyRequest {
    /** What the Switchyard proxy matched, from its onRequest hook on; null on the app's own routes. */
    switchyard: ProxiedRequest | null;
  }
}

/**
 * The Switchyard plugin: every request that no other route of the app takes is normalized,
 * matched against `options.router`'s current table, sent to an endpoint its backend's balancer
 * picks, and proxied over an undici Agent with bodies streamed both ways; WebSocket upgrades go
 * through the same routing. Options are checked once here (`SWY_FASTIFY_INVALID_OPTIONS`).
 * Create the app with `switchyardServerOptions()` so that the answers Fastify and Node give
 * before the plugin sees a request are the proxy's too.
 *
 * The catch-all route and its body handling live in an encapsulated child context, so the
 * app's own routes keep their parsers while proxied bodies are never buffered.
 *
 * When the app closes, the plugin closes what it made: its upstream connection pool and open
 * WebSocket tunnels; answers given while closing carry `Connection: close`. The router and its
 * discovery are the app's: close them after `app.close()`.
 */
const switchyardPlugin: FastifyPluginCallback<SwitchyardOptions> = (app, rawOptions, done) => {
  let options: ResolvedOptions;
  try {
    options = resolveOptions(rawOptions);
  } catch (error) {
    // Through done(), so `await app.register(...)` rejects with it instead of an uncaught throw.
    return done(error as Error);
  }
  const agent = new Agent({
    connections: options.connectionsPerEndpoint,
    pipelining: 1,
    keepAliveTimeout: options.upstreamKeepAliveMs,
    keepAliveMaxTimeout: options.upstreamKeepAliveMs,
    // The proxy keeps these waits itself (HttpForwarder, DeadlineList): undici's make a timer per request.
    headersTimeout: 0,
    bodyTimeout: 0,
    // Every new connection asks the address policy first (a denied one opens no socket).
    connect: guardedConnector(options.addressPolicy, { timeout: options.connectTimeoutMs }),
  });
  // Endpoints whose Service port says `appProtocol: kubernetes.io/h2c`: one HTTP/2 session each.
  const h2c = new H2cSessions({
    connectMs: options.connectTimeoutMs,
    firstByteMs: options.firstByteTimeoutMs,
    idleMs: options.idleTimeoutMs,
    sessionIdleMs: options.upstreamKeepAliveMs,
    addressPolicy: options.addressPolicy,
  });
  const proxy = new Proxy(options, options.logger ?? app.log, agent, h2c, app.server);
  const websockets = proxy.websockets;
  // Upgrades go through the app's routing (hooks included) before the proxy tunnels them.
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => websockets.routeUpgrade(app.routing, request, socket, head);
  const router = options.router;
  app.decorate('switchyard', { router, explain: (host: string, path: string) => router.table.explain(host, path) } satisfies SwitchyardDecorator);
  app.decorateRequest('switchyard', null);

  app.register((child: FastifyInstance, _opts, registered) => {
    // Bodies are not parsed: the raw stream goes to the upstream as it arrives.
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_request, payload, parsed) => parsed(null, payload));
    child.addHook('onRequest', proxy.match);
    child.all('/*', proxy.handle);
    // Targets find-my-way cannot route (absolute-form, `*`) reach the same handler.
    child.setNotFoundHandler(proxy.handle);
    registered();
  });

  // Every answer Fastify sends while the app closes (the app's routes too) closes its
  // connection, so draining ends when the last in-flight response does. The proxy's own answers
  // (400/404/503) go through Fastify too, and are recorded from here; proxied ones are written
  // and recorded by the proxy.
  app.addHook('onSend', (request, reply, payload, sent) => {
    // HTTP/2 forbids the header (its sessions get GOAWAY from the drain instead).
    if (proxy.closing && request.raw.httpVersionMajor !== 2) reply.header('connection', 'close');
    proxy.answeredByFastify(request, reply);
    sent(null, payload);
  });
  app.addHook('onReady', (ready) => {
    // A server startGateway made (its app holds this plugin alone) hands HTTP/2 streams over
    // directly; any other app's HTTP/2 requests go through Fastify like the rest.
    const streams = (app.server as WithHttp2StreamSlot)[HTTP2_STREAM_SLOT];
    if (streams !== undefined) streams.handler = proxy.serveStream;
    app.server.on('upgrade', onUpgrade);
    app.server.on('connect', websockets.refuseConnect);
    ready();
  });
  app.addHook('preClose', (closing) => {
    // Responses from now on close their connection, so draining ends when the last one does.
    proxy.closing = true;
    app.server.off('upgrade', onUpgrade);
    app.server.off('connect', websockets.refuseConnect);
    websockets.closeAll();
    closing();
  });
  app.addHook('onClose', (_instance, closed) => {
    // Every client connection is gone by now (drained or cut at the deadline): abort what
    // is still waiting on an upstream instead of waiting for it.
    Promise.all([agent.destroy(), h2c.destroy(), proxy.close()]).then(() => closed(), closed);
  });
  done();
};

export const switchyard = fp(switchyardPlugin, { fastify: '5.x', name: '@switchyard/fastify' });
export default switchyard;
