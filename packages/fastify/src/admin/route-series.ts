import type { Route } from '@switchyard/core';
import { FastifyPluginError } from '../errors.js';
import type { RouteObserver } from '../options.js';
import type { RequestProtocol } from '../proxy/request-protocol.js';
import type { CounterCell, CounterFamily, HistogramCell, HistogramFamily } from './metric-cells.js';

/** The label values of a route: the rule's host (never the request's) and its backend key. */
export interface RouteLabels {
  readonly host: string;
  readonly backend: string;
}

/** The host label of a rule: as written, `*` for hostless rules and the default backend. */
export function hostLabelOf(route: Route): string {
  return route.host ?? '*';
}

/** Labels of a request the gateway answered without a route (400, 404). */
export const NO_ROUTE_LABELS: RouteLabels = Object.freeze({ host: '', backend: '' });

/**
 * The `protocol` label values, each with a small number that goes into the key of a request
 * counter: status × 4 + this, so one Map read by number finds status and protocol together.
 */
const PROTOCOL_KEYS: Readonly<Record<RequestProtocol, number>> = Object.freeze({ http1: 0, h2: 1, h2c: 2 });

/** The `grpc_status` label values: gRPC's codes 0-16 (OK to UNAUTHENTICATED), then `other` for any value past them. */
const GRPC_STATUS_LABELS: readonly string[] = Object.freeze([...Array.from({ length: 17 }, (_, code) => String(code)), 'other']);

/** The counter of a SWY error code; throws for a code in no registry. */
export type ErrorCellOf = (code: string) => CounterCell;

/**
 * The cells a finished request touches, found once and then held, so recording a request is
 * a Map read by status code (none when it repeats the last one) and additions to numbers. Routes that share a
 * rule host and backend share cells (the families hand out one cell per label combination).
 */
export class RequestSeries {
  /** By status × 4 + protocol key. */
  private readonly byStatus = new Map<number, CounterCell>();
  /** The last status and protocol key asked for and its cell: a route mostly answers one status, and this skips the Map. */
  private lastStatus = 0;
  private lastCell: CounterCell | undefined = undefined;
  /** By `GRPC_STATUS_LABELS` index, made on a gRPC call's first finish with that status. */
  private grpcCells: Array<CounterCell | undefined> | undefined = undefined;

  constructor(
    private readonly labels: RouteLabels,
    private readonly requests: CounterFamily,
    readonly duration: HistogramCell,
    private readonly errorCellOf: ErrorCellOf,
    private readonly grpcRequests: CounterFamily,
  ) {}

  /**
   * One finished request. Both cells are found before either counts: an unknown error code or
   * a status outside 100-999 throws `SWY_ADMIN_METRIC_VALUE_INVALID` with nothing counted.
   */
  requestFinished(statusCode: number, durationSeconds: number, errorCode?: string, protocol: RequestProtocol = 'http1', grpcStatus?: number): void {
    if (!(durationSeconds >= 0 && durationSeconds < Infinity)) throw invalidValue('durationSeconds', durationSeconds);
    const errorCell = errorCode === undefined ? undefined : this.errorCellOf(errorCode);
    this.status(statusCode, protocol).inc();
    this.duration.observe(durationSeconds);
    errorCell?.inc();
    if (grpcStatus !== undefined) this.grpcStatus(grpcStatus).inc();
  }

  /** The gRPC call counter of one `grpc-status` (codes past 16, or not a code, count as `other`). */
  private grpcStatus(status: number): CounterCell {
    const index = Number.isInteger(status) && status >= 0 && status <= 16 ? status : 17;
    const cells = (this.grpcCells ??= new Array<CounterCell | undefined>(GRPC_STATUS_LABELS.length));
    return (cells[index] ??= this.grpcRequests.cell([this.labels.host, this.labels.backend, GRPC_STATUS_LABELS[index]!]));
  }

  /** The request counter of one status code and protocol. Status codes are 100-999 and protocols three, so this map stays small. */
  status(statusCode: number, protocol: RequestProtocol = 'http1'): CounterCell {
    // An unknown protocol has no key: NaN, which no Map entry matches, so it reaches `addStatus`.
    const key = statusCode * 4 + (PROTOCOL_KEYS[protocol] ?? Number.NaN);
    if (key === this.lastStatus) return this.lastCell!;
    const cell = this.byStatus.get(key) ?? this.addStatus(statusCode, protocol, key);
    this.lastStatus = key;
    this.lastCell = cell;
    return cell;
  }

  private addStatus(statusCode: number, protocol: RequestProtocol, key: number): CounterCell {
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 999) {
      throw new FastifyPluginError('SWY_ADMIN_METRIC_VALUE_INVALID', `GatewayMetrics: statusCode must be an integer from 100 to 999, got ${String(statusCode)}`, { field: 'statusCode' });
    }
    if (!Object.hasOwn(PROTOCOL_KEYS, protocol)) {
      throw new FastifyPluginError('SWY_ADMIN_METRIC_VALUE_INVALID', `GatewayMetrics: protocol must be http1, h2 or h2c, got ${JSON.stringify(protocol)}`, { field: 'protocol' });
    }
    const cell = this.requests.cell([this.labels.host, this.labels.backend, String(statusCode), protocol]);
    this.byStatus.set(key, cell);
    return cell;
  }
}

