import type { EndpointSet, ExternalNameResolver } from '@switchyard/core';
import { KubernetesDiscovery } from '@switchyard/kubernetes';
import { eventually, KubeApiServer } from '@switchyard/test-utils';
import { afterEach, beforeEach, expect, test } from 'vitest';

let server: KubeApiServer;
let discovery: KubernetesDiscovery | undefined;

beforeEach(async () => {
  server = new KubeApiServer({ bookmarkIntervalMs: 100 });
  await server.start();
});
afterEach(async () => {
  await discovery?.close();
  discovery = undefined;
  await server.close();
});

const service = (name: string, spec: Record<string, unknown>, namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
const slice = (name: string, serviceName: string, port: number, endpoints: unknown[], namespace = 'shop') => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port }],
  endpoints,
});
const web = { namespace: 'shop', service: { name: 'web', port: { name: 'http' } } };

function start(options: { namespaces?: string[]; externalNames?: ExternalNameResolver; allowExternalNames?: string[] } = {}) {
  discovery = new KubernetesDiscovery({
    connection: { server: server.address.url },
    debounceMs: 10,
    reflector: { backoff: { initialMs: 20, maxMs: 200 } },
    ...options,
  });
  return discovery;
}

function record() {
  const sets: EndpointSet[] = [];
  return { sets, last: () => sets.at(-1), addresses: () => sets.at(-1)?.endpoints.map((e) => `${e.address}:${e.port}${e.ready ? '' : ' (not ready)'}`) };
}

test('resolves a Service through all its EndpointSlices, and follows changes', async () => {
  server.apply(service('web', { ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
  server.apply(slice('web-a', 'web', 8080, [{ addresses: ['10.0.0.1'], conditions: { ready: null } }, { addresses: ['10.0.0.2'], conditions: { ready: false } }]));
  server.apply(slice('web-b', 'web', 8081, [{ addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.1'], conditions: { ready: true } }]));
  await start().ready();
  const seen = record();
  discovery!.watch(web, (set) => seen.sets.push(set));
  expect(seen.addresses()).toEqual(['10.0.0.1:8080', '10.0.0.1:8081', '10.0.0.2:8080 (not ready)', '10.0.0.3:8081']);

  server.apply(slice('web-b', 'web', 8081, [{ addresses: ['10.0.0.4'] }]));
  await eventually('the slice change', () => seen.addresses()?.includes('10.0.0.4:8081') === true);
  expect(seen.addresses()).toEqual(['10.0.0.1:8080', '10.0.0.2:8080 (not ready)', '10.0.0.4:8081']);

  server.remove('EndpointSlice/shop/web-a');
  await eventually('the slice deletion', () => seen.addresses()?.length === 1);
  server.remove('Service/shop/web');
  await eventually('the Service deletion', () => seen.last()?.problem?.code === 'SWY_DISCOVERY_SERVICE_NOT_FOUND');
  expect(seen.last()?.endpoints).toEqual([]);
});

test('a burst of events coalesces into few pushes, and unchanged state pushes nothing', async () => {
  server.apply(service('web', { ports: [{ name: 'http', port: 80 }] }));
  await start().ready();
  const seen = record();
  discovery!.watch(web, (set) => seen.sets.push(set));
  for (let i = 1; i <= 20; i++) server.apply(slice('web-a', 'web', 8080, [{ addresses: [`10.0.1.${i}`] }]));
  await eventually('the last address', () => seen.addresses()?.[0] === '10.0.1.20:8080');
  expect(seen.sets.length).toBeLessThan(10);
  const pushes = seen.sets.length;
  server.apply(service('other', { ports: [{ name: 'http', port: 80 }] }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(seen.sets.length).toBe(pushes);
});

test('only the namespaces asked for are read', async () => {
  server.apply(service('web', { ports: [{ name: 'http', port: 80 }] }, 'blog'));
  server.apply(slice('web-a', 'web', 8080, [{ addresses: ['10.0.0.1'] }], 'blog'));
  await start({ namespaces: ['shop'] }).ready();
  const seen = record();
  discovery!.watch({ namespace: 'blog', service: { name: 'web', port: { name: 'http' } } }, (set) => seen.sets.push(set));
  expect(seen.last()?.problem?.code).toBe('SWY_DISCOVERY_SERVICE_NOT_FOUND');
  expect(server.requests.every((r) => r.path.includes('/namespaces/shop/'))).toBe(true);
});

test('ExternalName Services are not resolved unless allowed', async () => {
  server.apply(service('ext', { type: 'ExternalName', externalName: 'api.example.net', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
  const asked: string[] = [];
  const resolver: ExternalNameResolver = {
    watchName(hostname) {
      asked.push(hostname);
      return () => undefined;
    },
  };
  await start({ externalNames: resolver }).ready();
  const seen = record();
  discovery!.watch({ namespace: 'shop', service: { name: 'ext', port: { number: 80 } } }, (set) => seen.sets.push(set));
  expect(asked).toEqual([]);
  expect(seen.last()).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED' } });
});

test('ExternalName Services that are allowed go to the resolver with the Service port, kept across refreshes', async () => {
  server.apply(service('ext', { type: 'ExternalName', externalName: 'api.example.net', ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
  const asked: string[] = [];
  const resolver: ExternalNameResolver = {
    watchName(hostname, port, onChange) {
      asked.push(`${hostname}:${port}`);
      onChange({ backendKey: '', version: 1, endpoints: [{ address: '192.0.2.10', port, ready: true, serving: true, terminating: false }], stale: false });
      return () => undefined;
    },
  };
  await start({ externalNames: resolver, allowExternalNames: ['*.example.net'] }).ready();
  const seen = record();
  discovery!.watch({ namespace: 'shop', service: { name: 'ext', port: { number: 80 } } }, (set) => seen.sets.push(set));
  expect(asked).toEqual(['api.example.net:8080']);
  expect(seen.addresses()).toEqual(['192.0.2.10:8080']);
});

test('while the API server is gone the last endpoints keep serving; on its return changes flow again', async () => {
  server.apply(service('web', { ports: [{ name: 'http', port: 80 }] }));
  server.apply(slice('web-a', 'web', 8080, [{ addresses: ['10.0.0.1'] }]));
  await start().ready();
  const seen = record();
  discovery!.watch(web, (set) => seen.sets.push(set));
  await server.close();
  await eventually('the loops to notice', () => Object.values(discovery!.status()).every((s) => s.lastError !== undefined));
  expect(seen.addresses()).toEqual(['10.0.0.1:8080']);
  await server.start();
  server.apply(slice('web-a', 'web', 8080, [{ addresses: ['10.0.0.2'] }]));
  await eventually('the change after the return', () => seen.addresses()?.[0] === '10.0.0.2:8080', 10_000);
});
