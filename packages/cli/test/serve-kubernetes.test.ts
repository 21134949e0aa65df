import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestCa, eventually, KubeApiServer, type KubeObject, type PemPair, startUpstream, type TestCa, tlsSecret, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { endpointSlice, ingress, service, tempDir } from './helpers/manifests.js';
import { httpsGet, servedNames } from './helpers/tls-client.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';

/** A kubeconfig file pointing at the fixture, written to `dir`. */
async function kubeconfig(dir: string, server: string): Promise<string> {
  const file = join(dir, 'kubeconfig.yaml');
  await writeFile(
    file,
    ['apiVersion: v1', 'kind: Config', 'clusters:', `- name: fixture`, `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`, 'users:', '- name: tester', '  user: { token: test-token }', 'contexts:', '- name: fixture', '  context: { cluster: fixture, user: tester }', 'current-context: fixture', ''].join('\n'),
  );
  return file;
}

/** A `kubernetes.io/tls` Secret in namespace shop, as the fixture stores objects. */
const secret = (name: string, pair: PemPair) => tlsSecret(name, 'shop', pair) as unknown as KubeObject;

const ingressClass = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'switchyard' },
  spec: { controller: 'switchyard.dev/ingress-controller' },
};

describe('switchyard serve --kubernetes', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let api: KubeApiServer;
  let web: Upstream;
  let shop: Upstream;
  let ca: TestCa;
  let cli: CliProcess;
  let urls: Awaited<ReturnType<CliProcess['urls']>>;

  beforeAll(async () => {
    dir = await tempDir();
    web = await startUpstream('web');
    shop = await startUpstream('shop');
    ca = await createTestCa();
    api = new KubeApiServer({ bookmarkIntervalMs: 200 });
    await api.start();
    api.apply(ingressClass);
    api.apply(ingress('web', { host: 'web.example.com', paths: [{ path: '/', service: 'web' }], ingressClassName: 'switchyard' }));
    api.apply(ingress('theirs', { host: 'theirs.example.com', paths: [{ path: '/', service: 'web' }], ingressClassName: 'nginx' }));
    api.apply(service('web', 'shop', web.port));
    api.apply(endpointSlice('web', web.port));
    api.apply(secret('shop-tls', await ca.issue({ hosts: ['secure.example.com'] })));
    // The API server goes away before switchyard starts: it must come up unready and say why.
    await api.close();
    cli = startCli([
      'serve', '--kubernetes', '--kubeconfig', await kubeconfig(dir.path, api.address.url), '--ingress-class', 'switchyard',
      '--listen', '127.0.0.1:0', '--tls-listen', '127.0.0.1:0', '--admin', '127.0.0.1:0',
    ]);
    urls = await cli.urls();
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await api?.close().catch(() => undefined);
    await Promise.all([web?.close(), shop?.close()]);
    await dir?.remove();
  });

  test('unready (503) until the first complete sync, and the failures are reported', async () => {
    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: false, status: { source: 'kubernetes', synced: false } });
    await cli.waitFor('stderr', /^switchyard: kubernetes: .*\[SWY_KUBE_CONNECTION_FAILED\]$/m);
    await api.start();
    await cli.waitFor('stderr', /^switchyard: synced with http:\/\/127\.0\.0\.1:\d+: table version \d+, 1 routes$/m, 30_000);
    await eventually('ready', async () => (await get(urls.admin!, 'localhost', '/readyz')).status === 200, ACROSS_PROCESSES);
  });

  test('routes the Ingresses of its class to the EndpointSlices of their Services', async () => {
    expect((await get(urls.http, 'web.example.com', '/hello')).json).toMatchObject({ name: 'web', path: '/hello' });
    expect((await get(urls.http, 'theirs.example.com', '/')).status).toBe(404);
  });

  test('each table the cluster pushes is served: a new Ingress, Service and slice route at once', async () => {
    api.apply(service('shop', 'shop', shop.port));
    api.apply(endpointSlice('shop', shop.port));
    api.apply({
      ...ingress('shop', { host: 'secure.example.com', paths: [{ path: '/', service: 'shop' }], ingressClassName: 'switchyard' }),
      spec: { ...ingress('shop', { host: 'secure.example.com', paths: [{ path: '/', service: 'shop' }], ingressClassName: 'switchyard' }).spec, tls: [{ hosts: ['secure.example.com'], secretName: 'shop-tls' }] },
    });
    await eventually('the new route', async () => (await httpsGet(urls.https!, 'secure.example.com', '/', ca.certPem).catch(() => ({ status: 0, body: '' }))).status === 200, ACROSS_PROCESSES);
    expect(await servedNames(urls.https!, 'secure.example.com', ca.certPem)).toEqual(['secure.example.com']);
    // Plain HTTP for a TLS host is sent to HTTPS.
    const plain = await get(urls.http, 'secure.example.com', '/x');
    expect(plain.status).toBe(308);
  });

  test('a Secret that changes is served to new handshakes', async () => {
    api.apply(secret('shop-tls', await ca.issue({ hosts: ['secure.example.com', 'www.secure.example.com'] })));
    await eventually('the new certificate', async () => (await servedNames(urls.https!, 'secure.example.com', ca.certPem)).includes('www.secure.example.com'), ACROSS_PROCESSES);
  });

  test('SIGTERM drains and exits 0', async () => {
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
