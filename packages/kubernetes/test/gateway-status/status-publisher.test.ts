import type { KubernetesObject } from '@switchyard/core';
import { Reflector, StatusPublisher, type KubeError, type ObservedObject, type StatusInputs, type StatusWrite, type StatusWriteOutcome } from '@switchyard/kubernetes';
import { eventually, KubeApiServer } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { compileYaml, GATEWAY, httpRoute, OURS, service } from './status-fixtures.js';

const YAML = `${GATEWAY}${service('web', 'apps')}${httpRoute('shop', 'apps', '  parentRefs: [{ name: gw, namespace: infra }]\n  hostnames: [shop.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`;
const GROUP = '/apis/gateway.networking.k8s.io/v1';

let server: KubeApiServer;
let reflectors: Reflector[];
let publisher: StatusPublisher | undefined;
let writes: Array<{ write: StatusWrite; outcome: StatusWriteOutcome }>;
let errors: KubeError[];

beforeEach(async () => {
  server = new KubeApiServer();
  await server.start();
  reflectors = [];
  writes = [];
  errors = [];
});
afterEach(async () => {
  await publisher?.close();
  publisher = undefined;
  await Promise.all(reflectors.map((r) => r.stop()));
  await server.close();
});

/** Stores the Gateway API objects of `YAML` in the fixture and watches them back, as the gateway does. */
async function watchedCluster(): Promise<{ status: StatusInputs['status']; observed: () => StatusInputs['observed'] }> {
  const { objects, status } = compileYaml(YAML);
  for (const object of objects) if (object.kind !== 'Service') server.apply(object as never);
  const reflect = (plural: string, kind: string) => {
    const reflector = new Reflector({ connection: { server: server.address.url }, path: `${GROUP}/${plural}`, objectType: { apiVersion: 'gateway.networking.k8s.io/v1', kind }, onError: () => undefined }).start();
    reflectors.push(reflector);
    return reflector;
  };
  const [classes, gateways, routes] = [reflect('gatewayclasses', 'GatewayClass'), reflect('gateways', 'Gateway'), reflect('httproutes', 'HTTPRoute')];
  await Promise.all(reflectors.map((r) => r.synced()));
  const of = (reflector: Reflector) => [...reflector.store.values()] as unknown as ObservedObject[];
  return { status, observed: () => ({ gatewayClasses: of(classes), gateways: of(gateways), httpRoutes: of(routes), grpcRoutes: [] }) };
}

function startPublisher(inputs: () => StatusInputs | undefined, isLeader: () => boolean = () => true): StatusPublisher {
  publisher = new StatusPublisher({
    connection: { server: server.address.url },
    controllerName: OURS,
    isLeader,
    inputs,
    debounceMs: 10,
    retry: { initialMs: 20, maxMs: 100 },
    onWrite: (write, outcome) => writes.push({ write, outcome }),
    onError: (error) => errors.push(error),
  });
  return publisher;
}

const routeStatus = () => (server.get('HTTPRoute/apps/shop') as unknown as { status?: { parents?: unknown[] } }).status;

test('the leader writes each status once; a hundred changes that leave the status as it is write nothing more', async () => {
  const cluster = await watchedCluster();
  const published = startPublisher(() => ({ status: cluster.status, observed: cluster.observed() }));
  published.changed();
  await eventually('three statuses written', () => writes.length === 3, { timeoutMs: 5_000 });
  expect(writes.map(({ write, outcome }) => `${write.kind} ${outcome}`).sort()).toEqual(['Gateway written', 'GatewayClass written', 'HTTPRoute written']);
  expect(routeStatus()?.parents).toHaveLength(1);
  // The watches bring the written statuses back; then a storm of changes (endpoints, recompiles).
  await eventually('the statuses watched back', () => cluster.observed().httpRoutes.every((r) => (r as { status?: unknown }).status !== undefined), { timeoutMs: 5_000 });
  for (let i = 0; i < 100; i++) {
    published.changed();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await published.flush();
  expect(writes).toHaveLength(3);
  expect(errors).toEqual([]);
});

test('a replica that does not lead writes nothing, and writes once it leads', async () => {
  const cluster = await watchedCluster();
  let leading = false;
  const published = startPublisher(() => ({ status: cluster.status, observed: cluster.observed() }), () => leading);
  published.changed();
  await published.flush();
  expect(writes).toEqual([]);
  expect(routeStatus()).toBeUndefined();
  leading = true;
  published.changed();
  await eventually('written once leading', () => writes.length === 3, { timeoutMs: 5_000 });
});

test('a status planned against an object that changed meanwhile is a conflict, planned again from the newer object and written', async () => {
  const cluster = await watchedCluster();
  // The first publish sees a stale copy of the route (an older resourceVersion): its write conflicts.
  const stale = cluster.observed();
  const current = server.get('HTTPRoute/apps/shop')!;
  server.apply({ ...current, metadata: { ...current.metadata, labels: { team: 'shop' } } } as KubernetesObject as never);
  let first = true;
  const published = startPublisher(() => {
    const observed = first ? stale : cluster.observed();
    first = false;
    return { status: cluster.status, observed };
  });
  published.changed();
  await eventually('the route written after the conflict', () => writes.some(({ write, outcome }) => write.kind === 'HTTPRoute' && outcome === 'written'), { timeoutMs: 5_000 });
  expect(writes.filter(({ write }) => write.kind === 'HTTPRoute').map(({ outcome }) => outcome)).toEqual(['conflict', 'written']);
  expect((server.get('HTTPRoute/apps/shop') as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({ team: 'shop' });
  expect(routeStatus()?.parents).toHaveLength(1);
});

test('a failing API server is retried a bounded number of times, then waits for the next change', async () => {
  const cluster = await watchedCluster();
  server.failNext(1_000, { only: 'write', status: 500 });
  const published = startPublisher(() => ({ status: cluster.status, observed: cluster.observed() }));
  published.changed();
  // 1 publish + 5 retries, 3 writes each, every one failing; then nothing until a change.
  await eventually('six failed rounds', () => errors.length === 18, { timeoutMs: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(errors).toHaveLength(18);
  expect(errors.every((e) => e.code === 'SWY_KUBE_API_STATUS')).toBe(true);
});

test('a publish before the watch brings our own write back does not write again from the older resourceVersion (it could only conflict)', async () => {
  const cluster = await watchedCluster();
  // Inputs frozen at the objects as first read: as a caller's are until the watch echo is recompiled.
  const before = cluster.observed();
  const published = startPublisher(() => ({ status: cluster.status, observed: before }));
  published.changed();
  await eventually('three statuses written', () => writes.length === 3, { timeoutMs: 5_000 });
  for (let i = 0; i < 5; i++) await published.flush();
  expect(writes.map(({ outcome }) => outcome)).toEqual(['written', 'written', 'written']);
  expect(server.requests.filter((r) => r.method === 'PUT').length).toBe(3);
});
