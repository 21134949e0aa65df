import type { Server as TlsServer } from 'node:tls';
import type { Router } from '@switchyard/core';
import type { CertificateStore } from '@switchyard/tls';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { createAdminServer } from './admin/admin-server.js';
import { GatewayMetrics } from './admin/metrics.js';
import { FastifyPluginError } from './errors.js';
import type { HttpsRedirect, SwitchyardOptions } from './options.js';
import { switchyard } from './plugin.js';
import { answer, answerOnSocket } from './proxy/answer.js';

/** Where a listener binds; port 0 picks a free port. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Milliseconds `close()` lets in-flight requests finish before cutting their connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_ADMIN_LISTEN: ListenAddress = { host: '127.0.0.1', port: 9901 };

export interface GatewayOptions {
  readonly router: Router;
  /** The plain-HTTP listener. Default 127.0.0.1:8080. */
  readonly listen?: ListenAddress;
  /** An HTTPS listener, its certificates chosen by SNI. */
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
  /** Plugin options other than the router: timeouts, retries, balancing, trust. */
  readonly proxy?: Omit<SwitchyardOptions, 'router' | 'httpsRedirect' | 'observer'>;
  /** Fastify's logger option (pino). Default: info level to stdout. */
  readonly logger?: FastifyServerOptions['logger'];
  /** See `DEFAULT_DRAIN_TIMEOUT_MS`. */
  readonly drainTimeoutMs?: number;
  /** Metrics to record into (workers of one process share one). Default: a new registry. */
  readonly metrics?: GatewayMetrics;
}

/** A running gateway. */
export interface Gateway {
  readonly urls: { readonly http: string; readonly https?: string; readonly admin?: string };
  readonly metrics: GatewayMetrics;
  /** The Fastify apps, for tests and embedding: the plain-HTTP one, the HTTPS one. */
  readonly apps: { readonly http: FastifyInstance; readonly https?: FastifyInstance };
  /** Stops accepting, lets in-flight requests finish up to `drainTimeoutMs`, then cuts the rest. */
  close(): Promise<void>;
}

/**
 * Starts a gateway: the Switchyard plugin on a plain-HTTP listener (and an HTTPS one when
 * certificates are given), plus the admin listener. Fastify's own per-request log lines are
 * replaced by the plugin's one line per request.
 *
 * @throws FastifyPluginError `SWY_FASTIFY_INVALID_OPTIONS` naming the field; listen errors (EADDRINUSE) as they come.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const listen = address(options.listen ?? DEFAULT_LISTEN, 'listen');
  const admin = options.admin === false ? undefined : address(options.admin ?? DEFAULT_ADMIN_LISTEN, 'admin');
  const httpsListen = options.https === undefined ? undefined : address(options.https.listen, 'https.listen');
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
  const started: FastifyInstance[] = [];
  let draining = false;
  const isDraining = () => draining;
  const ready = options.ready;
  try {
    // HTTPS first: the redirect needs the port it really listens on (the option may say 0).
    let https: FastifyInstance | undefined;
    let httpsRedirect: HttpsRedirect | undefined;
    if (options.https !== undefined && httpsListen !== undefined) {
      const certificates = options.https.certificates;
      https = httpsApp(logger, certificates, metrics);
      // Clients without SNI get the server's own context: keep it on the current default certificate.
      const detach = certificates.attach(https.server as unknown as TlsServer);
      https.addHook('onClose', (_app, closed) => {
        detach();
        closed();
      });
      await startApp(https, options, metrics, undefined, httpsListen, started, isDraining);
      if (redirectCode !== false) {
        const httpsPort = publicHttpsPort ?? Number(new URL(urlOf('https', https)).port || 443);
        httpsRedirect = { isTlsHost: (host) => certificates.isTlsHost(host), statusCode: redirectCode, httpsPort };
      }
    }
    const http = await startApp(Fastify(appOptions(logger, metrics)), options, metrics, httpsRedirect, listen, started, isDraining);
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
      });
      started.push(adminApp);
      await adminApp.listen(admin);
    }
    const urls = {
      http: urlOf('http', http),
      ...(https ? { https: urlOf('https', https) } : {}),
      ...(adminApp ? { admin: urlOf('http', adminApp) } : {}),
    };
    let closing: Promise<void> | undefined;
    return {
      urls,
      metrics,
      apps: { http, ...(https ? { https } : {}) },
      close: () => {
        draining = true;
        return (closing ??= drain([http, ...(https ? [https] : [])], adminApp, drainTimeoutMs));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((app) => app.close()));
    throw error;
  }
}

// Fastify's types pick an HTTP/2 instance for an `https` option; this is HTTP/1.1 over TLS.
function httpsApp(logger: FastifyServerOptions['logger'], certificates: CertificateStore, metrics: GatewayMetrics): FastifyInstance {
  return Fastify({ ...appOptions(logger, metrics), https: { ...certificates.serverOptions(), requireHostHeader: false } } as FastifyServerOptions) as unknown as FastifyInstance;
}

function appOptions(logger: FastifyServerOptions['logger'], metrics: GatewayMetrics): FastifyServerOptions {
  // `http` (node:http server options) is read by Fastify but missing from its types.
  const options: FastifyServerOptions & { http: { requireHostHeader: boolean } } = {
    ...(logger === undefined ? {} : { logger }),
    // The proxy answers a missing Host itself (400 with its code); Node's own answer has none.
    http: { requireHostHeader: false },
    // One log line per request comes from the plugin, with the backend and endpoint in it.
    logController: new LogController({ disableRequestLogging: true }),
    // While draining, keep-alive connections are closed once idle; new requests on them get 503.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Targets find-my-way refuses (bad percent-encoding) get the same 400 as those we refuse.
    frameworkErrors: (error, request, reply) => {
      const code = 'SWY_PROXY_BAD_REQUEST';
      request.log.info({ method: request.raw.method, host: request.raw.headers.host, path: request.raw.url, status: 400, error: code, reason: error.code }, 'proxied');
      metrics.requestFinished(undefined, 400, 0, code);
      answer(reply as unknown as FastifyReply, 400, code, 'the request target cannot be decoded');
    },
    // Requests Node's parser refuses (oversized headers, conflicting Content-Length and
    // Transfer-Encoding) never reach a handler: answer them in the same words, forward nothing.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      // A client that reset or closed its connection (mid-body too) has nobody left to answer.
      // (A clientError listener owns the socket: it must be destroyed here, or it lingers.)
      if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || socket.destroyed || !socket.writable) {
        socket.destroy();
        return;
      }
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      answerOnSocket(socket, status, 'SWY_PROXY_BAD_REQUEST', `the request cannot be parsed (${error.code ?? 'unknown'})`);
      metrics.requestFinished(undefined, status, 0, 'SWY_PROXY_BAD_REQUEST');
    },
  };
  return options;
}

async function startApp(
  app: FastifyInstance,
  options: GatewayOptions,
  metrics: GatewayMetrics,
  httpsRedirect: HttpsRedirect | undefined,
  listen: ListenAddress,
  started: FastifyInstance[],
  isDraining: () => boolean,
): Promise<FastifyInstance> {
  started.push(app);
  await app.register(switchyard, { ...options.proxy, router: options.router, observer: metrics, ...(httpsRedirect ? { httpsRedirect } : {}) });
  // A response that ends while draining closes its connection, so close() need not wait out
  // the deadline for clients that keep their connection alive.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (isDraining()) reply.header('connection', 'close');
    done(null, payload);
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

function invalid(field: string, message: string): never {
  throw new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `gateway options.${field}: ${message}`, { field });
}
