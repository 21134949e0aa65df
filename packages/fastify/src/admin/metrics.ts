import { ERROR_CODES, type Route, type RouteMatch, type Router } from '@switchyard/core';
import { TLS_ERROR_CODES } from '@switchyard/tls';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FASTIFY_ERROR_CODES, FastifyPluginError } from '../errors.js';
import { CounterFamily, HistogramFamily, type CounterCell } from './metric-cells.js';
import type { RouteObserver } from '../options.js';
import type { RequestProtocol } from '../proxy/request-protocol.js';
import { RouteSeriesCache } from './route-series.js';

export interface GatewayMetricsOptions {
  /** Where the metrics are registered; by default a new registry (never prom-client's global one). */
  readonly registry?: Registry;
  /** Put before every metric name, the default process metrics included. Default `switchyard_`. */
  readonly prefix?: string;
  /** Register prom-client's default process and Node.js metrics on the registry. Default true. */
  readonly defaultMetrics?: boolean;
}

export const DEFAULT_METRICS_PREFIX = 'switchyard_';

/**
 * Histogram buckets in seconds, 1 ms to 30 s: a proxied request's time is mostly its
 * upstream's, which ranges from sub-millisecond cache hits to the default upstream timeout.
 */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);

/** Metric names without the prefix. */
const NAMES = {
  requests: 'requests_total',
  httpRouteRequests: 'httproute_requests_total',
  grpcRequests: 'grpc_requests_total',
  duration: 'request_duration_seconds',
  errors: 'errors_total',
  upstreamLatency: 'upstream_latency_seconds',
  retries: 'upstream_retries_total',
  ejections: 'endpoint_ejections_total',
  discoveryErrors: 'discovery_errors_total',
  objectsKept: 'config_objects_kept',
  tableVersion: 'route_table_version',
  tableRoutes: 'route_table_routes',
  backendsWatched: 'backends_watched',
  endpoints: 'backend_endpoints',
  eligible: 'backend_eligible_endpoints',
  stale: 'backend_stale',
  problem: 'backend_discovery_problem',
} as const;

// The Prometheus data model's metric name characters; the prefix is checked once, here.
const METRIC_NAME_PREFIX = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?$/;

/**
 * The gateway's Prometheus metrics. The per-request methods (`requestFinished`,
 * `upstreamLatency`, `retried`, `ejected`) add to numbers held per Route object, found with
 * one WeakMap read: no label objects, strings or prom-client calls per request. Labels come
 * only from rule values (rule host, backend key), status codes and registered error codes,
 * so the number of series is bounded by the configuration, never by request input.
 */
export class GatewayMetrics {
  readonly registry: Registry;
  readonly prefix: string;
  private readonly series: RouteSeriesCache;
  private readonly errors: CounterFamily;
  private readonly errorCells = new Map<string, CounterCell>();
  /** The counter of a SWY code (only registered codes get one); shared by every route's series. */
  private readonly errorCellOf = (code: string): CounterCell => this.errorCells.get(code) ?? this.addErrorCode(code);
  private readonly discoveryErrors: Counter<'source' | 'code'>;
  private readonly objectsKept: Gauge<'source'>;
  private router: Router | undefined;
  private routerGaugesRegistered = false;

