import { Reflector, isKubeError, type KubeApiError, type KubeError, type ReflectorChange } from '@switchyard/kubernetes';
import { eventually, KubeApiServer } from '@switchyard/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ingressObject } from './helpers/ingress-object.js';

const PATH = '/apis/networking.k8s.io/v1/ingresses';
let server: KubeApiServer;
let reflector: Reflector | undefined;
let changes: ReflectorChange[];
let errors: KubeError[];

beforeEach(async () => {
  server = new KubeApiServer({ bookmarkIntervalMs: 100 });
  await server.start();
  changes = [];
  errors = [];
});
afterEach(async () => {
  await reflector?.stop();
  reflector = undefined;
  await server.close();
});

function startReflector(options: { inactivityTimeoutMs?: number; pageSize?: number } = {}) {
  reflector = new Reflector({
    connection: { server: server.address.url },
    path: PATH,
    backoff: { initialMs: 20, maxMs: 200 },
    watchTimeoutSeconds: 30,
    ...options,
    onChange: (change) => changes.push(change),
    onError: (error) => errors.push(error),
  }).start();
  return reflector;
}

const names = () => [...reflector!.store.keys()].sort();
const watchRequests = () => server.requests.filter((r) => r.watch && r.path === PATH);
const listRequests = () => server.requests.filter((r) => !r.watch && r.path === PATH);

