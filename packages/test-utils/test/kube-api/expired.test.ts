import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { getJson, ingress, startFixture, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
const readers: WatchReader[] = [];
beforeEach(async () => ({ server, url } = await startFixture({ historyLimit: 3 })));
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await server.close();
});
const watchUrl = (rv: string) => `${url}/apis/networking.k8s.io/v1/ingresses?watch=true&resourceVersion=${rv}`;

describe('410 Expired', () => {
  test('compactHistory(): an older resourceVersion gets an HTTP 410 Status by default', async () => {
    server.apply(ingress('a'));
    const old = server.resourceVersion;
    server.apply(ingress('b'));
    server.compactHistory();
    const { status, body } = await getJson(watchUrl(old));
    expect(status).toBe(410);
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' });
  });

  test('the newest resourceVersion still resumes after compactHistory(), unless includingCurrent', async () => {
    server.apply(ingress('a'));
    server.compactHistory();
    const ok = await WatchReader.open(watchUrl(server.resourceVersion));
    readers.push(ok);
    expect(ok.response.status).toBe(200);
    server.compactHistory({ includingCurrent: true });
    expect((await getJson(watchUrl(server.resourceVersion))).status).toBe(410);
  });

  test('the bounded history window expires old resourceVersions by itself', async () => {
    server.apply(ingress('a'));
    const old = server.resourceVersion;
    for (const name of ['b', 'c', 'd', 'e']) server.apply(ingress(name));
    expect((await getJson(watchUrl(old))).status).toBe(410);
  });

  test("expiredWatch = 'event': a 200 stream with one in-stream ERROR 410, then the end", async () => {
    server.expiredWatch = 'event';
    server.apply(ingress('a'));
    const old = server.resourceVersion;
    server.apply(ingress('b'));
    server.compactHistory();
    const reader = await WatchReader.open(watchUrl(old));
    readers.push(reader);
    expect(reader.response.status).toBe(200);
    const [line] = await reader.take(1);
    expect(line).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(await reader.ended()).toBe('end');
    expect(server.requests.at(-1)?.endReason).toBe('expired');
  });
});
