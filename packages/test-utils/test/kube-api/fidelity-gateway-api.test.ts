import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { gateway, httpRoute, lease } from './gateway-api-objects.js';
import { startFixture } from './helpers.js';

// kubectl against the fixture, for what Gateway API status write-back and leader election use.
// Each command is what an operator would type against a real cluster; the output is what a real
// server makes kubectl print (the table columns come from the CRDs' printer columns).

const run = promisify(execFile);
let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  let url: string;
  ({ server, url } = await startFixture());
  dir = mkdtempSync(join(tmpdir(), 'kube-api-kubectl-gateway-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: fixture, cluster: { server: "${url}" } }]`,
      'users: [{ name: nobody, user: {} }]',
      'contexts: [{ name: fixture, context: { cluster: fixture, user: nobody } }]',
      'current-context: fixture',
    ].join('\n'),
  );
  server.apply(gateway('web'));
  server.apply(gateway('edge', 'ops', 'other'));
  server.apply(httpRoute('store'));
  server.apply(lease('switchyard-status-writer', 'replica-a'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 });
  return stdout;
}

/** A table's rows as arrays of cells, header first. */
function cells(table: string): string[][] {
  return table.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
}

test('kubectl get gateways -A prints the CRD columns', async () => {
  expect(cells(await kubectl('get', 'gateways', '-A'))).toEqual([
    ['NAMESPACE', 'NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
    ['ops', 'edge', 'other', expect.stringMatching(/^\d+s$/)],
    ['shop', 'web', 'switchyard', expect.stringMatching(/^\d+s$/)],
  ]);
});

test('kubectl get httproute -n NS NAME -o json gives the stored object', async () => {
  const printed = JSON.parse(await kubectl('get', 'httproute', '-n', 'shop', 'store', '-o', 'json'));
  expect(printed).toEqual(server.get('HTTPRoute/shop/store'));
  expect(printed).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { generation: 1 } });
});

test('kubectl patch --subresource=status --type=merge sets the status and keeps the generation', async () => {
  const before = server.get('Gateway/shop/web')!;
  const status = { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }], conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: '', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z' }] };
  expect(await kubectl('patch', 'gateway', 'web', '-n', 'shop', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status }))).toBe('gateway.gateway.networking.k8s.io/web patched\n');
  const after = server.get('Gateway/shop/web')!;
  expect(after['status']).toEqual(status);
  expect(after['spec']).toEqual(before['spec']);
  expect(after.metadata.generation).toBe(before.metadata.generation);
  expect(server.requests.find((r) => r.method === 'PATCH')?.path).toBe('/apis/gateway.networking.k8s.io/v1/namespaces/shop/gateways/web/status');
  // The table shows what a controller wrote.
  expect(cells(await kubectl('get', 'gtw', '-n', 'shop'))[1]).toEqual(['web', 'switchyard', '127.0.0.1', 'True', expect.stringMatching(/^\d+s$/)]);
});

test('kubectl get lease -n NS NAME -o yaml', async () => {
  const yaml = await kubectl('get', 'lease', '-n', 'shop', 'switchyard-status-writer', '-o', 'yaml');
  expect(yaml).toMatch(/^apiVersion: coordination\.k8s\.io\/v1\nkind: Lease\nmetadata:\n/);
  expect(yaml).toContain('  holderIdentity: replica-a\n');
  expect(yaml).toContain(`  resourceVersion: "${server.get('Lease/shop/switchyard-status-writer')!.metadata.resourceVersion}"\n`);
  expect(cells(await kubectl('get', 'lease', '-n', 'shop'))).toEqual([['NAME', 'HOLDER', 'AGE'], ['switchyard-status-writer', 'replica-a', expect.stringMatching(/^\d+s$/)]]);
});

test('kubectl apply -f creates a Gateway, leaves it unchanged when applied again, and merge-patches a change', async () => {
  const manifest = join(dir, 'gateway.yaml');
  const write = (className: string) =>
    writeFileSync(manifest, `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: applied\n  namespace: shop\nspec:\n  gatewayClassName: ${className}\n  listeners:\n  - name: http\n    port: 80\n    protocol: HTTP\n`);
  write('switchyard');
  expect(await kubectl('apply', '-f', manifest)).toBe('gateway.gateway.networking.k8s.io/applied created\n');
  expect(server.get('Gateway/shop/applied')).toMatchObject({ spec: { gatewayClassName: 'switchyard' }, metadata: { generation: 1, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': expect.any(String) } } });
  expect(await kubectl('apply', '-f', manifest)).toBe('gateway.gateway.networking.k8s.io/applied unchanged\n');
  write('other');
  expect(await kubectl('apply', '-f', manifest)).toBe('gateway.gateway.networking.k8s.io/applied configured\n');
  expect(server.get('Gateway/shop/applied')).toMatchObject({ spec: { gatewayClassName: 'other' }, metadata: { generation: 2 } });
  // kubectl sends a custom resource a JSON merge patch (a strategic merge patch would have been a 415).
  const patch = server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/gateways/applied'));
  expect(patch).toHaveLength(1);
  expect(patch[0]!.status).toBe(200);
});
