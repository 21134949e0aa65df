import type { Server as TlsServer } from 'node:tls';
import type { Router } from '@switchyard/core';
import type { CertificateStore } from '@switchyard/tls';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createAdminServer } from './admin/admin-server.js';
import { GatewayMetrics } from './admin/metrics.js';
import { FastifyPluginError } from './errors.js';
import type { HttpsRedirect, SwitchyardOptions } from './options.js';
import { h2cServerFactory, secureServerFactory } from './listeners/listener-servers.js';
import { switchyard } from './plugin.js';
import { switchyardServerOptions } from './server-options.js';

/** Where a listener binds; port 0 picks a free port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Milliseconds `close()` lets in-flight requests finish before cutting their connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_ADMIN_LISTEN: ListenAddress = { host: '127.0.0.1', port: 9901 };

/**
 * One Gateway API listener port served by the gateway: the listeners of `port`
 * (`spec.listeners[].port`) answered on `listen`, over TLS when `certificates` is given.
 */
export interface GatewayListener {
  /** The listener port as the Gateways write it; the plugin serves `router.table.gatewayPort(port)`. */
  readonly port: number;
  /** Where it binds: the port itself on every address, or what `--bind` says. */
  readonly listen: ListenAddress;
  /** For an HTTPS listener port: the certificates of its listeners, chosen by SNI (h2 or HTTP/1.1 by ALPN). */
  readonly certificates?: CertificateStore;
  /** A plain listener port also takes HTTP/2 with prior knowledge (h2c), as `GatewayOptions.h2c`. Refused with `certificates`. */
  readonly h2c?: boolean;
}

export interface GatewayOptions {
  readonly router: Router;
  /** The plain-HTTP listener. Default 127.0.0.1:8080. */
  readonly listen?: ListenAddress;
  /**
   * The plain-HTTP listener also takes HTTP/2 with prior knowledge (h2c), told from HTTP/1.1 by
   * the connection preface: for a gateway behind a load balancer that ends TLS and speaks
   * HTTP/2. Default false.
   */
  readonly h2c?: boolean;
  /** An HTTPS listener, its certificates chosen by SNI; it negotiates h2 or HTTP/1.1 by ALPN. */
  readonly https?: { readonly listen: ListenAddress; readonly certificates: CertificateStore };
  /** Redirect plain-HTTP requests for TLS hosts to HTTPS with this status, or not at all. Default 308. */
  readonly redirectToHttps?: false | 301 | 302 | 307 | 308;
  /**
   * The HTTPS port clients reach, for the redirect's Location: a load balancer's 443 in front
   * of a pod's 8443. Default: the port the HTTPS listener is bound to.
   */
  readonly publicHttpsPort?: number;
  /** The admin listener (/healthz, /readyz, /metrics, /routes, /explain), or none. Default 127.0.0.1:9901. */
  readonly admin?: ListenAddress | false;
  /** Readiness for /readyz (first complete sync of the sources). Default: always ready. */
  readonly ready?: () => boolean;
  /** The sources' status, shown by /readyz. */
  readonly status?: () => Record<string, unknown>;
  /** Plugin options other than the router: timeouts, retries, trust, the upstream pool. (Balancing is the router's; the plugin logs on `logger`.) */
  readonly proxy?: Omit<SwitchyardOptions, 'router' | 'httpsRedirect' | 'observer' | 'logger'>;
  /**
   * Fastify's logger option (pino), made into the gateway's one logger: the plugin's lines and
   * warnings go there. Default: info level to stdout, written synchronously. For buffered writes
   * give pino's own destination, `{ level: 'info', stream: pino.destination({ dest, sync: false,
   * minLength: 4096 }) }`: `close()` flushes it once the requests have drained. For cheaper
   * request lines give `proxy.requestLines` a `RequestLineWriter` on that same stream. The apps
   * themselves have no Fastify logger: `request.log` in a hook added to `apps` logs nothing.
   */
  readonly logger?: FastifyServerOptions['logger'];
  /** See `DEFAULT_DRAIN_TIMEOUT_MS`. */
  readonly drainTimeoutMs?: number;
  /** Metrics to record into (workers of one process share one). Default: a new registry. */
  readonly metrics?: GatewayMetrics;
  /** Gateway API listener ports, each on its own app (the plugin registered with `gatewayPort`). Default none. */
  readonly gatewayListeners?: readonly GatewayListener[];
}

