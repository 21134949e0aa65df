import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeApiServer } from '@switchyard/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDiscoveryFront, type DiscoveryFront } from './helpers/discovery-front.js';
import { writeKubeconfig, type TempKubeconfig } from './helpers/kubeconfig.js';
import { DEMO_DIR, MANIFESTS_DIR, loadManifestDir } from './helpers/manifests.js';

// `kubectl apply --dry-run=client` still asks the API server's discovery how to map each kind
// (offline it fails with "unable to recognize"), so it runs against the KubeApiServer fixture,
// behind a front that adds the kinds the fixture does not serve (Deployment, ClusterRole, ...).
// kubectl must be installed: where it is missing this test fails, it is never skipped.

let fixture: KubeApiServer;
let front: DiscoveryFront;
let kubeconfig: TempKubeconfig;

beforeAll(async () => {
  fixture = new KubeApiServer();
  const { url } = await fixture.start();
  front = await startDiscoveryFront(url);
  kubeconfig = writeKubeconfig(front.url);
});

afterAll(async () => {
  await front?.close();
  await fixture?.close();
  kubeconfig?.remove();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl against the fixture (asynchronously: the fixture answers from this process). */
function kubectl(...args: string[]): Promise<Run> {
  const fullArgs = ['--kubeconfig', kubeconfig.path, '--cache-dir', join(kubeconfig.dir, 'cache'), '--request-timeout', '20s', ...args];
  return new Promise((resolve, reject) => {
    execFile('kubectl', fullArgs, { timeout: 25_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error); // not installed, or killed
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** What `kubectl ... -o name` prints for each object of `dir`: `kind[.group]/name`, in file order. */
function expectedNames(dir: string): string[] {
  return loadManifestDir(dir).map(({ object }) => {
    const group = object.apiVersion!.includes('/') ? `.${object.apiVersion!.split('/')[0]}` : '';
    return `${object.kind!.toLowerCase()}${group}/${object.metadata!.name}`;
  });
}

test('kubectl apply --dry-run=client maps every object of manifests/ to a served kind', async () => {
  const run = await kubectl('apply', '--dry-run=client', '--validate=false', '-f', MANIFESTS_DIR, '-o', 'name');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout.trim().split('\n')).toEqual(expectedNames(MANIFESTS_DIR));
  // It did ask the fixture: the IngressClass (a fixture type) was looked up to decide create vs patch.
  expect(fixture.requests.some((r) => r.path === '/apis/networking.k8s.io/v1/ingressclasses/switchyard')).toBe(true);
  expect(fixture.requests.some((r) => r.path === '/apis/gateway.networking.k8s.io/v1/gatewayclasses/switchyard')).toBe(true);
});

// What the README says of a cluster without the Gateway API CRDs: the GatewayClass alone fails,
// everything else is applied.
test('without the Gateway API CRDs, only the GatewayClass fails to map; kubectl applies every other object', async () => {
  fixture.uninstallGatewayApi();
  try {
    // A cache of its own: the discovery cached by the other tests still has the CRDs (the last --cache-dir wins).
    const run = await kubectl('--cache-dir', join(kubeconfig.dir, 'cache-without-crds'), 'apply', '--dry-run=client', '--validate=false', '-f', MANIFESTS_DIR, '-o', 'name');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no matches for kind "GatewayClass" in version "gateway\.networking\.k8s\.io\/v1"/);
    expect(run.stdout.trim().split('\n')).toEqual(expectedNames(MANIFESTS_DIR).filter((name) => !name.startsWith('gatewayclass.')));
  } finally {
    fixture.installGatewayApi();
  }
});

test('kubectl apply --dry-run=client takes the demo too', async () => {
  const run = await kubectl('apply', '--dry-run=client', '--validate=false', '-f', DEMO_DIR, '-o', 'name');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout.trim().split('\n')).toEqual(expectedNames(DEMO_DIR));
});

test('a kind the API server does not serve fails the same check (so a passing run means something)', async () => {
  const dir = join(kubeconfig.dir, 'wrong');
  mkdirSync(dir);
  // apps/v1beta1 Deployments were removed in Kubernetes 1.16.
  writeFileSync(join(dir, 'deployment.yaml'), 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: old\n  namespace: switchyard\nspec: {}\n');
  const run = await kubectl('apply', '--dry-run=client', '--validate=false', '-f', dir, '-o', 'name');
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/no matches for kind "Deployment" in version "apps\/v1beta1"/);
});