describe('Reflector', () => {
  test('lists in pages, then follows ADDED, MODIFIED and DELETED', async () => {
    server.apply(ingressObject('a'));
    server.apply(ingressObject('b'));
    server.apply(ingressObject('c', 'blog'));
    startReflector({ pageSize: 2 });
    await reflector!.synced();
    expect(names()).toEqual(['blog/c', 'shop/a', 'shop/b']);
    expect(listRequests().map((r) => r.query.limit)).toEqual(['2', '2']);
    await eventually('a watch', () => server.openWatches === 1);
    server.apply(ingressObject('d'));
    server.apply({ ...ingressObject('a'), metadata: { name: 'a', namespace: 'shop', labels: { changed: 'yes' } } });
    server.remove('Ingress/shop/b');
    await eventually('three events', () => changes.length === 4);
    expect(changes.map((c) => ('object' in c ? `${c.type} ${c.object.metadata?.name}` : c.type))).toEqual(['RELISTED', 'ADDED d', 'MODIFIED a', 'DELETED b']);
    expect(names()).toEqual(['blog/c', 'shop/a', 'shop/d']);
    expect(reflector!.store.get('shop/a')?.metadata?.labels).toEqual({ changed: 'yes' });
    const watch = watchRequests()[0]!;
    expect(watch.query).toMatchObject({ allowWatchBookmarks: 'true', resourceVersion: listRequests().at(-1) ? expect.any(String) : undefined });
    expect(Number(watch.query.timeoutSeconds)).toBeGreaterThanOrEqual(30);
    expect(Number(watch.query.timeoutSeconds)).toBeLessThanOrEqual(60);
  });

  test('a dropped watch resumes from the last resourceVersion, without listing again', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    server.apply(ingressObject('b'));
    await eventually('b', () => reflector!.store.has('shop/b'));
    const seen = reflector!.status().resourceVersion;
    server.dropWatches();
    server.apply(ingressObject('c'));
    await eventually('c after the resume', () => reflector!.store.has('shop/c'));
    expect(listRequests()).toHaveLength(1);
    expect(watchRequests()[1]!.query.resourceVersion).toBe(seen);
  });

  test('bookmarks advance the resourceVersion it resumes from', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    // Changes elsewhere move the server's resourceVersion; only a bookmark tells this watch.
    server.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'shop' }, spec: {} });
    await eventually('a bookmark', () => reflector!.status().resourceVersion === server.resourceVersion, 3_000);
    server.dropWatches();
    await eventually('the resumed watch', () => watchRequests().length === 2);
    expect(watchRequests()[1]!.query.resourceVersion).toBe(server.resourceVersion);
  });

  test.each(['status', 'event'] as const)('410 Gone on resume (%s form) relists, and the state is right after', async (form) => {
    server.expiredWatch = form;
    server.apply(ingressObject('a'));
    server.apply(ingressObject('b'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    server.hangWatches(); // the reflector misses what follows
    server.remove('Ingress/shop/a');
    server.apply(ingressObject('c'));
    server.compactHistory();
    server.dropWatches();
    await eventually('the relist', () => listRequests().length >= 2);
    expect(errors.map((e) => e.code)).toContain('SWY_KUBE_WATCH_EXPIRED');
    await eventually('the new state', () => names().join() === 'shop/b,shop/c');
    expect(listRequests()).toHaveLength(2);
    expect(changes.filter((c) => c.type === 'RELISTED')).toHaveLength(2);
    expect(reflector!.status().synced).toBe(true);
  });

  test('a relist keeps the object held for each item at the same resourceVersion, so consumers can tell what changed by identity', async () => {
    server.apply(ingressObject('a'));
    server.apply(ingressObject('b'));
    server.apply(ingressObject('c'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    const before = new Map(reflector!.store);
    server.hangWatches(); // the reflector misses what follows
    server.apply(ingressObject('b', 'shop', 'b2.example.com'));
    server.remove('Ingress/shop/c');
    server.compactHistory();
    server.dropWatches();
    await eventually('the relist', () => changes.filter((c) => c.type === 'RELISTED').length === 2);
    expect(names()).toEqual(['shop/a', 'shop/b']);
    // a did not change: the very object held before; b did: the listed one.
    expect(reflector!.store.get('shop/a')).toBe(before.get('shop/a'));
    expect(reflector!.store.get('shop/b')).not.toBe(before.get('shop/b'));
    expect(reflector!.store.get('shop/b')).toMatchObject({ spec: { rules: [{ host: 'b2.example.com' }] } });
  });

  test('after the history went back (an etcd restore), a relist keeps nothing: a resourceVersion may now name other content', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    const held = reflector!.store.get('shop/a');
    await server.restart({ resourceVersionsBackwards: true });
    server.apply(ingressObject('b'));
    await eventually('the state after the restart', () => names().join() === 'shop/a,shop/b', 10_000);
    expect(errors.map((e) => e.code)).toContain('SWY_KUBE_RESOURCE_VERSION_BACKWARDS');
    expect(reflector!.store.get('shop/a')).not.toBe(held);
  });

  test('410 again right after a relist backs off instead of hammering the server', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    // Every resourceVersion, the newest included, is now expired: each watch gets 410 until a change.
    server.compactHistory({ includingCurrent: true });
    server.dropWatches();
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Backoff from 20 ms doubling to 200 ms allows a handful of relists in 600 ms, not hundreds.
    expect(listRequests().length).toBeGreaterThanOrEqual(2);
    expect(listRequests().length).toBeLessThan(15);
    server.apply(ingressObject('b'));
    await eventually('b once the server can be watched again', () => reflector!.store.has('shop/b'), 5_000);
  });

  test('a half-open watch is dropped after the inactivity deadline and resumed', async () => {
    server.apply(ingressObject('a'));
    startReflector({ inactivityTimeoutMs: 300 });
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    server.hangWatches();
    server.apply(ingressObject('b'));
    await eventually('b through a new watch', () => reflector!.store.has('shop/b'), 5_000);
    expect(watchRequests().length).toBeGreaterThanOrEqual(2);
    expect(errors.some((e) => isKubeError(e, 'SWY_KUBE_WATCH_INACTIVE'))).toBe(true);
  });

  test('a line that is not JSON is reported, and the loop resumes with the state intact', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    server.sendGarbageLine();
    await eventually('the error', () => errors.length === 1);
    expect(isKubeError(errors[0], 'SWY_KUBE_WATCH_BAD_EVENT')).toBe(true);
    expect(names()).toEqual(['shop/a']);
    server.apply(ingressObject('b'));
    await eventually('b', () => reflector!.store.has('shop/b'));
  });

  test('429 with Retry-After is honoured, 500s back off, and the first list still completes', async () => {
    server.apply(ingressObject('a'));
    server.failNext(1, { status: 429, retryAfterSeconds: 1, only: 'list' });
    server.failNext(2, { status: 500, only: 'list' });
    const started = Date.now();
    startReflector();
    await reflector!.synced();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(listRequests().map((r) => r.status)).toEqual([429, 500, 500, 200]);
    expect(errors.map((e) => [e.code, (e as KubeApiError).status])).toEqual([
      ['SWY_KUBE_API_STATUS', 429],
      ['SWY_KUBE_API_STATUS', 500],
      ['SWY_KUBE_API_STATUS', 500],
    ]);
    expect(names()).toEqual(['shop/a']);
  });

  test('an API server that goes away keeps the last state; on its return the loop catches up', async () => {
    server.apply(ingressObject('a'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    const address = server.address;
    await server.close();
    await eventually('a refused connection', () => reflector!.status().lastError?.code === 'SWY_KUBE_CONNECTION_FAILED');
    expect(names()).toEqual(['shop/a']);
    await server.start();
    expect(server.address.port).toBe(address.port);
    server.apply(ingressObject('b'));
    await eventually('b after the return', () => reflector!.store.has('shop/b'), 10_000);
  });

  test('a restart with resourceVersions going backwards ends in a relist and the right state', async () => {
    server.apply(ingressObject('a'));
    server.apply(ingressObject('b'));
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    await server.restart({ resourceVersionsBackwards: true });
    server.remove('Ingress/shop/a');
    server.apply(ingressObject('c'));
    await eventually('the state after the restart', () => names().join() === 'shop/b,shop/c', 10_000);
    expect(errors.map((e) => e.code)).toContain('SWY_KUBE_RESOURCE_VERSION_BACKWARDS');
    expect(listRequests().length).toBeGreaterThanOrEqual(2);
  });

  test('stop() ends the loop: no request after it', async () => {
    startReflector();
    await reflector!.synced();
    await eventually('a watch', () => server.openWatches === 1);
    await reflector!.stop();
    const count = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.length).toBe(count);
    await eventually('the watch to close', () => server.openWatches === 0);
  });
});

test('stop() right after the first list, before the watch starts, still ends the loop', async () => {
  server.apply(ingressObject('a'));
  const early = new Reflector({ connection: { server: server.address.url }, path: PATH }).start();
  await early.synced();
  await early.stop(); // would hang until the inactivity deadline if the watch missed the stop
  expect(server.openWatches).toBe(0);
});