/** A route's request cells plus the cells of its backend: what `GatewayMetrics.forRoute` hands the proxy. */
export class RouteSeries extends RequestSeries implements RouteObserver {
  constructor(labels: RouteLabels, requests: CounterFamily, duration: HistogramCell, errorCellOf: ErrorCellOf, grpcRequests: CounterFamily, readonly backend: BackendSeries) {
    super(labels, requests, duration, errorCellOf, grpcRequests);
  }

  upstreamLatency(seconds: number): void {
    if (!(seconds >= 0 && seconds < Infinity)) throw invalidValue('seconds', seconds);
    this.backend.upstreamLatency.observe(seconds);
  }

  retried(): void {
    this.backend.retries.inc();
  }

  ejected(): void {
    this.backend.ejections.inc();
  }
}

/** The request counters of one HTTPRoute rule, by status code. */
class RuleCells {
  private readonly byStatus = new Map<number, CounterCell>();
  constructor(
    private readonly family: CounterFamily,
    private readonly route: string,
    private readonly rule: string,
  ) {}

  /** Read when a status changes only: each `HttpRouteSeries` keeps the cell of its last status. */
  status(statusCode: number): CounterCell {
    let cell = this.byStatus.get(statusCode);
    if (cell === undefined) this.byStatus.set(statusCode, (cell = this.family.cell([this.route, this.rule, String(statusCode)])));
    return cell;
  }
}

/** A route compiled from an HTTPRoute backendRef: counted by its rule too. */
class HttpRouteSeries extends RouteSeries {
  /** The rule's cell of the last status, kept here too: the shared `RuleCells` is then not read per request. */
  private lastRuleStatus = 0;
  private lastRuleCell: CounterCell | undefined = undefined;

  constructor(labels: RouteLabels, requests: CounterFamily, duration: HistogramCell, errorCellOf: ErrorCellOf, grpcRequests: CounterFamily, backend: BackendSeries, private readonly rule: RuleCells) {
    super(labels, requests, duration, errorCellOf, grpcRequests, backend);
  }

  override requestFinished(statusCode: number, durationSeconds: number, errorCode?: string, protocol?: RequestProtocol, grpcStatus?: number): void {
    // First, so a status the parent refuses (outside 100-999) throws before anything counts.
    super.requestFinished(statusCode, durationSeconds, errorCode, protocol, grpcStatus);
    if (statusCode !== this.lastRuleStatus) {
      this.lastRuleCell = this.rule.status(statusCode);
      this.lastRuleStatus = statusCode;
    }
    this.lastRuleCell!.inc();
  }
}

function invalidValue(field: string, value: number): FastifyPluginError {
  return new FastifyPluginError('SWY_ADMIN_METRIC_VALUE_INVALID', `GatewayMetrics: ${field} must be a finite number >= 0, got ${String(value)}`, { field });
}

/** Cells labelled by backend only. */
export interface BackendSeries {
  readonly upstreamLatency: HistogramCell;
  readonly retries: CounterCell;
  readonly ejections: CounterCell;
}

export interface SeriesFamilies {
  readonly requests: CounterFamily;
  /** gRPC calls by rule host, backend and `grpc-status`. */
  readonly grpcRequests: CounterFamily;
  /** Requests by HTTPRoute rule: bounded by the configuration, like every other label here. */
  readonly httpRouteRequests: CounterFamily;
  readonly duration: HistogramFamily;
  readonly upstreamLatency: HistogramFamily;
  readonly retries: CounterFamily;
  readonly ejections: CounterFamily;
}

/**
 * Finds a route's series. Keyed by the Route object in a WeakMap: routes are immutable and
 * live as long as their table, so the cache follows the tables in use and never grows with
 * request input.
 */
export class RouteSeriesCache {
  private readonly byRoute = new WeakMap<Route, RouteSeries>();
  private readonly byBackend = new Map<string, BackendSeries>();
  private withoutRoute: RequestSeries | undefined;

  constructor(
    private readonly families: SeriesFamilies,
    private readonly errorCellOf: ErrorCellOf,
  ) {}

  /** Requests answered without a route (400, 404): no backend cells. Made on first use, so no empty series shows before. */
  get noRoute(): RequestSeries {
    return (this.withoutRoute ??= new RequestSeries(NO_ROUTE_LABELS, this.families.requests, this.families.duration.cell([NO_ROUTE_LABELS.host, NO_ROUTE_LABELS.backend]), this.errorCellOf, this.families.grpcRequests));
  }

  of(route: Route): RouteSeries {
    return this.byRoute.get(route) ?? this.create(route);
  }

  private create(route: Route): RouteSeries {
    const labels: RouteLabels = { host: hostLabelOf(route), backend: route.backendKey };
    const duration = this.families.duration.cell([labels.host, labels.backend]);
    const backend = this.backendOf(route.backendKey);
    const rule = route.rule;
    const series =
      rule === undefined
        ? new RouteSeries(labels, this.families.requests, duration, this.errorCellOf, this.families.grpcRequests, backend)
        : new HttpRouteSeries(labels, this.families.requests, duration, this.errorCellOf, this.families.grpcRequests, backend, new RuleCells(this.families.httpRouteRequests, `${rule.origin.namespace}/${rule.origin.name}`, String(rule.index)));
    this.byRoute.set(route, series);
    return series;
  }

  private backendOf(key: string): BackendSeries {
    let series = this.byBackend.get(key);
    if (series === undefined) {
      series = {
        upstreamLatency: this.families.upstreamLatency.cell([key]),
        retries: this.families.retries.cell([key]),
        ejections: this.families.ejections.cell([key]),
      };
      this.byBackend.set(key, series);
    }
    return series;
  }
}
