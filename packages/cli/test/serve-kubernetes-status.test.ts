import { eventually, KubeApiServer, startUpstream, type KubeObject, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliProcess } from './helpers/cli-process.js';
import { endpointSlice, service, tempDir } from './helpers/manifests.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';
import {
  applyKeepingStatus,
  conditionOf,
  CONTROLLER,
  FAILOVER_BOUND_MS,
  GATEWAY_PORT,
  LEASE,
  LONGEST_RETRY_MS,
  leadingLines,
  ourRouteConditions,
  routeParents,
  startReplica,
  statusWrites,
  V1,
  waitForLeading,
  writeBackState,
  writesTo,
  type Condition,
  type Replica,
} from './helpers/status-replicas.js';

// Two `switchyard serve --kubernetes --lease` replicas against one API-server fixture, end to end
// (issue 14, "How it is checked"). The replicas live across the describes, in order: both serve,
// status appears, one writer, no write storm, the API server away and back, then the leader killed
// and a graceful handover. Each replica has its own kubeconfig user, so the fixture's request log
// says which one wrote.

const THEIR_CONTROLLER = 'example.net/gateway-controller';
/**
 * A status change reaches the API server after the watch event, the source's compile debounce and
 * the publisher's debounce (100 ms each by default) and a PUT: well under this on a loaded CI box.
 */
const PUBLISH_ALLOWANCE_MS = 1_000;
/** After the last change both replicas have seen, how long nothing must be written: several debounces. */
const QUIET_MS = 800;

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) as KubeObject;
const gatewayClass = (name: string, controllerName: string): KubeObject => ({ apiVersion: V1, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } }) as KubeObject;
const gateway = (name: string, className: string, port: number, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: V1, kind: 'Gateway', metadata: { name, namespace: 'shop' }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port, protocol: 'HTTP', hostname: '*.example.com', ...extra }] } }) as KubeObject;
const httpRoute = (name: string, hosts: readonly string[], backend: { name: string; namespace?: string }, parents: readonly string[] = ['gw'], status?: unknown): KubeObject =>
  ({
    apiVersion: V1,
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'shop' },
    spec: { parentRefs: parents.map((parent) => ({ name: parent })), hostnames: hosts, rules: [{ backendRefs: [{ ...backend, port: 80 }] }] },
    ...(status === undefined ? {} : { status }),
  }) as KubeObject;
/** Lets HTTPRoutes of `shop` reference the Services of `store`. */
const referenceGrant: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: 'shop-routes', namespace: 'store' },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
} as KubeObject;
/** A parent entry of another controller, on a route attached to both its Gateway and ours. */
const theirParentEntry = {
  parentRef: { name: 'their-gw' },
  controllerName: THEIR_CONTROLLER,
  conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z' }],
};

let dir: Awaited<ReturnType<typeof tempDir>>;
let api: KubeApiServer;
let web: Upstream;
let webMoved: Upstream;
let other: Upstream;
let stock: Upstream;
let a: Replica;
let b: Replica;
let replicas: Replica[];
/** Every process started, for afterAll. */
const processes: CliProcess[] = [];
let leader: Replica;
let follower: Replica;

/** The replica that says it leads now (the other says it does not). */
async function currentLeader(): Promise<{ leader: Replica; follower: Replica }> {
  let found: { leader: Replica; follower: Replica } | undefined;
  await eventually(
    'one replica to lead',
    async () => {
      const [stateA, stateB] = await Promise.all([writeBackState(a), writeBackState(b)]);
      found = stateA.leading && !stateB.leading ? { leader: a, follower: b } : stateB.leading && !stateA.leading ? { leader: b, follower: a } : undefined;
      return found !== undefined;
    },
    ACROSS_PROCESSES,
  );
  return found!;
}

/** Waits until the status writes stop: none for QUIET_MS. */
async function settled(): Promise<void> {
  await eventually('status writes to settle', () => statusWrites(api, Date.now() - QUIET_MS).length === 0 && statusWrites(api).length > 0, ACROSS_PROCESSES);
}

