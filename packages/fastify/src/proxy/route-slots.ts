import type { BackendBalancer, Route } from '@switchyard/core';
import type { ProxyObserver, RouteObserver } from '../options.js';
import type { BackendBalancers } from './backend-balancers.js';

/**
 * What the proxy keeps per Route: its backend's balancer and its observer (metrics cells).
 * Made on the route's first request and found after that with one WeakMap read, so a request
 * does not look up its backend's balancer and its metric series separately: with thousands
 * of routes in use, each lookup in a large table is a few cache misses.
 */
export class RouteSlot {
  constructor(
    readonly balancer: BackendBalancer,
    readonly observer: RouteObserver | undefined,
  ) {}
}

/** The slots of the routes requests have used; keyed by Route, so they go with their table. */
export class RouteSlots {
  private readonly byRoute = new WeakMap<Route, RouteSlot>();

  constructor(
    private readonly balancers: BackendBalancers,
    private readonly observer: ProxyObserver | undefined,
  ) {}

  of(route: Route): RouteSlot {
    return this.byRoute.get(route) ?? this.create(route);
  }

  private create(route: Route): RouteSlot {
    const observer = this.observer;
    const slot = new RouteSlot(this.balancers.of(route.backendKey), observer === undefined ? undefined : (observer.forRoute?.(route) ?? new BoundRouteObserver(observer, route)));
    this.byRoute.set(route, slot);
    return slot;
  }
}

/** An observer without `forRoute`, called with the route each time. */
class BoundRouteObserver implements RouteObserver {
  constructor(
    private readonly observer: ProxyObserver,
    private readonly route: Route,
  ) {}

  requestFinished(statusCode: number, durationSeconds: number, errorCode?: string): void {
    this.observer.requestFinished(this.route, statusCode, durationSeconds, errorCode);
  }

  upstreamLatency(seconds: number): void {
    this.observer.upstreamLatency(this.route, seconds);
  }

  retried(): void {
    this.observer.retried(this.route);
  }

  ejected(): void {
    this.observer.ejected(this.route);
  }
}
