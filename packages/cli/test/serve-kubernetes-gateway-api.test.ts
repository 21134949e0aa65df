import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, KubeApiServer, startUpstream, type KubeObject, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { endpointSlice, service, tempDir } from './helpers/manifests.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';

const V1 = 'gateway.networking.k8s.io/v1';
const gatewayClass = (name: string, controllerName: string): KubeObject => ({ apiVersion: V1, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } }) as KubeObject;
const gateway = (name: string, className: string, port: number): KubeObject =>
  ({ apiVersion: V1, kind: 'Gateway', metadata: { name, namespace: 'shop' }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port, protocol: 'HTTP' }] } }) as KubeObject;
const httpRoute = (name: string, parent: string, host: string, backend: string): KubeObject =>
  ({ apiVersion: V1, kind: 'HTTPRoute', metadata: { name, namespace: 'shop' }, spec: { parentRefs: [{ name: parent }], hostnames: [host], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] } }) as KubeObject;

describe('switchyard serve --kubernetes: the Gateway API from the cluster', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let api: KubeApiServer;
  let web: Upstream;
  let other: Upstream;
  let cli: CliProcess;
  let gatewayUrl: string;

  beforeAll(async () => {
    dir = await tempDir();
    web = await startUpstream('web');
    other = await startUpstream('other');
    api = new KubeApiServer({ bookmarkIntervalMs: 200 });
    await api.start();
    api.apply(gatewayClass('switchyard', 'switchyard.dev/gateway-controller'));
    api.apply(gatewayClass('theirs', 'example.net/gateway-controller'));
    api.apply(gateway('gw', 'switchyard', 18080));
    api.apply(gateway('their-gw', 'theirs', 18081));
    api.apply(httpRoute('web', 'gw', 'web.example.com', 'web'));
    api.apply(service('web', 'shop', web.port));
    api.apply(endpointSlice('web', web.port));
    api.apply(service('other', 'shop', other.port));
    api.apply(endpointSlice('other', other.port));
    const kubeconfig = join(dir.path, 'kubeconfig.yaml');
    await writeFile(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: "${api.address.url}", insecure-skip-tls-verify: true}}]\ncontexts: [{name: f, context: {cluster: f, user: u}}]\nusers: [{name: u, user: {}}]\ncurrent-context: f\n`);
    cli = startCli(['serve', '--kubernetes', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--bind', '18080=127.0.0.1:0']);
    await cli.urls();
    const line = await cli.waitFor('stderr', /^switchyard: serving Gateway listener port 18080 at (http:\/\/127\.0\.0\.1:\d+)$/m, 30_000);
    gatewayUrl = line[1]!;
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await api?.close().catch(() => undefined);
    await Promise.all([web?.close(), other?.close()]);
    await dir?.remove();
  });

  test('serves the HTTPRoutes of Gateways of its controller\'s classes on the bound port, and not another controller\'s Gateway', async () => {
    expect((await get(gatewayUrl, 'web.example.com', '/hello')).json).toMatchObject({ name: 'web', path: '/hello' });
    expect(cli.stderr).not.toMatch(/port 18081/);
  });

  test('follows an HTTPRoute change from the watch', async () => {
    api.apply(httpRoute('web', 'gw', 'web.example.com', 'other'));
    await eventually('the route moved to other', async () => (await get(gatewayUrl, 'web.example.com', '/')).json?.name === 'other', ACROSS_PROCESSES);
  });
});