beforeAll(async () => {
  dir = await tempDir();
  [web, webMoved, other, stock] = await Promise.all([startUpstream('web'), startUpstream('web-moved'), startUpstream('other'), startUpstream('stock')]);
  api = new KubeApiServer({ bookmarkIntervalMs: 200 });
  await api.start();
  for (const object of [
    namespace('shop'),
    namespace('store'),
    gatewayClass('switchyard', CONTROLLER),
    gatewayClass('theirs', THEIR_CONTROLLER),
    gateway('gw', 'switchyard', GATEWAY_PORT),
    gateway('their-gw', 'theirs', GATEWAY_PORT + 1),
    httpRoute('web', ['web.example.com'], { name: 'web' }),
    httpRoute('missing', ['missing.example.com'], { name: 'no-such-service' }),
    httpRoute('cross', ['cross.example.com'], { name: 'stock', namespace: 'store' }),
    httpRoute('stray', ['web.example.org'], { name: 'web' }),
    httpRoute('shared', ['shared.example.com'], { name: 'other' }, ['gw', 'their-gw'], { parents: [theirParentEntry] }),
    service('web', 'shop', web.port),
    endpointSlice('web', web.port),
    service('other', 'shop', other.port),
    endpointSlice('other', other.port),
    service('stock', 'store', stock.port),
    endpointSlice('stock', stock.port, ['127.0.0.1'], 'store'),
  ]) {
    api.apply(object);
  }
  [a, b] = await Promise.all([startReplica(api, dir.path, 'replica-a', processes), startReplica(api, dir.path, 'replica-b', processes)]);
  replicas = [a, b];
  ({ leader, follower } = await currentLeader());
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((cli) => cli.stop('SIGKILL')));
  await api?.close().catch(() => undefined);
  await Promise.all([web?.close(), webMoved?.close(), other?.close(), stock?.close()]);
  await dir?.remove();
});

describe('both replicas serve the Gateway API from their own watch', () => {
  test('a request to each replica\'s Gateway port reaches the route\'s upstream', async () => {
    for (const replica of replicas) {
      expect((await get(replica.gatewayUrl, 'web.example.com', '/hello')).json).toMatchObject({ name: 'web', path: '/hello' });
      expect((await get(replica.gatewayUrl, 'shared.example.com', '/')).json).toMatchObject({ name: 'other' });
    }
  });

  test('both follow an HTTPRoute change, and back', async () => {
    applyKeepingStatus(api, 'HTTPRoute/shop/web', httpRoute('web', ['web.example.com'], { name: 'other' }));
    for (const replica of replicas) {
      await eventually(`${replica.identity} to route web.example.com to other`, async () => (await get(replica.gatewayUrl, 'web.example.com', '/')).json?.name === 'other', ACROSS_PROCESSES);
    }
    applyKeepingStatus(api, 'HTTPRoute/shop/web', httpRoute('web', ['web.example.com'], { name: 'web' }));
    for (const replica of replicas) {
      await eventually(`${replica.identity} to route web.example.com to web again`, async () => (await get(replica.gatewayUrl, 'web.example.com', '/')).json?.name === 'web', ACROSS_PROCESSES);
    }
  });

  test('both follow an EndpointSlice change to a new endpoint port, and back', async () => {
    api.apply(endpointSlice('web', webMoved.port));
    for (const replica of replicas) {
      await eventually(`${replica.identity} to send web to the new port`, async () => (await get(replica.gatewayUrl, 'web.example.com', '/')).json?.name === 'web-moved', ACROSS_PROCESSES);
    }
    api.apply(endpointSlice('web', web.port));
    for (const replica of replicas) {
      await eventually(`${replica.identity} to send web to the first port again`, async () => (await get(replica.gatewayUrl, 'web.example.com', '/')).json?.name === 'web', ACROSS_PROCESSES);
    }
  });
});