/** The URL of one served Gateway listener port. */
export interface GatewayListenerUrl {
  readonly port: number;
  /** `http://127.0.0.1:18080` or `https://...`. */
  readonly url: string;
}

/** A running gateway. */
export interface Gateway {
  /** `gateways`: one entry per Gateway listener port, in the order given (absent without any). */
  readonly urls: { readonly http: string; readonly https?: string; readonly admin?: string; readonly gateways?: readonly GatewayListenerUrl[] };
  readonly metrics: GatewayMetrics;
  /** The Fastify apps, for tests and embedding: the plain-HTTP one, the HTTPS one, one per Gateway listener port. */
  readonly apps: { readonly http: FastifyInstance; readonly https?: FastifyInstance; readonly gateways?: ReadonlyMap<number, FastifyInstance> };
  /**
   * Serves one more Gateway listener port, for a port the table gains after the gateway started
   * (in a cluster the ports are known only once the sources have synced). It joins `urls.gateways`
   * and `apps.gateways`, and `close()` drains it with the others. Refused (`SWY_FASTIFY_INVALID_OPTIONS`,
   * field `gatewayListener...`) for a port already served, and once the gateway is closing.
   */
  addGatewayListener(listener: GatewayListener): Promise<GatewayListenerUrl>;
  /**
   * Stops accepting, lets in-flight requests finish up to `drainTimeoutMs`, then cuts the rest;
   * then writes the lines `proxy.requestLines` holds and flushes `logger.stream` when it can be
   * flushed (a `pino.destination`), so every request's line is written when it resolves.
   */
  close(): Promise<void>;
}