  constructor(options: GatewayMetricsOptions = {}) {
    if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
    const prefix = options.prefix ?? DEFAULT_METRICS_PREFIX;
    if (typeof prefix !== 'string' || !METRIC_NAME_PREFIX.test(prefix)) throw invalidOption('prefix', 'must be letters, digits, "_" and ":", not starting with a digit');
    const registry = options.registry ?? new Registry();
    if (typeof registry?.registerMetric !== 'function' || typeof registry.getSingleMetric !== 'function') throw invalidOption('registry', 'must be a prom-client Registry');
    this.registry = registry;
    this.prefix = prefix;

    // Checked up front, so a conflict leaves the registry as it was.
    for (const name of Object.values(NAMES)) {
      if (registry.getSingleMetric(prefix + name) !== undefined) throw conflict(prefix + name);
    }
    if (options.defaultMetrics ?? true) {
      try {
        collectDefaultMetrics({ register: registry, prefix });
      } catch (error) {
        throw conflict(`${prefix}process_*`, error);
      }
    }

    const requests = new CounterFamily(registry, prefix + NAMES.requests, 'Requests finished, proxied or answered by the gateway, by rule host, backend, status code and client protocol (http1, h2, h2c).', ['host', 'backend', 'status', 'protocol']);
    const duration = new HistogramFamily(registry, prefix + NAMES.duration, 'Time from the request to the end of the response, by rule host and backend.', ['host', 'backend'], LATENCY_BUCKETS);
    const upstreamLatency = new HistogramFamily(registry, prefix + NAMES.upstreamLatency, 'Time to the upstream response headers, by backend.', ['backend'], LATENCY_BUCKETS);
    const retries = new CounterFamily(registry, prefix + NAMES.retries, 'Requests retried on another endpoint, by backend.', ['backend']);
    const ejections = new CounterFamily(registry, prefix + NAMES.ejections, 'Endpoints ejected by outlier detection, by backend.', ['backend']);
    this.errors = new CounterFamily(registry, prefix + NAMES.errors, 'Requests the gateway answered with a SWY error code, by code.', ['code']);
    const httpRouteRequests = new CounterFamily(
      registry,
      prefix + NAMES.httpRouteRequests,
      'Requests an HTTPRoute rule routed, by route (namespace/name), rule (its index in spec.rules) and status code; also counted in requests_total.',
      ['route', 'rule', 'status'],
    );
    const grpcRequests = new CounterFamily(
      registry,
      prefix + NAMES.grpcRequests,
      'gRPC calls finished, by rule host, backend and grpc-status (0-16, other): the upstream\'s, or the gateway\'s own answer\'s; also counted in requests_total (as HTTP 200).',
      ['host', 'backend', 'grpc_status'],
    );
    this.series = new RouteSeriesCache({ requests, duration, upstreamLatency, retries, ejections, httpRouteRequests, grpcRequests }, this.errorCellOf);
    this.objectsKept = new Gauge({
      name: prefix + NAMES.objectsKept,
      help: 'Objects of a configuration source whose current version fails validation and that serve at their last valid version, by source.',
      labelNames: ['source'],
      registers: [registry],
      // Every worker reads the same files: the cluster's figure is the max, not the sum.
      aggregator: 'max',
    });
    this.discoveryErrors = new Counter({
      name: prefix + NAMES.discoveryErrors,
      help: 'Failures of a discovery or configuration source, by source and SWY code.',
      labelNames: ['source', 'code'],
      registers: [registry],
    });
  }

