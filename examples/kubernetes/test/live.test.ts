import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createTestCa, eventually, KubeApiServer, type KubeObject as FixtureObject, type TestCa, tlsSecret } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// Not public API: the controller name the GatewayClass must carry.
import { DEFAULT_CONTROLLER_NAME } from '../../../packages/cli/src/kubernetes-source.js';
import type { Deployment, Service } from './helpers/kube-types.js';
import { writeKubeconfig, type TempKubeconfig } from './helpers/kubeconfig.js';
import { DEMO_DIR, containerArgs, flagValue, loadExample, loadManifestDir, replaceFlagValues, theObject } from './helpers/manifests.js';
import { allows, resourceAttributes } from './helpers/rbac.js';
import { RouterProcess, type ServingUrls } from './helpers/router-process.js';
import { resourcesReadBySources } from './helpers/source-reads.js';

// The Deployment's command line, run for real: the KubeApiServer fixture holds the example's
// Namespace, IngressClass, GatewayClass and Gateway Service, the demo's Service, Ingress,
// Gateway and HTTPRoute, plus the EndpointSlice the cluster would make, pointing at a real
// HTTP server. The CLI gets exactly the container's args, with the addresses moved to loopback
// port 0 and a kubeconfig for the fixture in place of the in-cluster config, and POD_NAME as
// the downward API would set it.

const example = loadExample();
const demo = loadManifestDir(DEMO_DIR).map((e) => e.object);
const demoService = theObject<Service>(demo, 'Service', 'echo');
const demoIngress = theObject(demo, 'Ingress', 'echo');
const demoGateway = theObject(demo, 'Gateway');
const demoRoute = theObject(demo, 'HTTPRoute');
const DEMO_HOST = (demoIngress as { spec: { rules: Array<{ host: string }> } }).spec.rules[0]!.host;
const ROUTE_HOST = (demoRoute as { spec: { hostnames: string[] } }).spec.hostnames[0]!;
const NAMESPACE = demoService.metadata!.namespace!;
const TLS_HOST = 'secure.switchyard.example';
const POD_NAME = 'switchyard-6d4b9c7f8-x2k9q';
const deployment = theObject<Deployment>(example, 'Deployment', 'switchyard');
const serviceAccount = { namespace: deployment.metadata!.namespace!, name: deployment.spec.template.spec.serviceAccountName! };
const [LEASE_NAMESPACE, LEASE_NAME] = flagValue(containerArgs(example), '--lease')!.split('/') as [string, string];
const [GATEWAY_SERVICE_NAMESPACE, GATEWAY_SERVICE_NAME] = flagValue(containerArgs(example), '--publish-service')!.split('/') as [string, string];
// What the cloud would write into the Gateway Service's status once its load balancer is up.
const LOAD_BALANCER_HOSTNAME = 'lb-0123.switchyard.example';

let upstream: Server;
let fixture: KubeApiServer;
let kubeconfig: TempKubeconfig;
let router: RouterProcess;
let urls: ServingUrls;
/** The demo Gateway's listener port 80, where the router listens for it. */
let gatewayUrl: string;
let ca: TestCa;