describe('status appears through the status subresource', () => {
  test('GatewayClass Accepted; Gateway Accepted and Programmed with listener conditions, attachedRoutes and supportedKinds at its generation', async () => {
    await eventually('GatewayClass switchyard Accepted', () => conditionOf((api.get('GatewayClass/switchyard') as { status?: { conditions?: Condition[] } })?.status?.conditions, 'Accepted')?.status === 'True', ACROSS_PROCESSES);
    expect((api.get('GatewayClass/theirs') as { status?: unknown }).status).toBeUndefined();
    // web, missing, cross and shared attach (unresolved backends still attach); stray's hostname matches no listener.
    await eventually('Gateway gw Programmed with 4 routes', () => gatewayStatus()?.listeners?.[0]?.attachedRoutes === 4, ACROSS_PROCESSES);
    const stored = api.get('Gateway/shop/gw') as unknown as { metadata: { generation: number }; status: GatewayStatus };
    for (const type of ['Accepted', 'Programmed']) {
      expect(conditionOf(stored.status.conditions, type)).toMatchObject({ status: 'True', observedGeneration: stored.metadata.generation });
    }
    const listener = stored.status.listeners![0]!;
    expect(listener.name).toBe('http');
    expect(Object.fromEntries(listener.conditions.map((c) => [c.type, c.status]))).toMatchObject({ Accepted: 'True', Programmed: 'True', ResolvedRefs: 'True', Conflicted: 'False' });
    expect(listener.supportedKinds).toContainEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' });
    expect((api.get('Gateway/shop/their-gw') as { status?: unknown }).status).toBeUndefined();
  });

  test('a spec change moves observedGeneration to the new generation', async () => {
    // Same meaning (Same is the default), another spec: the generation moves, the routes do not.
    const stored = applyKeepingStatus(api, 'Gateway/shop/gw', gateway('gw', 'switchyard', GATEWAY_PORT, { allowedRoutes: { namespaces: { from: 'Same' } } }));
    expect(stored.metadata.generation).toBe(2);
    await eventually('observedGeneration 2', () => gatewayStatus()?.conditions?.every((c) => c.observedGeneration === 2) === true, ACROSS_PROCESSES);
    expect(gatewayStatus()?.listeners?.[0]?.attachedRoutes).toBe(4);
  });

  test('HTTPRoute parents: our controllerName, Accepted and ResolvedRefs, and the reason of each invalid route', async () => {
    await eventually('every route to have our parent entry', () => ['web', 'missing', 'cross', 'stray', 'shared'].every((name) => ourRouteConditions(api, name)['Accepted'] !== undefined), ACROSS_PROCESSES);
    expect(ourRouteConditions(api, 'web')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
    expect(ourRouteConditions(api, 'missing')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'False/BackendNotFound' });
    expect(ourRouteConditions(api, 'cross')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' });
    expect(ourRouteConditions(api, 'stray')).toMatchObject({ Accepted: 'False/NoMatchingListenerHostname' });
    const web = routeParents(api, 'web');
    expect(web).toHaveLength(1);
    expect(web[0]).toMatchObject({ parentRef: { name: 'gw' }, controllerName: CONTROLLER });
  });

  test('a parent entry of another controller stays as it was', () => {
    const parents = routeParents(api, 'shared');
    expect(parents).toHaveLength(2);
    expect(parents.find((p) => p.controllerName === THEIR_CONTROLLER)).toEqual(theirParentEntry);
    expect(parents.find((p) => p.controllerName === CONTROLLER)).toMatchObject({ parentRef: { name: 'gw' } });
  });

  test('a ReferenceGrant turns the cross-namespace backend ResolvedRefs=True, and both replicas route it', async () => {
    api.apply(referenceGrant);
    await eventually('cross ResolvedRefs True', () => ourRouteConditions(api, 'cross')['ResolvedRefs'] === 'True/ResolvedRefs', ACROSS_PROCESSES);
    for (const replica of replicas) {
      await eventually(`${replica.identity} to route cross.example.com to stock`, async () => (await get(replica.gatewayUrl, 'cross.example.com', '/')).json?.name === 'stock', ACROSS_PROCESSES);
    }
  });
});

describe('GRPCRoutes from the cluster', () => {
  test('a GRPCRoute gets its parent entry through grpcroutes/status: Accepted, and ResolvedRefs=False/BackendNotFound for a missing Service', async () => {
    const grpcRoute = (name: string, backend: string): KubeObject =>
      ({
        apiVersion: V1,
        kind: 'GRPCRoute',
        metadata: { name, namespace: 'shop' },
        spec: { parentRefs: [{ name: 'gw' }], hostnames: [`${name}.example.com`], rules: [{ matches: [{ method: { service: 'pkg.Greeter' } }], backendRefs: [{ name: backend, port: 80 }] }] },
      }) as KubeObject;
    api.apply(grpcRoute('greeter', 'web'));
    api.apply(grpcRoute('lost', 'no-such-service'));
    const conditions = (name: string) => {
      const parents = ((api.get(`GRPCRoute/shop/${name}`) as { status?: { parents?: Array<{ controllerName?: string; conditions?: Condition[] }> } }).status?.parents ?? []).filter((p) => p.controllerName === CONTROLLER);
      return Object.fromEntries((parents[0]?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
    };
    await eventually('greeter Accepted', () => conditions('greeter')['Accepted'] === 'True/Accepted', ACROSS_PROCESSES);
    expect(conditions('greeter')['ResolvedRefs']).toBe('True/ResolvedRefs');
    await eventually('lost BackendNotFound', () => conditions('lost')['ResolvedRefs'] === 'False/BackendNotFound', ACROSS_PROCESSES);
    expect(writesTo(api, '/grpcroutes/greeter/status').every((w) => w.bearerToken === leader.token)).toBe(true);
    api.remove('GRPCRoute/shop/greeter');
    api.remove('GRPCRoute/shop/lost');
  });
});

describe('one writer among the replicas', () => {
  test('every status write so far came from the leader', async () => {
    await settled();
    expect(new Set(statusWrites(api).map((w) => w.bearerToken))).toEqual(new Set([leader.token]));
  });

  test('/readyz: the follower does not lead and names the leader; the leader counts its writes and conflicts', async () => {
    expect(await writeBackState(follower)).toMatchObject({ identity: follower.identity, leading: false, leader: leader.identity, writes: 0, conflicts: 0 });
    const written = statusWrites(api).filter((w) => w.status === 200).length;
    const conflicts = statusWrites(api).filter((w) => w.status === 409).length;
    expect(await writeBackState(leader)).toMatchObject({ identity: leader.identity, leading: true, leader: leader.identity, writes: written, conflicts });
    expect(follower.cli.stderr).not.toMatch(/leading Lease/);
  });
});

describe('no status write storms', () => {
  test('100 EndpointSlice changes write no status, from either replica, while the routes keep working', async () => {
    await settled();
    const since = Date.now();
    for (let change = 1; change <= 100; change++) {
      // Alternate the endpoint's port, and every tenth change add a second (unreachable) address.
      const port = change % 2 === 0 ? web.port : webMoved.port;
      api.apply(endpointSlice('web', port, change % 10 === 0 ? ['127.0.0.1', '127.0.0.2'] : ['127.0.0.1']));
      if (change % 20 === 0) {
        for (const replica of replicas) expect((await get(replica.gatewayUrl, 'cross.example.com', '/')).status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // The last change (port of web, one address) seen by both, then quiet: no write came of any of it.
    for (const replica of replicas) {
      await eventually(`${replica.identity} to see the last slice`, async () => (await get(replica.gatewayUrl, 'web.example.com', '/')).json?.name === 'web', ACROSS_PROCESSES);
    }
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(statusWrites(api, since)).toEqual([]);
  });

  test('an HTTPRoute event that changes no spec (an annotation) writes no status', async () => {
    const since = Date.now();
    const stored = api.get('HTTPRoute/shop/web') as KubeObject;
    const touched = api.apply({ ...stored, metadata: { ...stored.metadata, annotations: { touched: 'yes' } } });
    expect(touched.metadata.resourceVersion).not.toBe(stored.metadata.resourceVersion);
    // The event reaches both watches in milliseconds; a write would follow within two debounces.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(statusWrites(api, since)).toEqual([]);
  });
});

describe('the API server going away and coming back', () => {
  test('both replicas keep serving meanwhile, nothing that served changes, and status converges after', async () => {
    await settled();
    const before = await Promise.all(replicas.map(async (replica) => (await get(replica.gatewayUrl, 'web.example.com', '/a')).json));
    await api.close();
    const awayUntil = Date.now() + LEASE.renewDeadlineSeconds * 1000 + LONGEST_RETRY_MS;
    // Longer than the renew deadline: the leader loses the lease, and every replica keeps serving.
    while (Date.now() < awayUntil) {
      for (const replica of replicas) {
        expect((await get(replica.gatewayUrl, 'web.example.com', '/a')).json).toEqual(before[0]);
        expect((await get(replica.gatewayUrl, 'cross.example.com', '/')).json?.name).toBe('stock');
        expect((await get(replica.gatewayUrl, 'web.example.org', '/')).status).toBe(404);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(before[1]).toEqual(before[0]);
    const back = Date.now();
    await api.start();
    api.apply(httpRoute('after-return', ['back.example.com'], { name: 'other' }));
    await eventually('after-return Accepted', () => ourRouteConditions(api, 'after-return')['Accepted'] === 'True/Accepted', { ...ACROSS_PROCESSES, timeoutMs: 30_000 });
    for (const replica of replicas) {
      await eventually(`${replica.identity} to route back.example.com`, async () => (await get(replica.gatewayUrl, 'back.example.com', '/')).json?.name === 'other', ACROSS_PROCESSES);
    }
    await settled();
    expect(writesTo(api, '/httproutes/after-return/status', back)).toHaveLength(1);
    ({ leader, follower } = await currentLeader());
    // Since the return: the one leader wrote, nobody else.
    expect(new Set(statusWrites(api, back).map((w) => w.bearerToken))).toEqual(new Set([leader.token]));
  }, 45_000);
});

describe('failover', () => {
  test('SIGKILL of the leader: the other leads and writes a change made after the kill within two lease durations; no write by both', async () => {
    await settled();
    const leadsBefore = leadingLines(follower);
    const killedAt = Date.now();
    await leader.cli.stop('SIGKILL');
    api.apply(httpRoute('after-kill', ['kill.example.com'], { name: 'other' }));
    const leadingAt = await waitForLeading(follower, leadsBefore, FAILOVER_BOUND_MS * 2);
    await eventually('after-kill written', () => writesTo(api, '/httproutes/after-kill/status', killedAt).length > 0, ACROSS_PROCESSES);
    const writtenAt = writesTo(api, '/httproutes/after-kill/status', killedAt)[0]!.time;
    console.log(
      `failover (lease ${LEASE.durationSeconds}s, renew deadline ${LEASE.renewDeadlineSeconds}s, retry ${LEASE.retryPeriodSeconds}s): ` +
        `${follower.identity} led ${leadingAt - killedAt} ms after SIGKILL of ${leader.identity}, wrote the new route's status after ${writtenAt - killedAt} ms (bound ${FAILOVER_BOUND_MS} ms)`,
    );
    expect(leadingAt - killedAt).toBeLessThanOrEqual(FAILOVER_BOUND_MS);
    expect(writtenAt - killedAt).toBeLessThanOrEqual(FAILOVER_BOUND_MS + PUBLISH_ALLOWANCE_MS);
    await settled();
    const after = statusWrites(api, killedAt);
    expect(after.filter((w) => w.bearerToken === leader.token)).toEqual([]);
    expect(new Set(after.map((w) => w.bearerToken))).toEqual(new Set([follower.token]));
    // Each object written once: the new route, and the Gateway for its attachedRoutes.
    const paths = after.filter((w) => w.status === 200).map((w) => w.path);
    expect(paths).toEqual([...new Set(paths)]);
    expect(ourRouteConditions(api, 'after-kill')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
    expect((await get(follower.gatewayUrl, 'kill.example.com', '/')).json?.name).toBe('other');
  }, 30_000);

  test('SIGTERM of the leader releases the Lease: a new replica takes over within a retry period or so, well before the lease duration', async () => {
    const killed = leader;
    leader = follower;
    const newcomer = await startReplica(api, dir.path, 'replica-c', processes);
    await eventually('replica-c to see the leader', async () => (await writeBackState(newcomer)).leader === leader.identity, ACROSS_PROCESSES);
    const stoppedAt = Date.now();
    const stopped = leader.cli.stop('SIGTERM');
    const leadingAt = await waitForLeading(newcomer, 0, LEASE.durationSeconds * 1000 * 2);
    await stopped;
    console.log(`graceful handover: ${newcomer.identity} led ${leadingAt - stoppedAt} ms after SIGTERM of ${leader.identity} (lease duration ${LEASE.durationSeconds * 1000} ms)`);
    expect(leadingAt - stoppedAt).toBeLessThan(LEASE.durationSeconds * 1000);
    expect(leader.cli.stderr).toMatch(/no longer leading Lease/);
    // The Lease was released by the stopping leader, then taken by the newcomer.
    const leaseWrites = api.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/leases/switchyard-status') && r.time >= stoppedAt && r.status === 200);
    expect(leaseWrites.map((w) => w.bearerToken)).toContain(leader.token);
    expect((api.get('Lease/shop/switchyard-status') as unknown as { spec: { holderIdentity: string } }).spec.holderIdentity).toBe(newcomer.identity);
  }, 30_000);
});

interface GatewayStatus {
  conditions?: Condition[];
  listeners?: Array<{ name: string; attachedRoutes: number; supportedKinds: unknown[]; conditions: Condition[] }>;
}

function gatewayStatus(): GatewayStatus | undefined {
  return (api.get('Gateway/shop/gw') as { status?: GatewayStatus } | undefined)?.status;
}
