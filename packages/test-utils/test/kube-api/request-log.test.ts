import { afterEach, beforeEach, expect, test } from 'vitest';
import { eventually, type KubeApiServer } from '@switchyard/test-utils';
import { startFixture, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(() => server.close());

test('the log records method, path, parsed query, time, status, and when and why a watch ended', async () => {
  const before = Date.now();
  await fetch(`${url}/apis/networking.k8s.io/v1/namespaces/default/ingresses?labelSelector=app%3Dweb&limit=10`);
  const reader = await WatchReader.open(`${url}/apis/networking.k8s.io/v1/ingresses?watch=1&resourceVersion=0`);
  reader.close();
  await eventually('the watch to be logged as ended', () => server.requests[1]?.endReason !== undefined, 3000);
  const [list, watch] = server.requests;
  expect(list).toMatchObject({ method: 'GET', path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses', query: { labelSelector: 'app=web', limit: '10' }, watch: false, status: 200 });
  expect(list!.time).toBeGreaterThanOrEqual(before);
  expect(watch).toMatchObject({ watch: true, status: 200, query: { watch: '1', resourceVersion: '0' }, endReason: 'client-closed' });
  expect(watch!.endedAt).toBeGreaterThanOrEqual(watch!.time);
});

test('the log names the bearer token of each request, so a test can tell its clients apart', async () => {
  await fetch(`${url}/api/v1/namespaces/shop/services`, { headers: { authorization: 'Bearer replica-a' } });
  await fetch(`${url}/api/v1/namespaces/shop/services`, { headers: { authorization: 'bearer replica-b' } });
  await fetch(`${url}/api/v1/namespaces/shop/services`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  await fetch(`${url}/api/v1/namespaces/shop/services`);
  expect(server.requests.map((r) => r.bearerToken)).toEqual(['replica-a', 'replica-b', undefined, undefined]);
});