/** The EndpointSlice the EndpointSlice controller would write for the demo Service, at `port`. */
function endpointSliceFor(service: Service, port: number): FixtureObject {
  const servicePort = service.spec.ports![0]!;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service.metadata!.name}-x7k2p`, namespace: service.metadata!.namespace!, labels: { 'kubernetes.io/service-name': service.metadata!.name! } },
    addressType: 'IPv4',
    // The slice carries the Service port's name and the pods' port: the demo's targetPort is the named port "http".
    ports: [{ name: servicePort.name, port, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true, serving: true, terminating: false } }],
  } as FixtureObject;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function get(url: string, host: string, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

function getTls(url: string, servername: string, path = '/'): Promise<Answer & { readonly subjectAltName: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, url), { servername, ca: ca.certPem, headers: { host: servername } }, (res) => {
      const subjectAltName = (res.socket as TLSSocket).getPeerCertificate().subjectaltname;
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, subjectAltName }));
    });
    req.on('error', reject).end();
  });
}

/** Polls /readyz until it answers 200: readiness is a state to reach, not an event the process prints. */
async function untilReady(admin: string): Promise<Answer> {
  let answer: Answer | undefined;
  await eventually('the router to be ready', async () => (answer = await get(admin, 'admin', '/readyz')).status === 200, { timeoutMs: 25_000, intervalMs: 50 });
  return answer!;
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ app: 'echo', host: req.headers.host, path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;

  ca = await createTestCa();
  fixture = new KubeApiServer();
  await fixture.start();
  // The Lease is created in the Deployment's namespace: it exists, as `kubectl apply -f manifests/` makes it.
  fixture.apply(theObject(example, 'Namespace', LEASE_NAMESPACE) as FixtureObject);
  fixture.apply(theObject(example, 'IngressClass', 'switchyard') as FixtureObject);
  fixture.apply(theObject(example, 'GatewayClass') as FixtureObject);
  const gatewayService = theObject<Service>(example, 'Service', GATEWAY_SERVICE_NAME);
  fixture.apply({ ...gatewayService, status: { loadBalancer: { ingress: [{ hostname: LOAD_BALANCER_HOSTNAME }] } } } as FixtureObject);
  fixture.apply(demoGateway as FixtureObject);
  fixture.apply(demoRoute as FixtureObject);
  fixture.apply(demoService as FixtureObject);
  fixture.apply(demoIngress as FixtureObject);
  fixture.apply(endpointSliceFor(demoService, upstreamPort));
  // A second Ingress with spec.tls, so the 443 side of the Service has a certificate to serve.
  fixture.apply(tlsSecret('secure-tls', NAMESPACE, await ca.issue({ hosts: [TLS_HOST] })) as unknown as FixtureObject);
  fixture.apply({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'secure', namespace: NAMESPACE },
    spec: {
      ingressClassName: 'switchyard',
      tls: [{ hosts: [TLS_HOST], secretName: 'secure-tls' }],
      rules: [{ host: TLS_HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'echo', port: { number: 80 } } } }] } }],
    },
  } as FixtureObject);

  kubeconfig = writeKubeconfig(fixture.address.url);
  const args = [
    ...replaceFlagValues(containerArgs(), { '--listen': '127.0.0.1:0', '--tls-listen': '127.0.0.1:0', '--admin': '127.0.0.1:0', '--bind': '80=127.0.0.1:0' }),
    '--kubeconfig',
    kubeconfig.path,
  ];
  router = new RouterProcess(args, { POD_NAME });
  urls = await router.urls();
  await untilReady(urls.admin!);
  await eventually('the Gateway listener port to be served', () => router.gatewayUrls().has(80), { timeoutMs: 25_000, intervalMs: 50 });
  gatewayUrl = router.gatewayUrls().get(80)!;
}, 60_000);

afterAll(async () => {
  await router?.stop('SIGKILL');
  await fixture?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  kubeconfig?.remove();
});

describe('switchyard serve with the Deployment’s args, against the fixture', () => {
  test('listens on http, https, the demo Gateway port 80 (through its --bind) and admin, as the container ports say', () => {
    expect(urls.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.https).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect([...router.gatewayUrls().keys()]).toEqual([80]);
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('is alive on /healthz', async () => {
    expect((await get(urls.admin!, 'admin', '/healthz')).status).toBe(200);
  });

  test('routes the demo Ingress host through the Service and its EndpointSlice to the upstream', async () => {
    const answer = await get(urls.http, DEMO_HOST, '/some/page?x=1');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ app: 'echo', host: DEMO_HOST, path: '/some/page?x=1' });
  });

  test('answers a host no Ingress names with its own 404, not the upstream', async () => {
    const answer = await get(urls.http, 'nobody.switchyard.example');
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('"app":"echo"');
  });

  test('serves the TLS host on the https port with the certificate from its Secret', async () => {
    const answer = await getTls(urls.https!, TLS_HOST, '/tls');
    expect(answer.status).toBe(200);
    expect(answer.subjectAltName).toBe(`DNS:${TLS_HOST}`);
    expect(JSON.parse(answer.body)).toMatchObject({ app: 'echo', path: '/tls' });
  });

  test('redirects plain HTTP for the TLS host to https, same host and path', async () => {
    const answer = await get(urls.http, TLS_HOST, '/login?next=1');
    expect(answer.status).toBe(308);
    const location = new URL(answer.headers.location!);
    expect([location.protocol, location.hostname, location.pathname, location.search]).toEqual(['https:', TLS_HOST, '/login', '?next=1']);
  });

  // Behind the Service (443 → 8443) the redirect names the port clients reach, 443 (so none),
  // not the one the pod listens on: the Deployment passes --public-https-port 443.
  test('redirects to the https port the load balancer exposes, not the pod’s', async () => {
    const answer = await get(urls.http, TLS_HOST, '/login');
    expect(answer.status).toBe(308);
    expect(new URL(answer.headers.location!).port).toBe('');
  });

  test('routes the demo HTTPRoute host on the Gateway listener to the same upstream, and the Ingress host is not served there', async () => {
    const answer = await get(gatewayUrl, ROUTE_HOST, '/through/the/gateway');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ app: 'echo', host: ROUTE_HOST, path: '/through/the/gateway' });
    expect((await get(gatewayUrl, DEMO_HOST)).status).toBe(404);
  });

  test('takes the Lease under its pod name (the only replica, so it leads)', async () => {
    const holder = () => (fixture.get({ kind: 'Lease', namespace: LEASE_NAMESPACE, name: LEASE_NAME }) as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;
    await eventually('the Lease to be held', () => holder() !== undefined, { timeoutMs: 25_000, intervalMs: 50 });
    expect(holder()).toBe(POD_NAME);
  });

  test('writes the status kubectl get gateway,httproute shows: class accepted, Gateway programmed at the load balancer, route accepted', async () => {
    type Conditions = Array<{ type: string; status: string }>;
    const status = (kind: string, namespace?: string) => {
      const object = kind === 'GatewayClass' ? theObject(example, kind) : theObject(demo, kind);
      return (fixture.get({ kind, name: object.metadata!.name!, ...(namespace === undefined ? {} : { namespace }) }) as { status?: Record<string, unknown> } | undefined)?.status;
    };
    const isTrue = (conditions: unknown, type: string) => (conditions as Conditions | undefined)?.find((c) => c.type === type)?.status === 'True';
    await eventually(
      'status on the GatewayClass, the Gateway and the HTTPRoute',
      () => {
        const parents = (status('HTTPRoute', NAMESPACE)?.['parents'] ?? []) as Array<{ conditions?: unknown }>;
        return isTrue(status('GatewayClass')?.['conditions'], 'Accepted') && isTrue(status('Gateway', NAMESPACE)?.['conditions'], 'Programmed') && parents.some((p) => isTrue(p.conditions, 'Accepted'));
      },
      { timeoutMs: 25_000, intervalMs: 50 },
    );
    expect(status('Gateway', NAMESPACE)?.['addresses']).toEqual([{ type: 'Hostname', value: LOAD_BALANCER_HOSTNAME }]);
    const parents = status('HTTPRoute', NAMESPACE)?.['parents'] as Array<{ controllerName: string; parentRef: { name: string }; conditions: Conditions }>;
    expect(parents).toHaveLength(1);
    expect(parents[0]).toMatchObject({ controllerName: DEFAULT_CONTROLLER_NAME, parentRef: { name: demoGateway.metadata!.name } });
    expect(isTrue(parents[0]!.conditions, 'ResolvedRefs')).toBe(true);
    // Written through the status subresource, with PUT (the verb the ClusterRole grants).
    const statusWrites = fixture.requests.filter((r) => r.path.endsWith('/status'));
    expect(statusWrites.length).toBeGreaterThanOrEqual(3);
    expect(new Set(statusWrites.map((r) => r.method))).toEqual(new Set(['PUT']));
  });

  test('/readyz says it leads the Lease and writes status', async () => {
    const body = JSON.parse((await get(urls.admin!, 'admin', '/readyz')).body) as { status: { statusWriteBack: Record<string, unknown>; gatewayApi: { gatewayApi: string } } };
    expect(body.status.statusWriteBack).toMatchObject({ lease: `${LEASE_NAMESPACE}/${LEASE_NAME}`, identity: POD_NAME, leading: true, leader: POD_NAME });
    expect(body.status.statusWriteBack['writes']).toBeGreaterThanOrEqual(3);
    expect(body.status.gatewayApi.gatewayApi).toBe('installed');
  });

  test('keeps one watch open per collection the sources read, each of which the ClusterRole grants', async () => {
    const reads = resourcesReadBySources();
    // Every collection is listed and then watched; what is watched is what RBAC must allow.
    const watched = () => new Set(fixture.requests.filter((r) => r.watch && r.endedAt === undefined).map((r) => r.path));
    const expected = new Set(reads.map((r) => r.path));
    await eventually('a watch on every collection the sources read', () => watched().size >= expected.size, { timeoutMs: 25_000, intervalMs: 50 });
    expect(watched()).toEqual(expected);
    expect(fixture.openWatches).toBe(expected.size);
  });
});

test('SIGTERM drains and exits 0', async () => {
  const ended = await router.stop('SIGTERM');
  expect(ended).toEqual({ code: 0, signal: null });
  // The example's objects gave no diagnostic (a line with a SWY_ code) at any point.
  expect(router.stderr).toMatch(/^switchyard: synced with /m);
  expect(router.stderr).not.toMatch(/SWY_/);
  // It handed the Lease over on the way out, so another replica takes over at its next try.
  const lease = fixture.get({ kind: 'Lease', namespace: LEASE_NAMESPACE, name: LEASE_NAME }) as { spec?: { holderIdentity?: string } };
  expect(lease.spec?.holderIdentity).toBe('');
});

test('every request it made, from the first list to the Lease release, is one the RBAC of the manifests allows its service account', () => {
  const requests = fixture.requests.map((r) => ({ request: `${r.method} ${r.path}${r.watch ? '?watch' : ''}`, attributes: resourceAttributes(r.method, r.path, r.watch) }));
  // It did write: the check covers more than reads.
  expect(requests.some((r) => r.attributes?.verb === 'update' && r.attributes.resource === 'leases')).toBe(true);
  const denied = requests.filter((r) => r.attributes !== undefined && !allows(example, serviceAccount, r.attributes)).map((r) => r.request);
  expect([...new Set(denied)]).toEqual([]);
});
