import type { CompileResult } from '@switchyard/core';
import { IngressSource } from '@switchyard/kubernetes';
import { eventually, KubeApiServer } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ingressObject } from './helpers/ingress-object.js';

let server: KubeApiServer;
let source: IngressSource | undefined;

beforeEach(async () => {
  server = new KubeApiServer({ bookmarkIntervalMs: 100 });
  await server.start();
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  await server.close();
});

function start(ingressClass?: string) {
  source = new IngressSource({
    connection: { server: server.address.url },
    debounceMs: 10,
    reflector: { backoff: { initialMs: 20, maxMs: 200 } },
    ...(ingressClass ? { ingressClass } : {}),
  });
  return source;
}

const routesTo = (result: CompileResult | undefined, host: string) => result?.table.match(host, '/')?.backend;

test('compiles the cluster into a table, and every change into a new one', async () => {
  server.apply(ingressObject('a'));
  const first = await start().ready();
  expect(routesTo(first, 'a.example.com')).toMatchObject({ service: { name: 'a' } });
  const tables: CompileResult[] = [];
  source!.subscribe((result) => tables.push(result));
  expect(tables).toEqual([first]);
  server.apply(ingressObject('b'));
  await eventually('a table with b', () => routesTo(tables.at(-1), 'b.example.com') !== undefined);
  expect(tables.at(-1)!.table.version).toBeGreaterThan(first.table.version);
  server.remove('Ingress/shop/a');
  await eventually('a table without a', () => routesTo(tables.at(-1), 'a.example.com') === undefined);
});

test('IngressClasses take part: an Ingress naming no class joins when ours becomes the default', async () => {
  server.apply(ingressObject('a'));
  const first = await start('switchyard').ready();
  expect(routesTo(first, 'a.example.com')).toBeUndefined();
  expect(first.diagnostics.map((d) => d.code)).toEqual(['SWY_INGRESS_CLASS_SKIPPED']);
  server.apply({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'switchyard', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'example.com/switchyard' },
  });
  await eventually('the Ingress in scope', () => routesTo(source!.current(), 'a.example.com') !== undefined);
});

test('an invalid Ingress is reported and left out; the others still route', async () => {
  server.apply(ingressObject('a'));
  server.apply({ ...ingressObject('bad'), spec: { rules: [{ host: 'BAD.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'x', port: { number: 80 } } } }] } }] } });
  const result = await start().ready();
  expect(routesTo(result, 'a.example.com')).toBeDefined();
  expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWY_INGRESS_HOST_INVALID', object: 'shop/bad' }));
});

test('the last good table stays while the API server is gone', async () => {
  server.apply(ingressObject('a'));
  const first = await start().ready();
  await server.close();
  await eventually('the loops to notice', () => Object.values(source!.status()).every((s) => s.lastError !== undefined));
  expect(source!.current()).toBe(first);
  await server.start();
  server.apply(ingressObject('b'));
  await eventually('a table with b', () => routesTo(source!.current(), 'b.example.com') !== undefined, 10_000);
});

test('onObjectsChanged: a caller that compiles the Ingresses itself hears each settled burst and reads them; current() still compiles the latest', async () => {
  server.apply(ingressObject('a'));
  const first = await start().ready();
  let heard = 0;
  const stop = source!.onObjectsChanged(() => heard++);
  server.apply(ingressObject('b'));
  await eventually('the change heard', () => heard > 0);
  expect(source!.ingresses().map((i) => i.metadata.name).sort()).toEqual(['a', 'b']);
  const latest = source!.current();
  expect(latest).not.toBe(first);
  expect(routesTo(latest, 'b.example.com')).toBeDefined();
  // Nothing changed since: the same table, not compiled again.
  expect(source!.current()).toBe(latest);
  stop();
  const before = heard;
  server.apply(ingressObject('c'));
  await eventually('the table with c', () => routesTo(source!.current(), 'c.example.com') !== undefined);
  expect(heard).toBe(before);
});

test('a relist (410 Gone) hands the compile the objects it held for unchanged Ingresses: their hosts are not compiled again', async () => {
  server.apply(ingressObject('a'));
  server.apply(ingressObject('b'));
  const first = await start().ready();
  const tables: CompileResult[] = [];
  source!.subscribe((result) => tables.push(result));
  await eventually('an Ingress watch', () => server.requests.some((r) => r.watch && r.path.endsWith('/ingresses')) && server.openWatches >= 2);
  server.hangWatches(); // the reflectors miss what follows, and must list again
  server.apply(ingressObject('b', 'shop', 'b2.example.com'));
  server.compactHistory();
  server.dropWatches();
  await eventually('the relisted table', () => routesTo(tables.at(-1), 'b2.example.com') !== undefined, 10_000);
  expect(Object.values(source!.status()).some((s) => s.lists >= 2)).toBe(true);
  const ruleOf = (result: CompileResult, host: string) => result.table.rules().find((r) => r.route.host === host);
  // a.example.com is the same compiled rule object: the relisted a was the object held, so its host was reused.
  expect(ruleOf(tables.at(-1)!, 'a.example.com')).toBe(ruleOf(first, 'a.example.com'));
  expect(routesTo(tables.at(-1), 'b.example.com')).toBeUndefined();
});

test('changes that come during a compile are compiled after it: tables are handed out in version order and the last holds the newest state', async () => {
  // Large enough for a compile from scratch to take many slices.
  for (let i = 0; i < 40; i++) {
    server.apply({ ...ingressObject(`bulk-${i}`), spec: { rules: Array.from({ length: 5 }, (_, h) => ({ host: `h${h}.bulk.example.com`, http: { paths: Array.from({ length: 50 }, (_, p) => ({ path: `/t${i}/p${p}`, pathType: 'Prefix', backend: { service: { name: 'bulk', port: { number: 80 } } } })) } })) } });
  }
  source = new IngressSource({ connection: { server: server.address.url }, debounceMs: 1, reflector: { backoff: { initialMs: 20, maxMs: 200 } } });
  const tables: CompileResult[] = [];
  source.subscribe((result) => tables.push(result));
  await source.ready();
  // A class scope change makes every compile after it one from scratch.
  for (let step = 1; step <= 6; step++) {
    server.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: `c${step}` }, spec: { controller: 'example.com/other' } });
    server.apply(ingressObject('moving', 'shop', `step-${step}.example.com`));
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  await eventually('the last state compiled', () => routesTo(tables.at(-1), 'step-6.example.com') !== undefined, 10_000);
  const versions = tables.map((t) => t.table.version);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(new Set(versions).size).toBe(versions.length);
  expect(routesTo(tables.at(-1), 'step-5.example.com')).toBeUndefined();
  expect(tables.at(-1)!.table.routes().length).toBe(40 * 5 * 50 + 1);
});
