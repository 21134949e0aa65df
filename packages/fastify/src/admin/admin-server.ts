import { SwitchyardError, explainGatewayRequest, type Router } from '@switchyard/core';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { FastifyPluginError, type FastifyErrorCode } from '../errors.js';
import { ERROR_HEADER } from '../proxy/answer.js';
import { explainView, gatewayExplainView, routesView } from './admin-views.js';
import { GatewayMetrics } from './metrics.js';

export interface AdminServerOptions {
  readonly router: Router;
  /** Served at /metrics; `createAdminServer` points it at `router` (`observeRouter`). */
  readonly metrics: GatewayMetrics;
  /** /readyz answers 200 while it returns true, 503 otherwise. Default: always ready. */
  readonly ready?: () => boolean;
  /** The sources' status, shown in the /readyz body. */
  readonly status?: () => Record<string, unknown>;
  /** Listed by /routes when given (the TLS certificate store). */
  readonly certificates?: { describe(): ReadonlyArray<unknown> };
  /** Fastify's `logger` option (pino). Default false. Requests are not logged either way: probes and scrapes would flood the log. */
  readonly logger?: boolean | object;
  /** Where an endpoint that fails (a 500) is logged. Default: the app's logger (`logger`). `startGateway` gives its own. */
  readonly errorLog?: FastifyBaseLogger;
}

/** The admin endpoints; every other path is a 404 and every other method a 405. */
export const ADMIN_PATHS: readonly string[] = Object.freeze(['/healthz', '/readyz', '/metrics', '/routes', '/explain']);

const ALLOW = 'GET, HEAD';

/** The body of every error answer of the admin listener; the code is also in the `x-switchyard-error` header. */
export interface AdminErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/**
 * A Fastify app, not listening, serving the admin endpoints of a gateway:
 *
 * - `GET /healthz`: 200 `{"status":"ok"}` while the process runs.
 * - `GET /readyz`: 200 when `ready()` is true, else 503; `{ ready, tableVersion, status }`.
 * - `GET /metrics`: the Prometheus exposition of `metrics.registry`.
 * - `GET /routes`: the table version, every reachable route with its backend's endpoints, and the certificates.
 * - `GET /explain?host=H&path=P`: why a request for H and P goes where it goes, with the winner's endpoints.
 *   With `port=N` (a Gateway listener port), the Gateway API answer (`explainGatewayRequest`):
 *   `path` may carry a query (encoded: `path=%2Fa%3Fx%3D1`), `method=M` and `header=NAME:VALUE`
 *   (repeatable) complete the request.
 * - `/routes` and `/explain` take `?pretty` for indented JSON.
 *
 * Keep it on a loopback or otherwise private address: it shows the whole configuration.
 *
 * @throws FastifyPluginError `SWY_FASTIFY_INVALID_OPTIONS` naming the option that is wrong.
 */
export function createAdminServer(options: AdminServerOptions): FastifyInstance {
  checkOptions(options);
  const { router, metrics, ready, status, certificates, errorLog } = options;
  metrics.observeRouter(router);
  const known = new Set(ADMIN_PATHS);
  const logger = (options.logger ?? false) as NonNullable<FastifyServerOptions['logger']>;
  const app = Fastify({ logger, logController: new LogController({ disableRequestLogging: true }) });

  // Before body parsing, so a POST with a body the parser refuses still gets its 405.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (known.has(pathOf(request.url))) {
      reply.header('allow', ALLOW);
      return sendError(reply, 405, 'SWY_ADMIN_METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use GET`);
    }
    return sendError(reply, 404, 'SWY_ADMIN_NOT_FOUND', `No admin endpoint at ${pathOf(request.url)}`);
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'SWY_ADMIN_NOT_FOUND', `No admin endpoint at ${pathOf(request.url)}; try ${ADMIN_PATHS.join(', ')}`));

  app.setErrorHandler((error: unknown, request, reply) => {
    const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
    const message = error instanceof Error ? error.message : String(error);
    // Fastify's own 4xx (a bad header, a body too large) keep their status and code.
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      const raw = (error as { code?: unknown }).code;
      const code = typeof raw === 'string' ? raw : 'SWY_ADMIN_HANDLER_FAILED';
      return reply.code(statusCode).header(ERROR_HEADER, code).send({ error: { code, message } } satisfies AdminErrorBody);
    }
    (errorLog ?? request.log).error({ err: error, reqId: request.id, path: pathOf(request.url) }, 'admin endpoint failed');
    return sendError(reply, 500, 'SWY_ADMIN_HANDLER_FAILED', `${pathOf(request.url)} failed: ${message}`);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const isReady = ready === undefined ? true : Boolean(ready());
    return reply.code(isReady ? 200 : 503).send({ ready: isReady, tableVersion: router.table.version, status: status?.() });
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });

  app.get('/routes', async (request, reply) => {
    const view = routesView(router, router.table);
    return sendView(request, reply, certificates === undefined ? view : { ...view, certificates: certificates.describe() });
  });

  app.get('/explain', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const host = query.host;
    const path = query.path;
    for (const [field, value] of [['host', host], ['path', path]] as const) {
      if (typeof value !== 'string') {
        const why = value === undefined ? 'is missing' : 'is given more than once';
        return sendError(reply, 400, 'SWY_ADMIN_QUERY_INVALID', `The ${field} query parameter ${why}: /explain?host=<Host header>&path=<request path>`, field);
      }
    }
    const table = router.table;
    const gatewayRequest = readGatewayQuery(query, host as string, path as string);
    if (typeof gatewayRequest === 'string') return sendError(reply, 400, 'SWY_ADMIN_QUERY_INVALID', gatewayRequest.slice(gatewayRequest.indexOf(' ') + 1), gatewayRequest.slice(0, gatewayRequest.indexOf(' ')));
    try {
      if (gatewayRequest !== undefined) return sendView(request, reply, gatewayExplainView(router, table, explainGatewayRequest(table, gatewayRequest)));
      return sendView(request, reply, explainView(router, table, table.explain(host as string, path as string)));
    } catch (error) {
      if (error instanceof SwitchyardError && (error.code === 'SWY_REQUEST_BAD_PATH' || error.code === 'SWY_REQUEST_BAD_HOST')) {
        return sendError(reply, 400, error.code, error.message, error.code === 'SWY_REQUEST_BAD_PATH' ? 'path' : 'host');
      }
      throw error;
    }
  });

  return app;
}