/**
 * Starts a gateway: the Switchyard plugin on a plain-HTTP listener (and an HTTPS one when
 * certificates are given), one more app per Gateway API listener port (`gatewayListeners`,
 * plain HTTP or TLS by SNI), plus the admin listener, each app made with
 * `switchyardServerOptions`. `close()` drains and closes what it started; the router and its
 * discovery are the caller's to close afterwards.
 *
 * @throws FastifyPluginError `SWY_FASTIFY_INVALID_OPTIONS` naming the field; listen errors (EADDRINUSE) as they come.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const listen = address(options.listen ?? DEFAULT_LISTEN, 'listen');
  const admin = options.admin === false ? undefined : address(options.admin ?? DEFAULT_ADMIN_LISTEN, 'admin');
  const httpsListen = options.https === undefined ? undefined : address(options.https.listen, 'https.listen');
  const gatewayListeners = checkGatewayListeners(options.gatewayListeners);
  if (options.h2c !== undefined && typeof options.h2c !== 'boolean') invalid('h2c', 'must be a boolean');
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  if (!Number.isInteger(drainTimeoutMs) || drainTimeoutMs < 0) invalid('drainTimeoutMs', 'must be an integer ≥ 0');
  const redirectCode = options.redirectToHttps ?? 308;
  if (redirectCode !== false && ![301, 302, 307, 308].includes(redirectCode)) invalid('redirectToHttps', 'must be false, 301, 302, 307 or 308');
  const publicHttpsPort = options.publicHttpsPort;
  if (publicHttpsPort !== undefined && (!Number.isInteger(publicHttpsPort) || publicHttpsPort < 1 || publicHttpsPort > 65_535)) {
    invalid('publicHttpsPort', `must be an integer from 1 to 65535, got ${JSON.stringify(publicHttpsPort)}`);
  }

  const metrics = options.metrics ?? new GatewayMetrics();
  metrics.observeRouter(options.router);
  const logger = options.logger ?? { level: 'info' };
  const log = gatewayLogger(logger);
  const started: FastifyInstance[] = [];
  let draining = false;
  const ready = options.ready;
  try {
    // HTTPS first: the redirect needs the port it really listens on (the option may say 0).
    let https: FastifyInstance | undefined;
    let httpsRedirect: HttpsRedirect | undefined;
    if (options.https !== undefined && httpsListen !== undefined) {
      const certificates = options.https.certificates;
      https = httpsApp(log, certificates, metrics);
      await startApp(https, options, log, metrics, undefined, undefined, httpsListen, started);
      if (redirectCode !== false) {
        const httpsPort = publicHttpsPort ?? Number(new URL(urlOf('https', https)).port || 443);
        httpsRedirect = { isTlsHost: (host) => certificates.isTlsHost(host), statusCode: redirectCode, httpsPort };
      }
    }
    const http = await startApp(plainApp(log, metrics, options.h2c === true), options, log, metrics, httpsRedirect, undefined, listen, started);
    const gateways = new Map<number, FastifyInstance>();
    const gatewayUrls: GatewayListenerUrl[] = [];
    const startGatewayApp = async (listener: GatewayListener): Promise<GatewayListenerUrl> => {
      const certificates = listener.certificates;
      const app = certificates === undefined ? plainApp(log, metrics, listener.h2c === true) : httpsApp(log, certificates, metrics);
      gateways.set(listener.port, app);
      await startApp(app, options, log, metrics, undefined, listener.port, listener.listen, started);
      const url = { port: listener.port, url: urlOf(certificates ? 'https' : 'http', app) };
      gatewayUrls.push(url);
      return url;
    };
    for (const listener of gatewayListeners) await startGatewayApp(listener);
    let adminApp: FastifyInstance | undefined;
    if (admin !== undefined) {
      adminApp = createAdminServer({
        router: options.router,
        metrics,
        // Not ready while draining, so a load balancer stops sending before the listener goes.
        ready: () => !draining && (ready?.() ?? true),
        ...(options.status ? { status: options.status } : {}),
        ...(options.https ? { certificates: options.https.certificates } : {}),
        logger: false,
        ...(log === undefined ? {} : { errorLog: log }),
      });
      started.push(adminApp);
      await adminApp.listen(admin);
    }
    // Mutable here only: `gateways` appear in both once the first Gateway listener port is served.
    const urls: { http: string; https?: string; admin?: string; gateways?: readonly GatewayListenerUrl[] } = {
      http: urlOf('http', http),
      ...(https ? { https: urlOf('https', https) } : {}),
      ...(adminApp ? { admin: urlOf('http', adminApp) } : {}),
      ...(gateways.size === 0 ? {} : { gateways: gatewayUrls }),
    };
    const apps: { http: FastifyInstance; https?: FastifyInstance; gateways?: ReadonlyMap<number, FastifyInstance> } = { http, ...(https ? { https } : {}), ...(gateways.size === 0 ? {} : { gateways }) };
    let closing: Promise<void> | undefined;
    // Ports being added: close() lets them finish listening, then drains them with the rest.
    const adding = new Set<Promise<unknown>>();
    const addGatewayListener = async (listener: GatewayListener): Promise<GatewayListenerUrl> => {
      if (draining) invalid('gatewayListener', 'the gateway is closing');
      checkGatewayListener(listener, 'gatewayListener');
      if (gateways.has(listener.port)) invalid('gatewayListener.port', `port ${listener.port} is already served`);
      try {
        const url = await startGatewayApp(listener);
        urls.gateways = gatewayUrls;
        apps.gateways = gateways;
        return url;
      } catch (error) {
        // A port that could not listen is not served: forget its app.
        const app = gateways.get(listener.port);
        gateways.delete(listener.port);
        await app?.close();
        throw error;
      }
    };
    return {
      urls,
      metrics,
      apps,
      addGatewayListener: (listener) => {
        const added = addGatewayListener(listener);
        const settled = added.catch(() => undefined).finally(() => adding.delete(settled));
        adding.add(settled);
        return added;
      },
      close: () => {
        draining = true;
        return (closing ??= Promise.all(adding)
          .then(() => drain([http, ...(https ? [https] : []), ...gateways.values()], adminApp, drainTimeoutMs))
          .then(() => {
            // The last requests' lines, kept for the end of their turn, go to the stream before it is flushed.
            options.proxy?.requestLines?.flush();
            return flushLogStream(logger);
          }));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((app) => app.close()));
    throw error;
  }
}

// h2 and HTTP/1.1 by ALPN (see `secureServerFactory`); typed as the plain app is, since the
// plugin handles both protocols' requests alike. Certificates are chosen by SNI; clients
// without SNI get the server's own context, kept on the store's current default certificate
// while the app lives.
function httpsApp(log: FastifyBaseLogger | undefined, certificates: CertificateStore, metrics: GatewayMetrics): FastifyInstance {
  const app = withErrorLog(Fastify({ ...appOptions(log, metrics), http2: true, serverFactory: secureServerFactory(certificates) } as FastifyServerOptions) as unknown as FastifyInstance, log);
  const detach = certificates.attach(app.server as unknown as TlsServer);
  app.addHook('onClose', (_app, closed) => {
    detach();
    closed();
  });
  return app;
}

// With h2c, HTTP/2 requests reach the same app through the server `h2cServerFactory` makes.
function plainApp(log: FastifyBaseLogger | undefined, metrics: GatewayMetrics, h2c: boolean): FastifyInstance {
  return withErrorLog(Fastify(h2c ? { ...appOptions(log, metrics), serverFactory: h2cServerFactory } : appOptions(log, metrics)), log);
}

function appOptions(log: FastifyBaseLogger | undefined, metrics: GatewayMetrics): FastifyServerOptions {
  return switchyardServerOptions({ observer: metrics, ...(log === undefined ? {} : { logger: log }) });
}

/**
 * The gateway's logger, made once as Fastify makes it of its `logger` option (pino, with
 * Fastify's serializers) by an app that is never started; none for `false`. The apps get no
 * logger: with one, Fastify makes each request a child logger (or, with a factory that returns
 * the app's logger, still calls it and checks what it returns) and listens on every response to
 * log "request completed", off or not. The plugin (its lines and warnings), the answers to
 * targets Fastify cannot decode and the apps' error handler log here instead. Measured with the
 * CLI on one core at full load (1,000 paths, access log to a file; 40 alternating 2-second
 * slices against the same CLI with a logger on its apps): 4.7 % less CPU a request.
 */
