import { eventually, KubeApiServer, startUpstream, type KubeObject, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliProcess } from './helpers/cli-process.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';
import { endpointSlice, ingress, service, tempDir } from './helpers/manifests.js';
import { conditionOf, CONTROLLER, GATEWAY_PORT, ourRouteConditions, spawnReplica, V1, type Condition } from './helpers/status-replicas.js';

// A cluster without the Gateway API CRDs when `serve --kubernetes --lease` starts, which get
// installed later. The CLI has no flag for GatewayApiSource's CRD check interval, so the
// gateway notices the install at its default interval (5 s): the slowest case here.

/** GatewayApiSource's default CRD check interval (not settable from the CLI). */
const CRD_CHECK_INTERVAL_MS = 5_000;
const CROSS_PROCESS_WAIT_MS = 15_000;

let dir: Awaited<ReturnType<typeof tempDir>>;
let api: KubeApiServer;
let web: Upstream;
let replica: { cli: CliProcess; adminUrl: string };
const processes: CliProcess[] = [];

beforeAll(async () => {
  dir = await tempDir();
  web = await startUpstream('web');
  api = new KubeApiServer({ bookmarkIntervalMs: 200, gatewayApi: false });
  await api.start();
  api.apply(ingress('web', { host: 'web.example.com', paths: [{ path: '/', service: 'web' }] }));
  api.apply(service('web', 'shop', web.port));
  api.apply(endpointSlice('web', web.port));
}, 30_000);

afterAll(async () => {
  await Promise.all(processes.map((cli) => cli.stop('SIGKILL')));
  await api?.close().catch(() => undefined);
  await web?.close();
  await dir?.remove();
});

describe('serve --kubernetes --lease when the Gateway API CRDs are not installed at start', () => {
  test('starts, serves the Ingresses, and says SWY_KUBE_GATEWAY_API_NOT_INSTALLED once', async () => {
    // No Gateway yet: the replica listens on no Gateway port, so startReplica's wait does not fit.
    const { cli } = await spawnReplica(api, dir.path, 'replica-a', processes);
    const urls = await cli.urls();
    await cli.waitFor('stderr', /^switchyard: synced with /m, 30_000);
    expect((await get(urls.http, 'web.example.com', '/')).json).toMatchObject({ name: 'web' });
    await cli.waitFor('stderr', /SWY_KUBE_GATEWAY_API_NOT_INSTALLED/);
    await cli.waitFor('stderr', /leading Lease/, CROSS_PROCESS_WAIT_MS);
    replica = { cli, adminUrl: urls.admin! };
  }, 40_000);

  test('after installGatewayApi(), a new Gateway port is said to need a restart and is not listened on; its status is written', async () => {
    api.installGatewayApi();
    api.apply({ apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: CONTROLLER } } as KubeObject);
    api.apply({ apiVersion: V1, kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' }, spec: { gatewayClassName: 'switchyard', listeners: [{ name: 'http', port: GATEWAY_PORT, protocol: 'HTTP' }] } } as KubeObject);
    api.apply({ apiVersion: V1, kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['web.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } } as KubeObject);
    const waitMs = CRD_CHECK_INTERVAL_MS + CROSS_PROCESS_WAIT_MS;
    await replica.cli.waitFor('stderr', new RegExp(`Gateway listener ports changed: port ${GATEWAY_PORT} added \\(not listened on\\).*\\[SWY_CLI_GATEWAY_PORTS_CHANGED\\]`), waitMs);
    expect(replica.cli.stderr).not.toMatch(/serving Gateway listener port/);
    const readyz = (await (await fetch(`${replica.adminUrl}/readyz`)).json()) as { status: { gatewayApi: { gatewayApi: string }; gateway: { ports: unknown[]; restartNeeded: { code: string; added: number[] } } } };
    expect(readyz.status.gatewayApi.gatewayApi).toBe('installed');
    expect(readyz.status.gateway).toMatchObject({ ports: [], restartNeeded: { code: 'SWY_CLI_GATEWAY_PORTS_CHANGED', added: [GATEWAY_PORT] } });
    // Status is still written for the Gateway and its route.
    await eventually('GatewayClass Accepted', () => conditionOf((api.get('GatewayClass/switchyard') as { status?: { conditions?: Condition[] } }).status?.conditions, 'Accepted')?.status === 'True', ACROSS_PROCESSES);
    await eventually('Gateway Accepted', () => conditionOf((api.get('Gateway/shop/gw') as { status?: { conditions?: Condition[] } }).status?.conditions, 'Accepted')?.status === 'True', ACROSS_PROCESSES);
    await eventually('HTTPRoute Accepted', () => ourRouteConditions(api, 'web')['Accepted'] === 'True/Accepted', ACROSS_PROCESSES);
    // Not listened on until a restart: neither the listener nor the Gateway is Programmed, and the status says why.
    const gatewayStatus = () => api.get('Gateway/shop/gw') as { status?: { conditions?: Condition[]; listeners?: Array<{ conditions?: Condition[] }> } };
    await eventually('Gateway not Programmed', () => conditionOf(gatewayStatus().status?.conditions, 'Programmed')?.status === 'False', ACROSS_PROCESSES);
    expect(conditionOf(gatewayStatus().status?.conditions, 'Programmed')).toMatchObject({ reason: 'Pending' });
    expect(conditionOf(gatewayStatus().status?.listeners?.[0]?.conditions, 'Programmed')).toMatchObject({ status: 'False', reason: 'Pending', message: expect.stringContaining('restart') });
    // Said once: not again at the later CRD checks, nor after the install.
    expect(replica.cli.stderr.match(/SWY_KUBE_GATEWAY_API_NOT_INSTALLED/g)).toHaveLength(1);
  }, 40_000);
});
