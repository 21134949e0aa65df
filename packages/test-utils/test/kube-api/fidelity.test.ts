import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, makeInformer, NetworkingV1Api, type Informer, type V1Ingress } from '@kubernetes/client-node';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { eventually, type KubeApiServer } from '@switchyard/test-utils';
import { ingress, startFixture, summary, WatchReader } from './helpers.js';

// One scenario seen by three independent clients must read the same: the fixture speaks the protocol,
// not a dialect only our own reader understands.
const EXPECTED = ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b'];

let server: KubeApiServer;
let url: string;
let kubectl: ChildProcess | undefined;
let informer: Informer<V1Ingress> | undefined;
let reader: WatchReader | undefined;
let cacheDir: string;
beforeEach(async () => {
  ({ server, url } = await startFixture());
  cacheDir = mkdtempSync(join(tmpdir(), 'kube-api-kubectl-'));
});
afterEach(async () => {
  kubectl?.kill('SIGKILL');
  await informer?.stop();
  reader?.close();
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Splits a stream of concatenated JSON values (kubectl may pretty-print them) into the complete ones. */
function takeJsonValues(state: { buffer: string }): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < state.buffer.length; i++) {
    const c = state.buffer[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      values.push(JSON.parse(state.buffer.slice(start, i + 1)));
      state.buffer = state.buffer.slice(i + 1);
      i = -1;
    }
  }
  return values;
}

test('a raw watch, the client-node informer and kubectl agree on the event sequence', async () => {
  // "a" exists before anyone connects, so the initial-state path (LIST or synthetic ADDED) is covered too.
  server.apply(ingress('a'));

  reader = await WatchReader.open(`${url}/apis/networking.k8s.io/v1/ingresses?watch=true`);

  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fixture', server: url, skipTLSVerify: true }],
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'fixture', cluster: 'fixture', user: 'nobody' }],
    currentContext: 'fixture',
  });
  const api = config.makeApiClient(NetworkingV1Api);
  informer = makeInformer<V1Ingress>(config, '/apis/networking.k8s.io/v1/ingresses', () => api.listIngressForAllNamespaces());
  const seenByInformer: string[] = [];
  informer.on('add', (o) => seenByInformer.push(`ADDED ${o.metadata?.name}`));
  informer.on('update', (o) => seenByInformer.push(`MODIFIED ${o.metadata?.name}`));
  informer.on('delete', (o) => seenByInformer.push(`DELETED ${o.metadata?.name}`));
  informer.on('error', (error) => seenByInformer.push(`ERROR ${String(error)}`));
  await informer.start();

  const seenByKubectl: string[] = [];
  const stream = { buffer: '' };
  let kubectlErrors = '';
  kubectl = spawn('kubectl', ['--server', url, '--cache-dir', cacheDir, '--request-timeout', '0', 'get', 'ingresses', '-A', '-w', '--output-watch-events', '-o', 'json'], {
    env: { ...process.env, KUBECONFIG: '/dev/null' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kubectl.stdout!.setEncoding('utf8').on('data', (text: string) => {
    stream.buffer += text;
    for (const value of takeJsonValues(stream) as Array<{ type: string; object: { metadata: { name: string } } }>) {
      seenByKubectl.push(`${value.type} ${value.object.metadata.name}`);
    }
  });
  kubectl.stderr!.setEncoding('utf8').on('data', (text: string) => (kubectlErrors += text));
  // kubectl has subscribed once the request log shows its watch.
  await eventually(`kubectl's watch (stderr: ${kubectlErrors})`, () => server.requests.some((r) => r.watch && r.userAgent.startsWith('kubectl')), 15_000);
  await eventually('three open watches', () => server.openWatches === 3, 5000);

  server.apply(ingress('b', 'other'));
  server.apply({ ...ingress('a'), spec: { ingressClassName: 'changed' } });
  server.remove('Ingress/other/b');

  expect(summary(await reader.take(4))).toEqual(EXPECTED);
  await eventually(`the informer (saw ${seenByInformer})`, () => seenByInformer.length >= 4, 5000);
  await eventually(`kubectl (saw ${seenByKubectl}; stderr: ${kubectlErrors})`, () => seenByKubectl.length >= 4, 5000);
  expect(seenByInformer).toEqual(EXPECTED);
  expect(seenByKubectl).toEqual(EXPECTED);
});
