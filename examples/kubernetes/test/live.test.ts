import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createTestCa, eventually, KubeApiServer, type KubeObject as FixtureObject, type TestCa, tlsSecret } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Service } from './helpers/kube-types.js';
import { writeKubeconfig, type TempKubeconfig } from './helpers/kubeconfig.js';
import { DEMO_DIR, containerArgs, loadExample, loadManifestDir, replaceFlagValues, theObject } from './helpers/manifests.js';
import { RouterProcess, type ServingUrls } from './helpers/router-process.js';
import { resourcesReadBySources } from './helpers/source-reads.js';

// The Deployment's command line, run for real: the KubeApiServer fixture holds the example's
// IngressClass and the demo's Service and Ingress, plus the EndpointSlice the cluster would
// make, pointing at a real HTTP server. The CLI gets exactly the container's args, with the
// addresses moved to loopback port 0 and a kubeconfig for the fixture in place of the
// in-cluster config.

const demo = loadManifestDir(DEMO_DIR).map((e) => e.object);
const demoService = theObject<Service>(demo, 'Service', 'echo');
const demoIngress = theObject(demo, 'Ingress', 'echo');
const DEMO_HOST = (demoIngress as { spec: { rules: Array<{ host: string }> } }).spec.rules[0]!.host;
const NAMESPACE = demoService.metadata!.namespace!;
const TLS_HOST = 'secure.switchyard.example';

let upstream: Server;
let fixture: KubeApiServer;
let kubeconfig: TempKubeconfig;
let router: RouterProcess;
let urls: ServingUrls;
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
  fixture.apply(theObject(loadExample(), 'IngressClass', 'switchyard') as FixtureObject);
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
    ...replaceFlagValues(containerArgs(), { '--listen': '127.0.0.1:0', '--tls-listen': '127.0.0.1:0', '--admin': '127.0.0.1:0' }),
    '--kubeconfig',
    kubeconfig.path,
  ];
  router = new RouterProcess(args);
  urls = await router.urls();
  await untilReady(urls.admin!);
}, 60_000);

afterAll(async () => {
  await router?.stop('SIGKILL');
  await fixture?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  kubeconfig?.remove();
});

describe('switchyard serve with the Deployment’s args, against the fixture', () => {
  test('listens on http, https and admin, as the container ports say', () => {
    expect(urls.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.https).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
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
});