export function gatewayLogger(option: FastifyServerOptions['logger']): FastifyBaseLogger | undefined {
  if (option === false || option === undefined) return undefined;
  return Fastify({ logger: option }).log;
}

/**
 * An app's error handler that logs what Fastify's default one would (it has no logger to log
 * with), then answers as it does: an error of a hook or handler, at error from 500, else at info.
 */
export function withErrorLog(app: FastifyInstance, log: FastifyBaseLogger | undefined): FastifyInstance {
  if (log === undefined) return app;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error?.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    const fields = { reqId: request.id, err: error };
    if (status >= 500) log.error(fields, error?.message ?? 'request failed');
    else log.info(fields, error?.message ?? 'request failed');
    // From a custom handler, the error goes on to Fastify's default handler, which answers.
    void reply.send(error);
  });
  return app;
}

async function startApp(
  app: FastifyInstance,
  options: GatewayOptions,
  log: FastifyBaseLogger | undefined,
  metrics: GatewayMetrics,
  httpsRedirect: HttpsRedirect | undefined,
  gatewayPort: number | undefined,
  listen: ListenAddress,
  started: FastifyInstance[],
): Promise<FastifyInstance> {
  started.push(app);
  await app.register(switchyard, {
    ...options.proxy,
    router: options.router,
    observer: metrics,
    ...(log === undefined ? {} : { logger: log }),
    ...(httpsRedirect ? { httpsRedirect } : {}),
    ...(gatewayPort === undefined ? {} : { gatewayPort }),
  });
  await app.listen(listen);
  return app;
}