/**
 * The Gateway API request of an /explain query with `port`; undefined without `port`; a string
 * `"<field> <message>"` for a query that is wrong.
 */
function readGatewayQuery(query: Record<string, unknown>, host: string, path: string): Parameters<typeof explainGatewayRequest>[1] | string | undefined {
  const { port, method, header } = query;
  if (port === undefined) {
    if (method !== undefined || header !== undefined) return `${method !== undefined ? 'method' : 'header'} The method and header query parameters go with port (a Gateway listener port)`;
    return undefined;
  }
  const number = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(number >= 1 && number <= 65_535)) return 'port The port query parameter must be one port from 1 to 65535';
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) return 'method The method query parameter must be one HTTP method (GET, POST, ...)';
  const headers: Record<string, string[]> = {};
  for (const entry of header === undefined ? [] : Array.isArray(header) ? header : [header]) {
    const equals = typeof entry === 'string' ? entry.indexOf('=') : -1;
    if (equals <= 0) return 'header Each header query parameter is NAME=VALUE';
    const name = (entry as string).slice(0, equals).trim().toLowerCase();
    (headers[name] ??= []).push((entry as string).slice(equals + 1).trim());
  }
  return {
    port: number,
    host,
    path,
    ...(method === undefined ? {} : { method: (method as string).toUpperCase() }),
    headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.length === 1 ? values[0]! : values])),
  };
}

/** A JSON view; with `?pretty` (any value) indented for a person reading it in a terminal. */
function sendView(request: FastifyRequest, reply: FastifyReply, view: object): FastifyReply | object {
  if (!Object.hasOwn(request.query as object, 'pretty')) return view;
  return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(view, null, 2)}\n`);
}

function sendError(reply: FastifyReply, statusCode: number, code: FastifyErrorCode | 'SWY_REQUEST_BAD_PATH' | 'SWY_REQUEST_BAD_HOST', message: string, field?: string): FastifyReply {
  const body: AdminErrorBody = { error: field === undefined ? { code, message } : { code, message, field } };
  // The code also in the header the proxy's own answers use, so one check fits both listeners.
  return reply.code(statusCode).header(ERROR_HEADER, code).send(body);
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function checkOptions(options: AdminServerOptions): void {
  const fail = (field: string, why: string): never => {
    throw new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `createAdminServer(options): ${field} ${why}`, { field });
  };
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  if (typeof options.router?.endpointsOf !== 'function' || typeof options.router.watchedBackends !== 'function') fail('router', 'must be a Router from @switchyard/core');
  if (!(options.metrics instanceof GatewayMetrics)) fail('metrics', 'must be a GatewayMetrics');
  if (options.ready !== undefined && typeof options.ready !== 'function') fail('ready', 'must be a function returning a boolean');
  if (options.status !== undefined && typeof options.status !== 'function') fail('status', 'must be a function returning an object');
  if (options.certificates !== undefined && typeof options.certificates?.describe !== 'function') fail('certificates', 'must have a describe() method');
  if (options.logger !== undefined && typeof options.logger !== 'boolean' && (typeof options.logger !== 'object' || options.logger === null)) fail('logger', 'must be a boolean or Fastify logger options');
  if (options.errorLog !== undefined && typeof options.errorLog?.error !== 'function') fail('errorLog', 'must be a logger (pino, or Fastify\'s app.log)');
}
