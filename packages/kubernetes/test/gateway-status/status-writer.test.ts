import type { KubernetesObject } from '@switchyard/core';
import { planStatusWrites, writeStatus, type ObservedObject, type StatusPlanInput } from '@switchyard/kubernetes';
import { KubeApiServer } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { compileYaml, GATEWAY, httpRoute, OURS, service, T0 } from './status-fixtures.js';

let server: KubeApiServer;

beforeEach(async () => {
  server = new KubeApiServer();
  await server.start();
});
afterEach(async () => {
  await server.close();
});

const YAML = `${GATEWAY}${service('web', 'apps')}${httpRoute('shop', 'apps', '  parentRefs: [{ name: gw, namespace: infra }]\n  hostnames: [shop.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}${httpRoute(
  'lost',
  'apps',
  '  parentRefs: [{ name: gw, namespace: infra }]\n  rules: [{ backendRefs: [{ name: missing, port: 80 }] }]\n',
)}`;

/** The Gateway API objects of `YAML`, stored in the fixture (which gives them generations and resourceVersions). */
function store(objects: readonly KubernetesObject[]): void {
  for (const object of objects) if (object.kind !== 'Service') server.apply(object as never);
}

/** What the fixture holds now, LISTed over HTTP as the status plan would read it. */
async function observed(): Promise<StatusPlanInput['observed']> {
  const of = async (plural: string) => ((await (await fetch(`${server.address.url}/apis/gateway.networking.k8s.io/v1/${plural}`)).json()) as { items: ObservedObject[] }).items;
  return { gatewayClasses: await of('gatewayclasses'), gateways: await of('gateways'), httpRoutes: await of('httproutes'), grpcRoutes: await of('grpcroutes') };
}

const connection = () => ({ server: server.address.url });
const signal = () => AbortSignal.timeout(5_000);

test('the planned statuses land through the status subresource, and a second plan from what the server holds writes nothing', async () => {
  const { objects, status } = compileYaml(YAML);
  store(objects);
  const plan = planStatusWrites({ status, controllerName: OURS, observed: await observed(), now: T0 });
  expect(plan.writes.map((w) => `${w.kind} ${w.namespace ?? ''}/${w.name}`).sort()).toEqual(['Gateway infra/gw', 'GatewayClass /switchyard', 'HTTPRoute apps/lost', 'HTTPRoute apps/shop']);
  for (const write of plan.writes) expect(await writeStatus(connection(), write, signal())).toBe('written');

  const shop = server.get('HTTPRoute/apps/shop') as unknown as { metadata: { generation: number }; status: { parents: Array<{ controllerName: string; conditions: Array<{ type: string; status: string }> }> } };
  expect(shop.metadata.generation).toBe(1);
  expect(shop.status.parents).toHaveLength(1);
  expect(shop.status.parents[0]!.controllerName).toBe(OURS);
  expect(shop.status.parents[0]!.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['Accepted=True', 'ResolvedRefs=True']);
  const lost = server.get('HTTPRoute/apps/lost') as unknown as { status: { parents: Array<{ conditions: Array<{ type: string; status: string; reason: string }> }> } };
  expect(lost.status.parents[0]!.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'BackendNotFound' });

  // No write storm: the same conclusions against what the server now holds plan no write at all.
  expect(planStatusWrites({ status, controllerName: OURS, observed: await observed(), now: new Date(T0.getTime() + 60_000) }).writes).toEqual([]);
});

test('a status computed against an older resourceVersion is a conflict, not a write over the newer object', async () => {
  const { objects, status } = compileYaml(YAML);
  store(objects);
  const write = planStatusWrites({ status, controllerName: OURS, observed: await observed(), now: T0 }).writes.find((w) => w.kind === 'HTTPRoute' && w.name === 'shop')!;
  // Someone else changes the route between our read and our write.
  const current = server.get('HTTPRoute/apps/shop')!;
  server.apply({ ...current, metadata: { ...current.metadata, labels: { team: 'shop' } } });
  expect(await writeStatus(connection(), write, signal())).toBe('conflict');
  expect((server.get('HTTPRoute/apps/shop') as { status?: unknown }).status).toBeUndefined();
});

test('an object deleted since it was read is gone, and nothing is written', async () => {
  const { objects, status } = compileYaml(YAML);
  store(objects);
  const write = planStatusWrites({ status, controllerName: OURS, observed: await observed(), now: T0 }).writes.find((w) => w.kind === 'HTTPRoute' && w.name === 'lost')!;
  server.remove('HTTPRoute/apps/lost');
  expect(await writeStatus(connection(), write, signal())).toBe('gone');
});
