import { Router, StaticDiscovery, compile, isSwitchyardError, type BackendRef, type Discovery, type EndpointSet } from '@switchyard/core';
import { describe, expect, test, vi } from 'vitest';
import { ingress, prefix, rule, serviceBackend, thrown } from '@switchyard/test-utils';

/** A Discovery that keeps a log of watch and unwatch calls over a StaticDiscovery. */
class LoggingDiscovery implements Discovery {
  readonly log: string[] = [];
  constructor(readonly inner: StaticDiscovery) {}
  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void {
    const name = 'service' in backend ? backend.service.name : backend.resource.name;
    this.log.push(`watch ${name}`);
    const stop = this.inner.watch(backend, onChange);
    return () => {
      this.log.push(`unwatch ${name}`);
      stop();
    };
  }
  ready(): Promise<void> {
    return this.inner.ready();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const endpoints = {
  'default/a:80': [{ address: '10.0.0.1', port: 8080 }],
  'default/b:80': [{ address: '10.0.0.2', port: 8080, ready: false, serving: true, terminating: true }],
  'default/c:80': [{ address: '10.0.0.3', port: 8080 }],
};

const tableOf = (...paths: Array<[string, string]>) =>
  compile({ ingresses: [ingress('web', { rules: [rule('foo.com', ...paths.map(([path, svc]) => prefix(path, svc)))] })] }).table;

describe('Router', () => {
  test('watches exactly the backends of the table and answers a route with its endpoints', () => {
    const discovery = new LoggingDiscovery(new StaticDiscovery({ endpoints }));
    const router = new Router({ table: tableOf(['/a', 'a'], ['/a2', 'a'], ['/b', 'b']), discovery });
    expect(discovery.log).toEqual(['watch a', 'watch b']);
    const route = router.table.match('foo.com', '/a/x')!.route;
    expect(router.endpoints(route)?.eligible.map((e) => e.address)).toEqual(['10.0.0.1']);
    // b has no ready endpoint: its serving, terminating one is eligible (KEP-1669).
    const b = router.table.match('foo.com', '/b')!.route;
    expect(router.endpoints(b)?.eligible.map((e) => e.address)).toEqual(['10.0.0.2']);
  });

  test('endpointsOf answers by backend key what endpoints(route) answers, and nothing for backends not watched', () => {
    const inner = new StaticDiscovery({ endpoints });
    const router = new Router({ table: tableOf(['/a', 'a'], ['/b', 'b']), discovery: inner, retainDroppedMs: 0 });
    const a = router.table.match('foo.com', '/a')!.route;
    expect(router.endpointsOf('default/a:80')).toBe(router.endpoints(a));
    expect(router.endpointsOf('default/a:80')?.eligible.map((e) => e.address)).toEqual(['10.0.0.1']);
    expect(router.endpointsOf('default/c:80')).toBeUndefined();
    inner.update({ endpoints: { ...endpoints, 'default/a:80': [{ address: '10.0.0.9', port: 8080 }] } });
    expect(router.endpointsOf('default/a:80')?.set.version).toBe(2);
    router.update(tableOf(['/b', 'b']));
    expect(router.endpointsOf('default/a:80')).toBeUndefined();
    expect(router.endpointsOf('default/b:80')?.eligible.map((e) => e.address)).toEqual(['10.0.0.2']);
  });

  test('terminatingFallback: false leaves a backend with no ready endpoint empty', () => {
    const router = new Router({ table: tableOf(['/b', 'b']), discovery: new StaticDiscovery({ endpoints }), terminatingFallback: false });
    expect(router.endpoints(router.table.match('foo.com', '/b')!.route)?.eligible).toEqual([]);
  });

  test('update watches the new backends before the swap and drops the old ones after', () => {
    const discovery = new LoggingDiscovery(new StaticDiscovery({ endpoints }));
    const router = new Router({ table: tableOf(['/a', 'a'], ['/b', 'b']), discovery, retainDroppedMs: 0 });
    const next = tableOf(['/b', 'b'], ['/c', 'c']);
    router.update(next);
    expect(discovery.log).toEqual(['watch a', 'watch b', 'watch c', 'unwatch a']);
    expect(router.table).toBe(next);
    expect(router.watchedBackends().sort()).toEqual(['default/b:80', 'default/c:80']);
    expect(router.endpoints(next.match('foo.com', '/c')!.route)?.eligible.map((e) => e.address)).toEqual(['10.0.0.3']);
  });

  test('a dropped backend stays watched for retainDroppedMs, so requests matched on the old table find endpoints', () => {
    vi.useFakeTimers();
    try {
      const discovery = new LoggingDiscovery(new StaticDiscovery({ endpoints }));
      const router = new Router({ table: tableOf(['/a', 'a'], ['/b', 'b']), discovery, retainDroppedMs: 1_000 });
      const oldRoute = router.table.match('foo.com', '/a')!.route;
      router.update(tableOf(['/b', 'b']));
      expect(router.endpoints(oldRoute)?.eligible.map((e) => e.address)).toEqual(['10.0.0.1']);
      vi.advanceTimersByTime(999);
      expect(discovery.log).toEqual(['watch a', 'watch b']);
      vi.advanceTimersByTime(1);
      expect(discovery.log).toEqual(['watch a', 'watch b', 'unwatch a']);
      expect(router.endpoints(oldRoute)).toBeUndefined();
      // Referenced again while retiring: the watch goes on, unbroken.
      router.update(tableOf(['/c', 'c']));
      router.update(tableOf(['/b', 'b'], ['/c', 'c']));
      vi.advanceTimersByTime(5_000);
      expect(discovery.log).toEqual(['watch a', 'watch b', 'unwatch a', 'watch c']);
      expect(router.watchedBackends().sort()).toEqual(['default/b:80', 'default/c:80']);
      router.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test('endpoint changes reach the router without a new table', () => {
    const inner = new StaticDiscovery({ endpoints });
    const router = new Router({ table: tableOf(['/a', 'a']), discovery: inner });
    inner.update({ endpoints: { ...endpoints, 'default/a:80': [{ address: '10.0.0.9', port: 8080 }] } });
    const current = router.endpoints(router.table.match('foo.com', '/a')!.route)!;
    expect(current.eligible.map((e) => e.address)).toEqual(['10.0.0.9']);
    expect(current.set.version).toBe(2);
  });

  test('the default backend is watched too', () => {
    const discovery = new LoggingDiscovery(new StaticDiscovery({ endpoints }));
    const table = compile({ ingresses: [ingress('web', { defaultBackend: serviceBackend('c') })] }).table;
    const router = new Router({ table, discovery });
    expect(discovery.log).toEqual(['watch c']);
    expect(router.endpoints(table.match('any', '/')!.route)?.eligible).toHaveLength(1);
  });

  test('close() unwatches everything; bad options and updates after close are errors', () => {
    const discovery = new LoggingDiscovery(new StaticDiscovery({ endpoints }));
    const router = new Router({ table: tableOf(['/a', 'a']), discovery });
    router.close();
    expect(discovery.log).toEqual(['watch a', 'unwatch a']);
    expect(isSwitchyardError(thrown(() => router.update(tableOf())), 'SWY_DISCOVERY_CLOSED')).toBe(true);
    expect(isSwitchyardError(thrown(() => new Router({ table: {} as never, discovery })), 'SWY_ROUTER_INVALID_OPTIONS')).toBe(true);
    expect(thrown(() => new Router({ table: tableOf(), discovery, retainDroppedMs: -1 }))).toMatchObject({ code: 'SWY_ROUTER_INVALID_OPTIONS', field: 'retainDroppedMs' });
    expect(isSwitchyardError(thrown(() => new Router({ table: tableOf(), discovery: {} as never })), 'SWY_ROUTER_INVALID_OPTIONS')).toBe(true);
  });
});