async function drain(apps: FastifyInstance[], admin: FastifyInstance | undefined, deadlineMs: number): Promise<void> {
  const closing = apps.map((app) => app.close());
  const timer = setTimeout(() => {
    for (const app of apps) app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await Promise.all(closing);
  } finally {
    clearTimeout(timer);
  }
  // The admin listener goes last: /readyz answers while the proxy drains.
  await admin?.close();
}

/** The most flush rounds `close()` waits for: more means something keeps writing to the stream. */
const MAX_FLUSH_ROUNDS = 8;

/**
 * Writes out what a buffered log destination holds (`logger.stream` with pino's `flush(cb)`:
 * SonicBoom, `pino.destination({ sync: false })`). One flush is not always enough: SonicBoom
 * calls back on its 'drain', which leaves up to `minLength` bytes behind when a write was under
 * way, so rounds repeat until one writes nothing (counted by SonicBoom's 'write' events).
 * Errors are the destination's to report (its 'error' event): closing goes on.
 */
async function flushLogStream(logger: FastifyServerOptions['logger']): Promise<void> {
  const stream = typeof logger === 'object' && logger !== null ? (logger as { stream?: FlushableStream }).stream : undefined;
  if (typeof stream?.flush !== 'function') return;
  for (let round = 0; round < MAX_FLUSH_ROUNDS; round++) {
    let written = 0;
    const count = (bytes: number) => void (written += bytes);
    stream.on?.('write', count);
    try {
      await new Promise<void>((resolve) => stream.flush!(() => resolve()));
    } finally {
      stream.off?.('write', count);
    }
    if (written === 0) return;
  }
}

/** What `flushLogStream` uses of a destination: pino's `flush(cb)`, and SonicBoom's 'write' events when it has them. */
interface FlushableStream {
  flush?(callback: (error?: Error) => void): void;
  on?(event: 'write', listener: (bytes: number) => void): unknown;
  off?(event: 'write', listener: (bytes: number) => void): unknown;
}

function urlOf(scheme: string, app: FastifyInstance): string {
  const bound = app.server.address();
  if (bound === null || typeof bound === 'string') return `${scheme}://${String(bound)}`;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return `${scheme}://${host}:${bound.port}`;
}

function address(value: ListenAddress, field: string): ListenAddress {
  if (typeof value !== 'object' || value === null || typeof value.host !== 'string' || value.host.length === 0) invalid(field, 'must be { host, port }');
  if (!Number.isInteger(value.port) || value.port < 0 || value.port > 65_535) invalid(`${field}.port`, `must be an integer from 0 to 65535, got ${JSON.stringify(value.port)}`);
  return value;
}

function checkGatewayListeners(value: readonly GatewayListener[] | undefined): readonly GatewayListener[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid('gatewayListeners', 'must be an array of { port, listen, certificates? }');
  const ports = new Set<number>();
  value.forEach((listener, i) => {
    const field = `gatewayListeners[${i}]`;
    checkGatewayListener(listener, field);
    if (ports.has(listener.port)) invalid(`${field}.port`, `port ${listener.port} is given twice`);
    ports.add(listener.port);
  });
  return value;
}

function checkGatewayListener(listener: GatewayListener, field: string): void {
  if (typeof listener !== 'object' || listener === null) invalid(field, 'must be { port, listen, certificates? }');
  if (!Number.isInteger(listener.port) || listener.port < 1 || listener.port > 65_535) invalid(`${field}.port`, `must be an integer from 1 to 65535, got ${JSON.stringify(listener.port)}`);
  address(listener.listen, `${field}.listen`);
  if (listener.certificates !== undefined && typeof listener.certificates?.serverOptions !== 'function') invalid(`${field}.certificates`, 'must be a CertificateStore');
  if (listener.h2c !== undefined && typeof listener.h2c !== 'boolean') invalid(`${field}.h2c`, 'must be a boolean');
  if (listener.h2c === true && listener.certificates !== undefined) invalid(`${field}.h2c`, 'is for plain listeners: an HTTPS listener negotiates h2 by ALPN');
}

function invalid(field: string, message: string): never {
  throw new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `gateway options.${field}: ${message}`, { field });
}
