import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, compile, type EndpointSet } from '@switchyard/core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { JsonFileDiscovery } from '../src/json-file-discovery.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swy-json-discovery-'));
  file = join(dir, 'registry.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const web = { namespace: 'shop', service: { name: 'web', port: { number: 80 } } };

test('pushes the file content, then changes, and keeps the last good set while the file is broken', async () => {
  await writeFile(file, JSON.stringify({ 'shop/web:80': [{ address: '10.0.0.1', port: 8080 }] }));
  const discovery = new JsonFileDiscovery({ file, intervalMs: 60_000 });
  await discovery.ready();
  const sets: EndpointSet[] = [];
  discovery.watch(web, (set) => sets.push(set));
  expect(sets.map((s) => s.endpoints.map((e) => e.address))).toEqual([['10.0.0.1']]);

  await discovery.poll(); // unchanged: nothing pushed
  expect(sets).toHaveLength(1);

  await writeFile(file, '{ not json');
  await discovery.poll();
  expect(sets[1]).toMatchObject({ stale: true, problem: { code: 'EXAMPLE_FILE_UNREADABLE' } });
  expect(sets[1]!.endpoints.map((e) => e.address)).toEqual(['10.0.0.1']);

  await writeFile(file, JSON.stringify({ 'shop/web:80': [{ address: '10.0.0.2', port: 8080 }] }));
  await discovery.poll();
  expect(sets[2]).toMatchObject({ stale: false, version: 3 });
  expect(sets[2]!.problem).toBeUndefined();
  expect(sets[2]!.endpoints.map((e) => e.address)).toEqual(['10.0.0.2']);
  await discovery.close();
});

test('plugs into a Router like any discovery', async () => {
  await writeFile(file, JSON.stringify({ 'shop/web:80': [{ address: '10.0.0.1', port: 8080, ready: false, serving: true, terminating: true }] }));
  const discovery = new JsonFileDiscovery({ file });
  await discovery.ready();
  const ingress = { metadata: { name: 'web', namespace: 'shop' }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } };
  const router = new Router({ table: compile({ ingresses: [ingress] }).table, discovery });
  const route = router.table.match('any.host', '/')!.route;
  expect(router.endpoints(route)?.eligible.map((e) => e.address)).toEqual(['10.0.0.1']);
  router.close();
  await discovery.close();
});
