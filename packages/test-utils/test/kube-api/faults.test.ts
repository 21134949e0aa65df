import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { getJson, ingress, startFixture, summary, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
const readers: WatchReader[] = [];
const watch = async (query = 'watch=true') => {
  const reader = await WatchReader.open(`${url}/apis/networking.k8s.io/v1/ingresses?${query}`);
  readers.push(reader);
  return reader;
};
const list = () => getJson(`${url}/apis/networking.k8s.io/v1/ingresses`);
beforeEach(async () => ({ server, url } = await startFixture({ bookmarkIntervalMs: 50 })));
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await server.close();
});

describe('fault knobs', () => {
  test('dropWatches() breaks open streams abruptly', async () => {
    const reader = await watch();
    server.dropWatches();
    expect(await reader.ended()).toBe('error');
    expect(server.requests.at(-1)?.endReason).toBe('dropped');
    expect(server.openWatches).toBe(0);
  });

  test('hangWatches() keeps the socket open but sends nothing more, bookmarks included', async () => {
    const reader = await watch('watch=true&allowWatchBookmarks=true');
    await reader.take(1, 2000); // a bookmark: the stream is alive
    server.hangWatches();
    // A bookmark written just before the hang may still be on the wire; let it land, then drain.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await reader.take(reader.pending);
    server.apply(ingress('unseen'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader.pending).toBe(0);
    expect(reader.outcome).toBeUndefined();
    expect(server.openWatches).toBe(1);
    // A new watch is not hung.
    const fresh = await watch();
    expect(summary(await fresh.take(1))).toEqual(['ADDED unseen']);
  });

  test('failNext(n, { status: 429, retryAfterSeconds }) fails the next n requests with Retry-After', async () => {
    server.failNext(2, { status: 429, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const { status, headers, body } = await list();
      expect(status).toBe(429);
      expect(headers.get('retry-after')).toBe('3');
      expect(body).toMatchObject({ kind: 'Status', code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
    }
    expect((await list()).status).toBe(200);
    expect(server.requests.filter((r) => r.fault === 'failNext')).toHaveLength(2);
  });

  test('failNext defaults to 500 and leaves discovery alone; `only` targets one kind of request', async () => {
    server.failNext(1);
    expect((await getJson(`${url}/api`)).status).toBe(200);
    const failed = await list();
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 500, reason: 'InternalError' });
    server.failNext(1, { only: 'watch', status: 503 });
    expect((await list()).status).toBe(200);
    expect((await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?watch=true`)).status).toBe(503);
  });

  test('sendGarbageLine() writes a non-JSON line to open watches, which keep going', async () => {
    const reader = await watch();
    server.sendGarbageLine('<<garbage>>');
    server.apply(ingress('after'));
    expect(summary(await reader.take(2))).toEqual(['garbage <<garbage>>', 'ADDED after']);
  });

  test('restart({ resourceVersionsBackwards: true }) drops everything and returns on the same port with lower resourceVersions', async () => {
    server.apply(ingress('a'));
    server.apply(ingress('b'));
    server.apply({ ...ingress('a'), spec: { ingressClassName: 'x' } });
    const before = Number(server.resourceVersion);
    const reader = await watch();
    const { port } = server.address;
    const address = await server.restart({ resourceVersionsBackwards: true });
    expect(await reader.ended()).toBe('error');
    expect(server.requests.find((r) => r.watch)?.endReason).toBe('restarted');
    expect(address.port).toBe(port);
    const after = await list();
    expect(after.status).toBe(200);
    expect(Number(after.body.metadata.resourceVersion)).toBeLessThan(before);
    expect(after.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
  });

  test('restart() without options keeps resourceVersions but forgets history', async () => {
    server.apply(ingress('a'));
    const old = server.resourceVersion;
    server.apply(ingress('b'));
    await server.restart();
    expect((await getJson(`${url}/apis/networking.k8s.io/v1/ingresses?watch=true&resourceVersion=${old}`)).status).toBe(410);
  });
});
