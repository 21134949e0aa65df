import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { ingress, startFixture, summary, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
const readers: WatchReader[] = [];
const watch = async (query: string, path = '/apis/networking.k8s.io/v1/ingresses') => {
  const reader = await WatchReader.open(`${url}${path}?${query}`);
  readers.push(reader);
  return reader;
};
beforeEach(async () => ({ server, url } = await startFixture({ bookmarkIntervalMs: 50 })));
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await server.close();
});

describe('WATCH', () => {
  test.each(['watch=true', 'watch=1', 'watch=true&resourceVersion=0'])('%s starts with synthetic ADDED for the current state, then live events', async (query) => {
    server.apply(ingress('a'));
    server.apply(ingress('b'));
    const reader = await watch(query);
    expect(reader.response.status).toBe(200);
    expect(reader.response.headers.get('content-type')).toBe('application/json');
    expect(summary(await reader.take(2))).toEqual(['ADDED a', 'ADDED b']);
    server.apply({ ...ingress('a'), spec: { ingressClassName: 'changed' } });
    server.remove('Ingress/default/b');
    const [modified, deleted] = await reader.take(2);
    expect(summary([modified!, deleted!])).toEqual(['MODIFIED a', 'DELETED b']);
    // Watch objects carry apiVersion/kind, and a deletion carries its own resourceVersion.
    expect((modified as any).object).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' });
    expect((deleted as any).object.metadata.resourceVersion).toBe(server.resourceVersion);
  });

  test('a resourceVersion replays only the changes after it', async () => {
    server.apply(ingress('a'));
    const from = server.resourceVersion;
    server.apply(ingress('b'));
    server.remove('Ingress/default/a');
    const reader = await watch(`watch=true&resourceVersion=${from}`);
    expect(summary(await reader.take(2))).toEqual(['ADDED b', 'DELETED a']);
    server.apply(ingress('c'));
    expect(summary(await reader.take(1))).toEqual(['ADDED c']);
  });

  test('a per-namespace watch sees only its namespace; a watch sees only its type', async () => {
    const reader = await watch('watch=true', '/apis/networking.k8s.io/v1/namespaces/ops/ingresses');
    server.apply(ingress('elsewhere', 'default'));
    server.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'ops' }, spec: {} });
    server.apply(ingress('here', 'ops'));
    expect(summary(await reader.take(1))).toEqual(['ADDED here']);
    expect(reader.pending).toBe(0);
  });

  test('objects entering a label selector arrive as ADDED, leaving it as DELETED', async () => {
    const reader = await watch('watch=true&labelSelector=app%3Dweb');
    server.apply(ingress('x', 'default', { app: 'other' }));
    server.apply(ingress('x', 'default', { app: 'web' }));
    server.apply({ ...ingress('x', 'default', { app: 'web' }), spec: { ingressClassName: 'changed' } });
    server.apply(ingress('x', 'default', { app: 'other' }));
    const lines = await reader.take(3);
    expect(summary(lines)).toEqual(['ADDED x', 'MODIFIED x', 'DELETED x']);
    // The DELETED object is the last state that matched, stamped with the change's resourceVersion.
    expect((lines[2] as any).object.metadata).toMatchObject({ labels: { app: 'web' }, resourceVersion: server.resourceVersion });
  });

  test('a field selector filters a watch', async () => {
    const reader = await watch('watch=true&fieldSelector=metadata.name%3Dwanted');
    server.apply(ingress('unwanted'));
    server.apply(ingress('wanted'));
    expect(summary(await reader.take(1))).toEqual(['ADDED wanted']);
  });

  test('allowWatchBookmarks=true sends periodic BOOKMARKs with only kind/apiVersion/resourceVersion', async () => {
    server.apply(ingress('a'));
    const reader = await watch(`watch=true&resourceVersion=${server.resourceVersion}&allowWatchBookmarks=true`);
    const [first, second] = await reader.take(2, 2000);
    expect(first).toEqual({ type: 'BOOKMARK', object: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: { resourceVersion: server.resourceVersion } } });
    expect(summary([second!])).toEqual(['BOOKMARK']);
  });

  test('no bookmarks without allowWatchBookmarks', async () => {
    const reader = await watch('watch=true');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reader.pending).toBe(0);
  });

  test('timeoutSeconds ends the stream cleanly and logs why', async () => {
    const started = Date.now();
    const reader = await watch('watch=true&timeoutSeconds=1');
    expect(await reader.ended(3000)).toBe('end');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests.at(-1)).toMatchObject({ watch: true, endReason: 'timeout' });
    expect(server.openWatches).toBe(0);
  });

  test('close() ends open watches cleanly', async () => {
    const reader = await watch('watch=true');
    await server.close();
    expect(await reader.ended()).toBe('end');
    expect(server.requests.at(-1)?.endReason).toBe('server-closed');
  });
});