  /**
   * One per finished request, proxied or answered by the gateway itself. `route` is
   * undefined for answers without a route (400, 404). Labels: the rule's host (`*` for
   * hostless rules and the default backend, '' without a route), never the request's Host;
   * the backend key; the status code; the protocol the client spoke (`http1`, `h2` over TLS,
   * `h2c` cleartext; `http1` when not given). `errorCode`, a `SWY_*` code of core's or this
   * package's registry, is also counted by code; `grpcStatus` (gRPC calls) in `grpc_requests_total`.
   *
   * @throws FastifyPluginError `SWY_ADMIN_METRIC_VALUE_INVALID` for a negative or non-finite
   *   duration, a status code outside 100-999, an unknown protocol or an unknown error code.
   */
  requestFinished(route: Route | undefined, statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void {
    (route === undefined ? this.series.noRoute : this.series.of(compiledRoute(route))).requestFinished(statusCode, durationSeconds, errorCode, protocol, grpcStatus);
  }

  /**
   * The per-request calls bound to one route's series (`ProxyObserver.forRoute`): the proxy
   * keeps the answer per route, so recording a request needs no lookup by route. Same labels
   * and checks as the calls that take the route.
   */
  forRoute(route: Route): RouteObserver {
    return this.series.of(compiledRoute(route));
  }

  /** Time to response headers from the upstream, per backend. */
  upstreamLatency(route: Route, seconds: number): void {
    this.series.of(compiledRoute(route)).upstreamLatency(seconds);
  }

  /** A request to the route's backend was retried on another endpoint. */
  retried(route: Route): void {
    this.series.of(compiledRoute(route)).retried();
  }

  /** Outlier detection ejected an endpoint of the route's backend. */
  ejected(route: Route): void {
    this.series.of(compiledRoute(route)).ejected();
  }

  /** A discovery or configuration source failed (`source` like 'kubernetes', 'dns', 'files'; `code` its SWY code). */
  /**
   * How many objects of `source` (`files`) serve at their last valid version because their
   * current one fails validation; 0 when none.
   */
  objectsKeptAt(source: string, count: number): void {
    this.objectsKept.set({ source }, count);
  }

  discoveryError(source: string, code: string): void {
    this.discoveryErrors.inc({ source, code });
  }

  /**
   * Reports the router's state, read at scrape time: the table version and its routes, the
   * backends watched, and per backend its endpoints (all and eligible), whether the set is
   * stale and the discovery problem it has, by code. Calling it again follows another router.
   */
  observeRouter(router: Router): void {
    if (typeof router?.endpointsOf !== 'function' || typeof router.watchedBackends !== 'function') throw invalidOption('router', 'must be a Router from @switchyard/core');
    this.router = router;
    if (!this.routerGaugesRegistered) {
      this.registerRouterGauges();
      this.routerGaugesRegistered = true;
    }
  }

  /** The exposition text for /metrics and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private addErrorCode(code: string): CounterCell {
    // Only registered codes become label values, so the series stay bounded.
    if (typeof code !== 'string' || !(Object.hasOwn(FASTIFY_ERROR_CODES, code) || Object.hasOwn(TLS_ERROR_CODES, code) || Object.hasOwn(ERROR_CODES, code))) {
      throw new FastifyPluginError('SWY_ADMIN_METRIC_VALUE_INVALID', `GatewayMetrics: errorCode ${JSON.stringify(code)} is in no Switchyard error registry`, { field: 'errorCode' });
    }
    const cell = this.errors.cell([code]);
    this.errorCells.set(code, cell);
    return cell;
  }

  private registerRouterGauges(): void {
    const { registry, prefix } = this;
    // Each collect callback runs when the registry is scraped; arrow functions read the
    // router observed at that moment.
    const routerNow = (): Router => this.router!;
    const backends = (): Array<[string, ReturnType<Router['endpointsOf']>]> => {
      const router = routerNow();
      return router.watchedBackends().map((key) => [key, router.endpointsOf(key)]);
    };
    // Every worker of a `--workers N` cluster reports the same router state: summing them (the
    // default when the primary aggregates) would multiply it by N, so the aggregate is the max.
    new Gauge({
      name: prefix + NAMES.tableVersion,
      help: 'Version of the route table requests are matched against.',
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.set(routerNow().table.version);
      },
    });
    new Gauge({
      name: prefix + NAMES.tableRoutes,
      help: 'Routes requests can reach in the current table (conflict losers left out).',
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.set(routerNow().table.routeCount());
      },
    });
    new Gauge({
      name: prefix + NAMES.backendsWatched,
      help: 'Backends the router watches: those the current table references, and dropped ones until they retire.',
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.set(routerNow().watchedBackends().length);
      },
    });
    new Gauge({
      name: prefix + NAMES.endpoints,
      help: 'Endpoints in the backend\'s current set, whatever their conditions (0 until discovery pushes a set).',
      labelNames: ['backend'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        for (const [backend, current] of backends()) this.set({ backend }, current?.set.endpoints.length ?? 0);
      },
    });
    new Gauge({
      name: prefix + NAMES.eligible,
      help: 'Endpoints of the backend a request may go to (ready, or serving and terminating when none is ready).',
      labelNames: ['backend'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        for (const [backend, current] of backends()) this.set({ backend }, current?.eligible.length ?? 0);
      },
    });
    new Gauge({
      name: prefix + NAMES.stale,
      help: '1 when the backend\'s endpoints are the last good set kept while its source fails.',
      labelNames: ['backend'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        for (const [backend, current] of backends()) this.set({ backend }, current?.set.stale === true ? 1 : 0);
      },
    });
    new Gauge({
      name: prefix + NAMES.problem,
      help: '1 for each backend whose discovery reports a problem, by its SWY code.',
      labelNames: ['backend', 'code'],
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        for (const [backend, current] of backends()) {
          const problem = current?.set.problem;
          if (problem !== undefined) this.set({ backend, code: problem.code }, 1);
        }
      },
    });
  }
}

/** A `RouteMatch` carries its compiled route: key the caches by that, never by a per-request object. */
function compiledRoute(route: Route): Route {
  return (route as Partial<RouteMatch>).route ?? route;
}

function invalidOption(field: string, why: string): FastifyPluginError {
  return new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', `GatewayMetrics: ${field} ${why}`, { field });
}

function conflict(name: string, cause?: unknown): FastifyPluginError {
  return new FastifyPluginError('SWY_ADMIN_METRIC_CONFLICT', `GatewayMetrics: the registry already holds a metric named ${name}; give another prefix or registry`, {
    field: 'registry',
    ...(cause === undefined ? {} : { cause }),
  });
}
