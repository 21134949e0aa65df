import { rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { createTestCa, eventually, startUpstream, tlsSecret, type SeenRequest, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, startCli, type CliProcess } from './helpers/cli-process.js';
import { ACROSS_PROCESSES } from './helpers/http-get.js';
import { backend, documents, tempDir } from './helpers/manifests.js';

// The behaviours of the Gateway API's HTTPRoute and Gateway conformance tests
// (kubernetes-sigs/gateway-api, conformance/tests/httproute-*.go and gateway-*.go), with
// manifests of our own, end to end: `switchyard serve --gateway-class` on a directory of
// manifests, every backend a real upstream on 127.0.0.1, every listener port bound to
// 127.0.0.1:0 with --bind. One CLI process per group of cases keeps the suite fast.
// docs/gateway-api-conformance.md maps each conformance test to the tests here and elsewhere.

type Dir = Awaited<ReturnType<typeof tempDir>>;

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const NS = 'conf';

// ---------------------------------------------------------------------------------------------
// Manifests

type Json = Record<string, unknown>;

function namespace(name: string, labels: Record<string, string> = {}): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function gateway(name: string, listeners: Json[], ns = NS): Json {
  return { apiVersion: GATEWAY_API, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: 'switchyard', listeners } };
}

function httpListener(name: string, port: number, more: Json = {}): Json {
  return { name, port, protocol: 'HTTP', ...more };
}

function httpRoute(name: string, spec: Json, ns = NS): Json {
  return { apiVersion: GATEWAY_API, kind: 'HTTPRoute', metadata: { name, namespace: ns }, spec };
}

function referenceGrant(name: string, ns: string, from: Json[], to: Json[]): Json {
  return { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name, namespace: ns }, spec: { from, to } };
}

const prefix = (value: string): Json => ({ path: { type: 'PathPrefix', value } });
const exact = (value: string): Json => ({ path: { type: 'Exact', value } });
/** A backendRef to a test backend (the Services of `backend()` listen on port 80). */
const to = (name: string, more: Json = {}): Json => ({ name, port: 80, ...more });
const redirect = (requestRedirect: Json): Json => ({ type: 'RequestRedirect', requestRedirect });
const rewrite = (urlRewrite: Json): Json => ({ type: 'URLRewrite', urlRewrite });
const requestHeaders = (requestHeaderModifier: Json): Json => ({ type: 'RequestHeaderModifier', requestHeaderModifier });
const responseHeaders = (responseHeaderModifier: Json): Json => ({ type: 'ResponseHeaderModifier', responseHeaderModifier });
const mirror = (name: string, more: Json = {}): Json => ({ type: 'RequestMirror', requestMirror: { backendRef: to(name), ...more } });
const replacePrefix = (value: string): Json => ({ type: 'ReplacePrefixMatch', replacePrefixMatch: value });
const replaceFull = (value: string): Json => ({ type: 'ReplaceFullPath', replaceFullPath: value });

// ---------------------------------------------------------------------------------------------
// Upstreams and requests

/** Request header asking the echo upstream to answer with these extra headers: JSON `[[name, value], ...]`. */
const RESPOND_WITH = 'x-respond-with';

/**
 * An echo upstream (the `SeenRequest` JSON body, `x-upstream: NAME`) that also answers with the
 * headers `x-respond-with` asks for (to exercise ResponseHeaderModifier) and after `?delay=MS`
 * (to exercise timeouts).
 */
function echoUpstream(name: string): Promise<Upstream> {
  return startUpstream(name, (request, response, upstream) => {
    let bodyBytes = 0;
    request.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    request.on('end', () => {
      const record: SeenRequest = { upstream: name, method: request.method ?? '', url: request.url ?? '', headers: request.headers, rawHeaders: request.rawHeaders, bodyBytes };
      upstream.seen.push(record);
      const extra = JSON.parse((request.headers[RESPOND_WITH] as string | undefined) ?? '[]') as Array<[string, string]>;
      const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
      const body = JSON.stringify(record);
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(200, [['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(body))], ['x-upstream', name], ...extra].flat());
        response.end(body);
      }, delay);
    });
  });
}

/** Echo upstreams by name, each with a Service and EndpointSlice in `ns`. */
class Backends {
  readonly byName = new Map<string, Upstream>();
  readonly manifests: Json[] = [];

  async add(ns: string, ...names: string[]): Promise<void> {
    for (const name of names) {
      const upstream = await echoUpstream(name);
      this.byName.set(name, upstream);
      this.manifests.push(...backend(name, upstream.port, ns));
    }
  }

  get(name: string): Upstream {
    const upstream = this.byName.get(name);
    if (!upstream) throw new Error(`no upstream ${name}`);
    return upstream;
  }

  close(): Promise<unknown> {
    return Promise.all([...this.byName.values()].map((u) => u.close()));
  }
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What the echo upstream saw, when an echo answered. */
  readonly seen: SeenRequest | undefined;
}

interface Send {
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Over TLS with this SNI (default: the host), verified against `ca`. */
  readonly tls?: { readonly ca: string; readonly servername?: string };
}

/** One request on a fresh connection; the status, headers and the echo it carried back. */
function send(url: string, request: Send): Promise<Answer> {
  const target = new URL(request.path, url);
  const options = { method: request.method ?? 'GET', headers: { ...request.headers, host: request.host }, agent: false };
  return new Promise((resolve, reject) => {
    const onResponse = (response: http.IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const seen = response.headers['x-upstream'] && response.headers['content-type'] === 'application/json' ? (JSON.parse(body) as SeenRequest) : undefined;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, seen });
      });
      response.on('error', reject);
    };
    const outgoing = request.tls
      ? https.request(target, { ...options, ca: request.tls.ca, servername: request.tls.servername ?? request.host }, onResponse)
      : http.request(target, options, onResponse);
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** `serve --gateway-class switchyard -f DIR`, each listener port bound to 127.0.0.1:0; its gateway URLs by listener port. */
async function serveGateways(dir: string, ports: readonly number[]): Promise<{ cli: CliProcess; urlOf: (port: number) => string }> {
  const binds = ports.flatMap((port) => ['--bind', `${port}=127.0.0.1:0`]);
  const cli = startCli(['serve', '-f', dir, '--gateway-class', 'switchyard', ...binds, '--listen', '127.0.0.1:0', '--no-admin']);
  await cli.waitFor('stdout', /^switchyard: serving\b.*$/m, 30_000);
  const urls = new Map([...cli.stdout.matchAll(/^switchyard: gateway (\d+) (https?) (\S+)$/gm)].map((m) => [Number(m[1]), m[3]!]));
  return {
    cli,
    urlOf: (port) => {
      const url = urls.get(port);
      if (url === undefined) throw new Error(`no gateway line for port ${port}:\n${cli.stdout}\n${cli.stderr}`);
      return url;
    },
  };
}

interface CheckJson {
  readonly diagnostics: Array<{ code: string; severity: string; object?: string; field?: string }>;
  readonly status: {
    readonly gateways: Array<{ gateway: string; conditions: ConditionJson[]; listeners: Array<{ name: string; attachedRoutes: number; supportedKinds: Array<{ kind: string }>; conditions: ConditionJson[] }> }>;
    readonly httpRoutes: Array<{ route: string; parents: Array<{ parentRef: Json; conditions: ConditionJson[] }> }>;
  };
}
interface ConditionJson {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
}

async function checkJson(dir: string): Promise<CheckJson> {
  const result = await runCli(['check', '-f', dir, '--gateway-class', 'switchyard', '--json']);
  return JSON.parse(result.stdout) as CheckJson;
}

/** `{ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted', ... }` of one parent of a route. */
function routeConditions(check: CheckJson, route: string, parent = 0): Record<string, string> {
  const status = check.status.httpRoutes.find((r) => r.route === route);
  if (!status) throw new Error(`no status for ${route}: ${JSON.stringify(check.status.httpRoutes.map((r) => r.route))}`);
  return conditionMap(status.parents[parent]?.conditions ?? []);
}

function conditionMap(conditions: readonly ConditionJson[]): Record<string, string> {
  return Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`]));
}

function listenerOf(check: CheckJson, gatewayName: string, listener: string) {
  const found = check.status.gateways.find((g) => g.gateway === gatewayName)?.listeners.find((l) => l.name === listener);
  if (!found) throw new Error(`no listener ${gatewayName} ${listener}`);
  return found;
}

/** How many of `count` requests each status / upstream got. */
async function tally(count: number, request: () => Promise<Answer>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const answer = await request();
    const key = answer.status === 200 ? (answer.seen?.upstream ?? 'no-echo') : String(answer.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Filters: redirects, rewrites, header modifiers, rules without backends; an HTTPS listener

describe('filters (conformance: httproute-redirect-*, -30x-redirect, -rewrite-*, -*-header-modifier, -backend-*, -omitted-backendrefs, -https-listener)', () => {
  let dir: Dir;
  const backends = new Backends();
  let served: Awaited<ReturnType<typeof serveGateways>>;
  let ca: Awaited<ReturnType<typeof createTestCa>>;

  beforeAll(async () => {
    dir = await tempDir();
    ca = await createTestCa();
    const certificate = await ca.issue({ hosts: ['redirect.test', 'first.test', 'second.test', 'unknown.test', '*.wild.test'] });
    await backends.add(NS, 'echo-a', 'echo-b', 'tls-one', 'tls-two', 'tls-three');
    const tlsListener = (name: string, more: Json = {}): Json => ({ name, port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'edge-tls' }] }, ...more });
    const onWeb = { parentRefs: [{ name: 'edge', sectionName: 'web' }] };
    const redirectRule = (path: string, action: Json): Json => ({ matches: [prefix(path)], filters: [redirect(action)] });
    const elsewhere = { hostname: 'elsewhere.test' };
    const rewriteRule = (path: string, action: Json, backendName = 'echo-a', filters: Json[] = []): Json => ({ matches: [prefix(path)], filters: [rewrite(action), ...filters], backendRefs: [to(backendName)] });
    const modifiers = { set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }], add: [{ name: 'X-Header-Add', value: 'header-val-1' }, { name: 'X-Header-Add-Append', value: 'header-val-2' }], remove: ['X-Header-Remove'] };
    const many = {
      set: [{ name: 'X-Header-Set-1', value: 'header-set-1' }, { name: 'X-Header-Set-2', value: 'header-set-2' }],
      add: [{ name: 'X-Header-Add-1', value: 'header-add-1' }, { name: 'X-Header-Add-2', value: 'header-add-2' }, { name: 'X-Header-Add-3', value: 'header-add-3' }],
      remove: ['X-Header-Remove-1', 'X-Header-Remove-2'],
    };
    const objects: Json[] = [
      namespace(NS),
      gateway('edge', [
        httpListener('web', 80),
        httpListener('alt', 8080),
        tlsListener('secure'),
        tlsListener('secure-second', { hostname: 'second.test' }),
        tlsListener('secure-wild', { hostname: '*.wild.test' }),
      ]),
      tlsSecret('edge-tls', NS, certificate) as unknown as Json,
      httpRoute('redirect-web', {
        ...onWeb,
        hostnames: ['redirect.test'],
        rules: [
          redirectRule('/sp/none-none', elsewhere),
          redirectRule('/sp/none-80', { ...elsewhere, port: 80 }),
          redirectRule('/sp/none-8080', { ...elsewhere, port: 8080 }),
          redirectRule('/sp/https-none', { ...elsewhere, scheme: 'https' }),
          redirectRule('/sp/https-443', { ...elsewhere, scheme: 'https', port: 443 }),
          redirectRule('/sp/https-8443', { ...elsewhere, scheme: 'https', port: 8443 }),
          redirectRule('/code/host-301', { ...elsewhere, statusCode: 301 }),
          redirectRule('/code/303', { statusCode: 303 }),
          redirectRule('/code/307', { statusCode: 307 }),
          redirectRule('/code/308', { statusCode: 308 }),
        ],
      }),
      // At most 16 rules a route (the CRD's maxItems): the rest in a second route.
      httpRoute('redirect-web-paths', {
        ...onWeb,
        hostnames: ['redirect.test'],
        rules: [
          redirectRule('/path/prefix', { path: replacePrefix('/moved') }),
          redirectRule('/path/full', { path: replaceFull('/replaced') }),
          redirectRule('/path/host-and-prefix', { ...elsewhere, path: replacePrefix('/moved') }),
          redirectRule('/path/prefix-and-status', { path: replacePrefix('/moved'), statusCode: 301 }),
          redirectRule('/path/full-and-host', { ...elsewhere, path: replaceFull('/replaced') }),
          redirectRule('/port-only', { port: 8083 }),
          redirectRule('/port-host-status', { ...elsewhere, port: 8083, statusCode: 301 }),
          redirectRule('/scheme-only', { scheme: 'https' }),
          redirectRule('/scheme-host-status', { ...elsewhere, scheme: 'https', statusCode: 301 }),
        ],
      }),
      httpRoute('redirect-alt', {
        parentRefs: [{ name: 'edge', sectionName: 'alt' }],
        hostnames: ['redirect.test'],
        rules: [
          redirectRule('/sp/none-none', elsewhere),
          redirectRule('/sp/none-80', { ...elsewhere, port: 80 }),
          redirectRule('/sp/https-none', { ...elsewhere, scheme: 'https' }),
          redirectRule('/path/prefix', { path: replacePrefix('/moved') }),
        ],
      }),
      httpRoute('redirect-secure', {
        parentRefs: [{ name: 'edge', sectionName: 'secure' }],
        hostnames: ['redirect.test'],
        rules: [
          redirectRule('/sp/none-none', elsewhere),
          redirectRule('/sp/none-443', { ...elsewhere, port: 443 }),
          redirectRule('/sp/none-8443', { ...elsewhere, port: 8443 }),
          redirectRule('/sp/http-none', { ...elsewhere, scheme: 'http' }),
          redirectRule('/sp/http-80', { ...elsewhere, scheme: 'http', port: 80 }),
          redirectRule('/sp/http-8080', { ...elsewhere, scheme: 'http', port: 8080 }),
        ],
      }),
      httpRoute('rewrites', {
        ...onWeb,
        hostnames: ['rewrite.test'],
        rules: [
          rewriteRule('/prefix/one', { path: replacePrefix('/one') }),
          rewriteRule('/strip', { path: replacePrefix('/') }),
          rewriteRule('/full/one', { path: replaceFull('/one') }),
          rewriteRule('/full/with-headers', { path: replaceFull('/test') }, 'echo-a', [requestHeaders(modifiers)]),
          rewriteRule('/prefix/with-headers', { path: replacePrefix('/prefix') }, 'echo-a', [requestHeaders(modifiers)]),
          // The rows of HTTPPathModifier.ReplacePrefixMatch's doc table, one rule each.
          rewriteRule('/t1', { path: replacePrefix('/xyz') }),
          rewriteRule('/t2', { path: replacePrefix('/xyz/') }),
          rewriteRule('/t3/', { path: replacePrefix('/xyz') }),
          rewriteRule('/t4/', { path: replacePrefix('/xyz/') }),
          rewriteRule('/t5', { path: replacePrefix('') }),
          rewriteRule('/t6', { path: replacePrefix('/') }),
          rewriteRule('/keep-query', { path: replacePrefix('/kept') }),
        ],
      }),
      httpRoute('rewrites-host', {
        ...onWeb,
        hostnames: ['rewrite.test'],
        rules: [
          rewriteRule('/host', { hostname: 'one.rewrite.example' }),
          rewriteRule('/host-and-headers', { hostname: 'three.rewrite.example' }, 'echo-b', [requestHeaders(modifiers)]),
          { filters: [rewrite({ hostname: 'two.rewrite.example' })], backendRefs: [to('echo-b')] },
          { matches: [prefix('/be/full')], backendRefs: [to('echo-a', { filters: [rewrite({ path: replaceFull('/rewritten-full') })] })] },
          { matches: [prefix('/be/prefix')], backendRefs: [to('echo-a', { filters: [rewrite({ path: replacePrefix('/rewritten-prefix') })] })] },
          { matches: [prefix('/be/redirect')], backendRefs: [to('echo-a', { filters: [redirect({ path: replacePrefix('/redirected') })] })] },
        ],
      }),
      httpRoute('header-modifiers', {
        ...onWeb,
        hostnames: ['headers.test'],
        rules: [
          { matches: [prefix('/req/set')], filters: [requestHeaders({ set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/req/add')], filters: [requestHeaders({ add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/req/remove')], filters: [requestHeaders({ remove: ['X-Header-Remove'] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/req/multiple')], filters: [requestHeaders(many)], backendRefs: [to('echo-a')] },
          {
            matches: [prefix('/req/case')],
            filters: [requestHeaders({ set: [{ name: 'X-Header-Set', value: 'header-set' }], add: [{ name: 'X-Header-Add', value: 'header-add' }], remove: ['X-Header-Remove'] })],
            backendRefs: [to('echo-a')],
          },
          { matches: [prefix('/resp/set')], filters: [responseHeaders({ set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/resp/add')], filters: [responseHeaders({ add: [{ name: 'X-Header-Add', value: 'add-appends-values' }] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/resp/remove')], filters: [responseHeaders({ remove: ['X-Header-Remove'] })], backendRefs: [to('echo-a')] },
          { matches: [prefix('/resp/multiple')], filters: [responseHeaders(many)], backendRefs: [to('echo-a')] },
          {
            matches: [prefix('/resp/case')],
            filters: [
              responseHeaders({
                set: [{ name: 'X-Header-Set', value: 'header-set' }],
                add: [
                  { name: 'X-Header-Add', value: 'header-add' },
                  { name: 'x-lowercase-add', value: 'lowercase-add' },
                  { name: 'x-Mixedcase-ADD-1', value: 'mixedcase-add-1' },
                  { name: 'X-UPPERCASE-ADD', value: 'uppercase-add' },
                ],
                remove: ['X-Header-Remove'],
              }),
            ],
            backendRefs: [to('echo-a')],
          },
          { matches: [prefix('/both')], filters: [responseHeaders(many), requestHeaders(modifiers)], backendRefs: [to('echo-a')] },
        ],
      }),
      httpRoute('omitted-backends', {
        ...onWeb,
        hostnames: ['omitted.test'],
        rules: [{ matches: [exact('/omitted')] }, { matches: [exact('/empty')], backendRefs: [] }, { matches: [prefix('/')], backendRefs: [to('echo-a')] }],
      }),
      // httproute-https-listener: a route without sectionName attaches to the listeners its hostnames intersect.
      httpRoute('tls-first', { parentRefs: [{ name: 'edge' }], hostnames: ['first.test'], rules: [{ backendRefs: [to('tls-one')] }] }),
      httpRoute('tls-second', { parentRefs: [{ name: 'edge', sectionName: 'secure-second' }], rules: [{ backendRefs: [to('tls-two')] }] }),
      httpRoute('tls-wild', { parentRefs: [{ name: 'edge', sectionName: 'secure-wild' }], rules: [{ backendRefs: [to('tls-three')] }] }),
      ...backends.manifests,
    ];
    await dir.write('filters.yaml', documents(...objects));
    served = await serveGateways(dir.path, [80, 8080, 443]);
  }, 60_000);

  afterAll(async () => {
    await served?.cli.stop();
    await backends.close();
    await dir?.remove();
  });

  const get = (port: number, host: string, path: string, headers: Record<string, string> = {}) =>
    send(served.urlOf(port), { host, path, headers, ...(port === 443 ? { tls: { ca: ca.certPem } } : {}) });

  // The Location a redirect gives: scheme, hostname, port (the scheme's well-known port when a
  // scheme is set, else the listener's; never written when it is the scheme's well-known port),
  // path, status (HTTPRequestRedirectFilter's doc comments).
  test.each([
    [80, '/sp/none-none', 302, 'http://elsewhere.test/sp/none-none'],
    [80, '/sp/none-80', 302, 'http://elsewhere.test/sp/none-80'],
    [80, '/sp/none-8080', 302, 'http://elsewhere.test:8080/sp/none-8080'],
    [80, '/sp/https-none', 302, 'https://elsewhere.test/sp/https-none'],
    [80, '/sp/https-443', 302, 'https://elsewhere.test/sp/https-443'],
    [80, '/sp/https-8443', 302, 'https://elsewhere.test:8443/sp/https-8443'],
    [8080, '/sp/none-none', 302, 'http://elsewhere.test:8080/sp/none-none'],
    [8080, '/sp/none-80', 302, 'http://elsewhere.test/sp/none-80'],
    [8080, '/sp/https-none', 302, 'https://elsewhere.test/sp/https-none'],
    [8080, '/path/prefix/x', 302, 'http://redirect.test:8080/moved/x'],
    [443, '/sp/none-none', 302, 'https://elsewhere.test/sp/none-none'],
    [443, '/sp/none-443', 302, 'https://elsewhere.test/sp/none-443'],
    [443, '/sp/none-8443', 302, 'https://elsewhere.test:8443/sp/none-8443'],
    [443, '/sp/http-none', 302, 'http://elsewhere.test/sp/http-none'],
    [443, '/sp/http-80', 302, 'http://elsewhere.test/sp/http-80'],
    [443, '/sp/http-8080', 302, 'http://elsewhere.test:8080/sp/http-8080'],
    [80, '/code/host-301', 301, 'http://elsewhere.test/code/host-301'],
    [80, '/code/303', 303, 'http://redirect.test/code/303'],
    [80, '/code/307', 307, 'http://redirect.test/code/307'],
    [80, '/code/308', 308, 'http://redirect.test/code/308'],
    [80, '/path/prefix/lemon', 302, 'http://redirect.test/moved/lemon'],
    [80, '/path/prefix/lemon?x=1&y=2', 302, 'http://redirect.test/moved/lemon?x=1&y=2'],
    [80, '/path/full/a/b', 302, 'http://redirect.test/replaced'],
    [80, '/path/host-and-prefix', 302, 'http://elsewhere.test/moved'],
    [80, '/path/prefix-and-status', 301, 'http://redirect.test/moved'],
    [80, '/path/full-and-host', 302, 'http://elsewhere.test/replaced'],
    [80, '/port-only', 302, 'http://redirect.test:8083/port-only'],
    [80, '/port-host-status', 301, 'http://elsewhere.test:8083/port-host-status'],
    [80, '/scheme-only', 302, 'https://redirect.test/scheme-only'],
    [80, '/scheme-host-status', 301, 'https://elsewhere.test/scheme-host-status'],
  ] as const)('RequestRedirect on listener port %i: %s answers %i with Location %s, nothing sent upstream', async (port, path, status, location) => {
    const before = backends.get('echo-a').seen.length;
    const answer = await get(port, 'redirect.test', path);
    expect({ status: answer.status, location: answer.headers.location }).toEqual({ status, location });
    expect(backends.get('echo-a').seen.length).toBe(before);
  });

  // What the upstream receives after URLRewrite: path (with HTTPPathModifier's table), query, Host.
  test.each([
    ['/prefix/one/two', '/one/two'],
    ['/strip/three', '/three'],
    ['/strip', '/'],
    ['/full/one/two', '/one'],
    ['/t1/bar', '/xyz/bar'],
    ['/t1', '/xyz'],
    ['/t1/', '/xyz/'],
    ['/t2/bar', '/xyz/bar'],
    ['/t3/bar', '/xyz/bar'],
    ['/t4/bar', '/xyz/bar'],
    ['/t5/bar', '/bar'],
    ['/t5/', '/'],
    ['/t5', '/'],
    ['/t6/', '/'],
    ['/t6', '/'],
    ['/keep-query/a?x=1&y=%20z', '/kept/a?x=1&y=%20z'],
  ])('URLRewrite path: %s reaches the upstream as %s', async (path, upstreamPath) => {
    const answer = await get(80, 'rewrite.test', path);
    expect({ status: answer.status, upstream: answer.seen?.upstream, path: answer.seen?.url }).toEqual({ status: 200, upstream: 'echo-a', path: upstreamPath });
  });

  test('URLRewrite hostname: the upstream gets the new Host, X-Forwarded-Host stays the client\'s; a rule without matches rewrites too', async () => {
    const one = await get(80, 'rewrite.test', '/host');
    expect(one.seen).toMatchObject({ upstream: 'echo-a', url: '/host', headers: { host: 'one.rewrite.example', 'x-forwarded-host': 'rewrite.test' } });
    const other = await get(80, 'rewrite.test', '/two');
    expect(other.seen).toMatchObject({ upstream: 'echo-b', url: '/two', headers: { host: 'two.rewrite.example' } });
  });

  const clientHeaders = { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Set': 'set-val' };
  const modified = { 'x-header-add': 'header-val-1', 'x-header-add-append': 'append-val-1,header-val-2', 'x-header-set': 'set-overwrites-values' };

  test.each([
    ['/full/with-headers/test', 'echo-a', '/test', undefined],
    ['/prefix/with-headers/one', 'echo-a', '/prefix/one', undefined],
    ['/host-and-headers', 'echo-b', '/host-and-headers', 'three.rewrite.example'],
  ])('URLRewrite with a RequestHeaderModifier: %s', async (path, upstream, upstreamPath, host) => {
    const answer = await get(80, 'rewrite.test', path, clientHeaders);
    expect(answer.seen).toMatchObject({ upstream, url: upstreamPath, headers: { ...modified, host: host ?? 'rewrite.test' } });
    expect(answer.seen?.headers).not.toHaveProperty('x-header-remove');
  });

  test.each([
    ['/be/full/original', '/rewritten-full'],
    ['/be/prefix/original', '/rewritten-prefix/original'],
  ])('a URLRewrite on a backendRef (httproute-backend-url-rewrite): %s reaches the upstream as %s', async (path, upstreamPath) => {
    const answer = await get(80, 'rewrite.test', path);
    expect({ status: answer.status, upstream: answer.seen?.upstream, path: answer.seen?.url }).toEqual({ status: 200, upstream: 'echo-a', path: upstreamPath });
  });

  // Switchyard neither applies a RequestRedirect on a backendRef nor answers 500 for it: the
  // request is forwarded as if the filter were not there (reported; see the conformance doc).
  test('a RequestRedirect on a backendRef (httproute-backend-request-redirect) answers the redirect', async () => {
    const answer = await get(80, 'rewrite.test', '/be/redirect/original');
    expect({ status: answer.status, location: answer.headers.location, upstream: answer.headers['x-upstream'] }).toEqual({ status: 302, location: 'http://rewrite.test/redirected/original', upstream: undefined });
  });

  test.each([
    ['/req/set', {}, { 'x-header-set': 'set-overwrites-values' }, []],
    ['/req/set', { 'X-Header-Set': 'some-other-value' }, { 'x-header-set': 'set-overwrites-values' }, []],
    ['/req/add', {}, { 'x-header-add': 'add-appends-values' }, []],
    ['/req/add', { 'X-Header-Add': 'some-other-value' }, { 'x-header-add': 'some-other-value,add-appends-values' }, []],
    ['/req/remove', { 'X-Header-Remove': 'val' }, {}, ['x-header-remove']],
    [
      '/req/multiple',
      { 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val', 'X-Header-Remove-1': 'val' },
      { 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-val-2,header-add-2', 'x-header-add-3': 'header-add-3', 'another-header': 'another-header-val' },
      ['x-header-remove-1', 'x-header-remove-2'],
    ],
    [
      '/req/case',
      { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' },
      { 'x-header-set': 'header-set', 'x-header-add': 'original-val-add,header-add', 'another-header': 'another-header-val' },
      ['x-header-remove'],
    ],
  ] as const)('RequestHeaderModifier %s with %j: the upstream gets %j', async (path, sent, expected, absent) => {
    const answer = await get(80, 'headers.test', path, sent);
    expect(answer.seen?.headers).toMatchObject(expected);
    for (const name of absent) expect(answer.seen?.headers).not.toHaveProperty(name);
  });

  test.each([
    ['/resp/set', [['Some-Other-Header', 'val']], { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
    ['/resp/set', [['Some-Other-Header', 'val'], ['X-Header-Set', 'some-other-value']], { 'some-other-header': 'val', 'x-header-set': 'set-overwrites-values' }, []],
    ['/resp/add', [['Some-Other-Header', 'val']], { 'x-header-add': 'add-appends-values' }, []],
    ['/resp/add', [['X-Header-Add', 'some-other-value']], { 'x-header-add': 'some-other-value,add-appends-values' }, []],
    ['/resp/remove', [['X-Header-Remove', 'val']], {}, ['x-header-remove']],
    [
      '/resp/multiple',
      [['X-Header-Set-2', 'set-val-2'], ['X-Header-Add-2', 'add-val-2'], ['X-Header-Remove-2', 'remove-val-2'], ['Another-Header', 'another-header-val'], ['X-Header-Remove-1', 'val']],
      { 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-val-2,header-add-2', 'x-header-add-3': 'header-add-3', 'another-header': 'another-header-val' },
      ['x-header-remove-1', 'x-header-remove-2'],
    ],
    [
      '/resp/case',
      [['x-header-set', 'original-val-set'], ['x-header-add', 'original-val-add'], ['x-header-remove', 'original-val-remove'], ['Another-Header', 'another-header-val']],
      { 'x-header-set': 'header-set', 'x-header-add': 'original-val-add,header-add', 'x-lowercase-add': 'lowercase-add', 'x-mixedcase-add-1': 'mixedcase-add-1', 'x-uppercase-add': 'uppercase-add', 'another-header': 'another-header-val' },
      ['x-header-remove'],
    ],
  ] as const)('ResponseHeaderModifier %s, the upstream answering %j: the client gets %j', async (path, upstreamHeaders, expected, absent) => {
    const answer = await get(80, 'headers.test', path, { [RESPOND_WITH]: JSON.stringify(upstreamHeaders) });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject(expected);
    for (const name of absent) expect(answer.headers).not.toHaveProperty(name);
  });

  test('request and response header modifiers on one rule each change their side', async () => {
    const upstreamHeaders = [['X-Header-Set-2', 'set-val-2'], ['X-Header-Add-2', 'add-val-2'], ['X-Header-Remove-1', 'remove-val-1'], ['X-Header-Echo', 'echo']];
    const answer = await get(80, 'headers.test', '/both', { ...clientHeaders, 'X-Header-Echo': 'echo', [RESPOND_WITH]: JSON.stringify(upstreamHeaders) });
    expect(answer.seen?.headers).toMatchObject({ ...modified, 'x-header-echo': 'echo' });
    expect(answer.seen?.headers).not.toHaveProperty('x-header-remove');
    expect(answer.headers).toMatchObject({ 'x-header-set-1': 'header-set-1', 'x-header-set-2': 'header-set-2', 'x-header-add-1': 'header-add-1', 'x-header-add-2': 'add-val-2,header-add-2', 'x-header-echo': 'echo' });
    expect(answer.headers).not.toHaveProperty('x-header-remove-1');
  });

  test.each([
    ['/omitted', 500],
    ['/empty', 500],
    ['/forward', 200],
  ])('a rule with omitted or empty backendRefs answers 500 (httproute-omitted-backendrefs): %s → %i', async (path, status) => {
    const answer = await get(80, 'omitted.test', path);
    expect(answer.status).toBe(status);
    if (status === 500) expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_ROUTE_INVALID');
    else expect(answer.seen?.upstream).toBe('echo-a');
  });

  test.each([
    ['first.test', 200, 'tls-one'],
    ['unknown.test', 404, undefined],
    ['second.test', 200, 'tls-two'],
    ['x.wild.test', 200, 'tls-three'],
  ])('an HTTPS listener (httproute-https-listener): SNI and Host %s → %i %s', async (host, status, upstream) => {
    const answer = await get(443, host, '/');
    expect({ status: answer.status, upstream: answer.seen?.upstream }).toEqual({ status, upstream });
  });

  // gateway_types.go, Listener.Hostname: a Host another listener on the port matches more
  // specifically than the one SNI chose SHOULD get 421. Switchyard selects the listener by Host
  // alone and answers from it (reported; see the conformance doc).
  test('HTTPS: SNI second.test with Host first.test is a misdirected request, 421 (httproute-https-listener-detect-misdirected-requests)', async () => {
    const answer = await send(served.urlOf(443), { host: 'first.test', path: '/', tls: { ca: ca.certPem, servername: 'second.test' } });
    expect(answer.status).toBe(421);
  });
});

// ---------------------------------------------------------------------------------------------
// Backends: weights, mirrors, invalid references and ReferenceGrants, timeouts

describe('backends (conformance: httproute-weight, -request-header-modifier-backend-weights, -request-*-mirror*, -invalid-*, -reference-grant, -partially-invalid-*, -timeout-*)', () => {
  let dir: Dir;
  const backends = new Backends();
  let served: Awaited<ReturnType<typeof serveGateways>>;
  let check: CheckJson;
  const OTHER = 'conf-other';

  beforeAll(async () => {
    dir = await tempDir();
    await backends.add(NS, 'w-a', 'w-b', 'w-zero', 'm-primary', 'm-one', 'm-two', 'm-never', 'm-always', 'm-percent', 'm-fraction', 'ok-svc', 'slow');
    await backends.add(OTHER, 'granted-svc', 'guarded-svc', 'ungranted-svc', 'partly-granted-svc');
    const onWeb = { parentRefs: [{ name: 'pool' }] };
    const fromRoutes = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: NS }];
    const toService = (name: string) => [{ group: '', kind: 'Service', name }];
    const setBackendHeader = (value: string) => [requestHeaders({ set: [{ name: 'Backend', value }] })];
    const objects: Json[] = [
      namespace(NS),
      namespace(OTHER),
      gateway('pool', [httpListener('web', 80)]),
      httpRoute('weights', { ...onWeb, hostnames: ['weights.test'], rules: [{ backendRefs: [to('w-a', { weight: 70 }), to('w-b', { weight: 30 }), to('w-zero', { weight: 0 })] }] }),
      httpRoute('backend-filters', {
        ...onWeb,
        hostnames: ['backend-filters.test'],
        rules: [{ backendRefs: [to('w-a', { weight: 10, filters: setBackendHeader('w-a') }), to('w-b', { weight: 10, filters: setBackendHeader('w-b') })] }],
      }),
      httpRoute('mirrors', {
        ...onWeb,
        hostnames: ['mirror.test'],
        rules: [
          { matches: [prefix('/one')], filters: [mirror('m-one')], backendRefs: [to('m-primary')] },
          { matches: [prefix('/two')], filters: [mirror('m-one'), mirror('m-two')], backendRefs: [to('m-primary')] },
          { matches: [prefix('/two-and-headers')], filters: [requestHeaders({ set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }] }), mirror('m-one'), mirror('m-two')], backendRefs: [to('m-primary')] },
          { matches: [prefix('/never')], filters: [mirror('m-never', { percent: 0 })], backendRefs: [to('m-primary')] },
          { matches: [prefix('/always')], filters: [mirror('m-always', { percent: 100 })], backendRefs: [to('m-primary')] },
          { matches: [prefix('/percent')], filters: [mirror('m-percent', { percent: 20 })], backendRefs: [to('m-primary')] },
          { matches: [prefix('/fraction')], filters: [mirror('m-fraction', { fraction: { numerator: 25, denominator: 50 } })], backendRefs: [to('m-primary')] },
        ],
      }),
      httpRoute('not-found', { ...onWeb, hostnames: ['not-found.test'], rules: [{ backendRefs: [to('missing')] }] }),
      httpRoute('unknown-kind', { ...onWeb, hostnames: ['unknown-kind.test'], rules: [{ backendRefs: [to('ok-svc', { group: 'unknownkind.example.com', kind: 'NonExistent' })] }] }),
      httpRoute('cross-denied', { ...onWeb, hostnames: ['cross-denied.test'], rules: [{ backendRefs: [to('ungranted-svc', { namespace: OTHER })] }] }),
      httpRoute('cross-granted', { ...onWeb, hostnames: ['cross-granted.test'], rules: [{ backendRefs: [to('granted-svc', { namespace: OTHER })] }] }),
      httpRoute('wrong-grants', { ...onWeb, hostnames: ['wrong-grants.test'], rules: [{ backendRefs: [to('guarded-svc', { namespace: OTHER })] }] }),
      httpRoute('partly-granted', {
        ...onWeb,
        hostnames: ['partly-granted.test'],
        rules: [{ matches: [prefix('/v2')], backendRefs: [to('ungranted-svc', { namespace: OTHER })] }, { backendRefs: [to('partly-granted-svc', { namespace: OTHER })] }],
      }),
      httpRoute('half-invalid', { ...onWeb, hostnames: ['half-invalid.test'], rules: [{ backendRefs: [to('ok-svc'), to('missing')] }] }),
      httpRoute('timeouts', {
        ...onWeb,
        hostnames: ['timeouts.test'],
        rules: [
          { matches: [prefix('/request-timeout')], backendRefs: [to('slow')], timeouts: { request: '300ms' } },
          { matches: [prefix('/no-request-timeout')], backendRefs: [to('slow')], timeouts: { request: '0s' } },
          { matches: [prefix('/backend-timeout')], backendRefs: [to('slow')], timeouts: { backendRequest: '300ms' } },
          { matches: [prefix('/no-backend-timeout')], backendRefs: [to('slow')], timeouts: { backendRequest: '0s' } },
        ],
      }),
      referenceGrant('partly', OTHER, fromRoutes, toService('partly-granted-svc')),
      // Each wrong in one way only (httproute-invalid-reference-grant): none permits conf → guarded-svc.
      referenceGrant('wrong-namespace', NS, fromRoutes, toService('guarded-svc')),
      referenceGrant('wrong-from-group', OTHER, [{ ...fromRoutes[0], group: 'not.the.group' }], toService('guarded-svc')),
      referenceGrant('wrong-from-kind', OTHER, [{ ...fromRoutes[0], kind: 'Gateway' }], toService('guarded-svc')),
      referenceGrant('wrong-from-namespace', OTHER, [{ ...fromRoutes[0], namespace: 'elsewhere' }], toService('guarded-svc')),
      referenceGrant('wrong-to-group', OTHER, fromRoutes, [{ group: 'not.the.group', kind: 'Service', name: 'guarded-svc' }]),
      referenceGrant('wrong-to-kind', OTHER, fromRoutes, [{ group: '', kind: 'Secret', name: 'guarded-svc' }]),
      referenceGrant('wrong-to-name', OTHER, fromRoutes, toService('not-guarded-svc')),
      ...backends.manifests,
    ];
    await dir.write('backends.yaml', documents(...objects));
    // In a file of its own, so a test can delete it (httproute-reference-grant).
    await dir.write('grant.yaml', documents(referenceGrant('granted', OTHER, fromRoutes, toService('granted-svc'))));
    check = await checkJson(dir.path);
    served = await serveGateways(dir.path, [80]);
  }, 60_000);

  afterAll(async () => {
    await served?.cli.stop();
    await backends.close();
    await dir?.remove();
  });

  const get = (host: string, path = '/', headers: Record<string, string> = {}) => send(served.urlOf(80), { host, path, headers });

  test('weights 70/30/0: both weighted backends get traffic in proportion, weight 0 none', async () => {
    const counts = await tally(200, () => get('weights.test'));
    expect(counts.get('w-zero')).toBeUndefined();
    expect((counts.get('w-a') ?? 0) + (counts.get('w-b') ?? 0)).toBe(200);
    // Binomial(200, 0.7): mean 140, sd 6.5; six sd either side.
    expect(counts.get('w-a')).toBeGreaterThanOrEqual(101);
    expect(counts.get('w-a')).toBeLessThanOrEqual(179);
  });

  test('a backendRef\'s own RequestHeaderModifier runs only for requests sent to that backend', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const answer = await get('backend-filters.test');
      expect(answer.seen?.headers.backend).toBe(answer.seen?.upstream);
      seen.add(answer.seen!.upstream);
    }
    expect([...seen].sort()).toEqual(['w-a', 'w-b']);
  });

  const mirrored = (name: string, path: string) => backends.get(name).seen.filter((r) => r.url === path).length;

  test.each([
    ['/one', ['m-one']],
    ['/two', ['m-one', 'm-two']],
    ['/two-and-headers', ['m-one', 'm-two']],
    ['/always', ['m-always']],
  ])('RequestMirror %s: the primary answers, each mirror gets a copy of the same path', async (path, mirrors) => {
    const answer = await get('mirror.test', path);
    expect({ status: answer.status, upstream: answer.seen?.upstream, path: answer.seen?.url }).toEqual({ status: 200, upstream: 'm-primary', path });
    for (const name of mirrors) await eventually(`a copy of ${path} at ${name}`, () => mirrored(name, path) === 1, ACROSS_PROCESSES);
  });

  test('RequestMirror percent 0 never sends a copy; percent 20 and fraction 25/50 send about that share', async () => {
    const count = 200;
    for (let i = 0; i < count; i++) {
      expect((await get('mirror.test', '/never')).status).toBe(200);
      expect((await get('mirror.test', '/percent')).status).toBe(200);
      expect((await get('mirror.test', '/fraction')).status).toBe(200);
    }
    // Binomial(200, 0.2): mean 40, sd 5.7; Binomial(200, 0.5): mean 100, sd 7.1; six sd either side.
    await eventually('the percent mirror copies', () => mirrored('m-percent', '/percent') >= 6, ACROSS_PROCESSES);
    await eventually('the fraction mirror copies', () => mirrored('m-fraction', '/fraction') >= 58, ACROSS_PROCESSES);
    expect(mirrored('m-percent', '/percent')).toBeLessThanOrEqual(74);
    expect(mirrored('m-fraction', '/fraction')).toBeLessThanOrEqual(142);
    expect(mirrored('m-never', '/never')).toBe(0);
  });

  test.each([
    ['not-found.test', 'conf/not-found', 'BackendNotFound'],
    ['unknown-kind.test', 'conf/unknown-kind', 'InvalidKind'],
    ['cross-denied.test', 'conf/cross-denied', 'RefNotPermitted'],
    ['wrong-grants.test', 'conf/wrong-grants', 'RefNotPermitted'],
  ])('an unresolved backendRef (%s): 500 SWY_PROXY_ROUTE_INVALID; check: Accepted True, ResolvedRefs False %s', async (host, route, reason) => {
    const answer = await get(host);
    expect({ status: answer.status, error: answer.headers['x-switchyard-error'] }).toEqual({ status: 500, error: 'SWY_PROXY_ROUTE_INVALID' });
    expect(routeConditions(check, route)).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: `False/${reason}` });
  });

  test('a rule of a partly invalid route answers 500, its other rule is served (httproute-partially-invalid-via-invalid-reference-grant)', async () => {
    expect((await get('partly-granted.test', '/v2')).status).toBe(500);
    const served = await get('partly-granted.test', '/');
    expect({ status: served.status, upstream: served.seen?.upstream }).toEqual({ status: 200, upstream: 'partly-granted-svc' });
    expect(routeConditions(check, 'conf/partly-granted')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' });
  });

  test('of two backendRefs of equal weight, one unresolved: about half the requests answer 500, the rest reach the other', async () => {
    const counts = await tally(100, () => get('half-invalid.test'));
    expect([...counts.keys()].sort()).toEqual(['500', 'ok-svc']);
    // Binomial(100, 0.5): mean 50, sd 5; six sd either side.
    expect(counts.get('500')).toBeGreaterThanOrEqual(20);
    expect(counts.get('500')).toBeLessThanOrEqual(80);
  });

  // Last of the ReferenceGrant tests: it deletes the grant.
  test('a ReferenceGrant permits a cross-namespace backendRef; once deleted, the route answers 500 and check says RefNotPermitted', async () => {
    const granted = await get('cross-granted.test');
    expect({ status: granted.status, upstream: granted.seen?.upstream }).toEqual({ status: 200, upstream: 'granted-svc' });
    expect(routeConditions(check, 'conf/cross-granted')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });

    await rm(join(dir.path, 'grant.yaml'));
    await eventually('the route to answer 500 without its grant', async () => (await get('cross-granted.test')).status === 500, ACROSS_PROCESSES);
    expect(routeConditions(await checkJson(dir.path), 'conf/cross-granted')).toMatchObject({ ResolvedRefs: 'False/RefNotPermitted' });
  }, 30_000);

  test.each([
    ['/request-timeout', 200],
    ['/request-timeout?delay=1000', 504],
    ['/no-request-timeout?delay=1000', 200],
    ['/backend-timeout', 200],
    ['/backend-timeout?delay=1000', 504],
    ['/no-backend-timeout?delay=1000', 200],
  ])('timeouts: %s answers %i', async (path, status) => {
    const answer = await get('timeouts.test', path);
    expect(answer.status).toBe(status);
    if (status === 504) expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_UPSTREAM_TIMEOUT');
    else expect(answer.seen?.upstream).toBe('slow');
  });
});

// ---------------------------------------------------------------------------------------------
// Listeners, attachment and matching

describe('listeners, attachment and matching (conformance: httproute-listener-*-matching, -multiple-gateways, -matching*, -*-matching, -path-match-order, -invalid-parentref-*, -invalid-cross-namespace-parent-ref, -hostname-intersection, gateway-with-attached-routes, gateway-invalid-route-kind)', () => {
  let dir: Dir;
  const backends = new Backends();
  let served: Awaited<ReturnType<typeof serveGateways>>;
  let check: CheckJson;
  const GUEST = 'conf-guest';
  const PORTS = [7080, 7081, 7082, 7090, 7100, 7101, 7110, 7120];

  beforeAll(async () => {
    dir = await tempDir();
    await backends.add(NS, 'x-one', 'x-two', 'x-three');
    await backends.add(GUEST, 'guest-svc');
    const only = (name: string) => [{ backendRefs: [to(name)] }];
    const headers = (...pairs: Array<[string, string]>) => pairs.map(([name, value]) => ({ name, value }));
    const query = (...pairs: Array<[string, string]>) => pairs.map(([name, value]) => ({ name, value }));
    const rule = (matches: Json[], backendName: string): Json => ({ matches, backendRefs: [to(backendName)] });
    const onMatch = { parentRefs: [{ name: 'match' }] };
    const objects: Json[] = [
      namespace(NS),
      namespace(GUEST),
      gateway('ports', [
        httpListener('l1', 7080, { hostname: 'foo.test' }),
        httpListener('l2', 7081, { hostname: 'foo.test' }),
        httpListener('l3', 7081, { hostname: 'bar.test' }),
        httpListener('l4', 7082, { hostname: 'foo.test' }),
        httpListener('l5', 7082, { hostname: 'bar.test' }),
      ]),
      httpRoute('by-port-7080', { parentRefs: [{ name: 'ports', port: 7080 }], rules: only('x-one') }),
      httpRoute('by-port-7081', { parentRefs: [{ name: 'ports', port: 7081 }], rules: only('x-two') }),
      httpRoute('by-port-and-section', { parentRefs: [{ name: 'ports', port: 7082, sectionName: 'l4' }], rules: only('x-three') }),
      gateway('names', [
        httpListener('n1', 7090, { hostname: 'bar.test' }),
        httpListener('n2', 7090, { hostname: 'foo.bar.test' }),
        httpListener('n3', 7090, { hostname: '*.bar.test' }),
        httpListener('n4', 7090, { hostname: '*.foo.test' }),
      ]),
      httpRoute('on-n1', { parentRefs: [{ name: 'names', sectionName: 'n1' }], rules: only('x-one') }),
      httpRoute('on-n2', { parentRefs: [{ name: 'names', sectionName: 'n2' }], rules: only('x-two') }),
      httpRoute('on-n3-n4', { parentRefs: [{ name: 'names', sectionName: 'n3' }, { name: 'names', sectionName: 'n4' }], rules: only('x-three') }),
      httpRoute('nowhere', { parentRefs: [{ name: 'names' }], hostnames: ['nowhere.test'], rules: only('x-one') }),
      gateway('gw-one', [httpListener('http', 7100)]),
      gateway('gw-two', [httpListener('http', 7101)]),
      httpRoute('shared', { parentRefs: [{ name: 'gw-one' }, { name: 'gw-two' }], rules: [rule([prefix('/shared')], 'x-one')] }),
      httpRoute('only-one', { parentRefs: [{ name: 'gw-one' }], rules: only('x-two') }),
      httpRoute('only-two', { parentRefs: [{ name: 'gw-two' }], rules: only('x-three') }),
      gateway('match', [httpListener('http', 7110)]),
      httpRoute('across-1', { ...onMatch, hostnames: ['across.test', 'across.net'], rules: [rule([prefix('/'), { headers: headers(['version', 'one']) }], 'x-one')] }),
      httpRoute('across-2', { ...onMatch, hostnames: ['across.test'], rules: [rule([prefix('/v2'), { headers: headers(['version', 'two']) }], 'x-two')] }),
      httpRoute('by-query', {
        ...onMatch,
        hostnames: ['query.test'],
        rules: [
          rule([{ queryParams: query(['animal', 'whale']) }], 'x-one'),
          rule([{ queryParams: query(['animal', 'dolphin']) }], 'x-two'),
          rule([{ queryParams: query(['animal', 'dolphin'], ['color', 'blue']) }, { queryParams: query(['ANIMAL', 'Whale']) }], 'x-three'),
          rule([{ ...prefix('/path1'), queryParams: query(['animal', 'whale']) }], 'x-one'),
          rule([{ headers: headers(['version', 'one']), queryParams: query(['animal', 'whale']) }], 'x-two'),
          rule([{ ...prefix('/path2'), headers: headers(['version', 'two']), queryParams: query(['animal', 'whale']) }], 'x-three'),
          rule([{ ...prefix('/path3'), queryParams: query(['animal', 'shark']) }, { ...prefix('/path4'), headers: headers(['version', 'three']), queryParams: query(['animal', 'kraken']) }], 'x-one'),
          rule([prefix('/path5')], 'x-one'),
          rule([{ queryParams: query(['animal', 'hydra']) }], 'x-two'),
          rule([{ headers: headers(['version', 'four']) }], 'x-three'),
        ],
      }),
      httpRoute('by-method', {
        ...onMatch,
        hostnames: ['method.test'],
        rules: [
          rule([{ method: 'POST' }], 'x-one'),
          rule([{ method: 'GET' }], 'x-two'),
          rule([{ ...prefix('/path1'), method: 'GET' }], 'x-one'),
          rule([{ headers: headers(['version', 'one']), method: 'PUT' }], 'x-two'),
          rule([{ ...prefix('/path2'), headers: headers(['version', 'two']), method: 'POST' }], 'x-three'),
          rule([{ ...prefix('/path3'), method: 'PATCH' }, { ...prefix('/path4'), headers: headers(['version', 'three']), method: 'DELETE' }], 'x-one'),
          rule([prefix('/path5')], 'x-one'),
          rule([{ method: 'PATCH' }], 'x-two'),
          rule([{ headers: headers(['version', 'four']) }], 'x-three'),
        ],
      }),
      httpRoute('by-header', {
        ...onMatch,
        hostnames: ['header.test'],
        rules: [
          rule([{ headers: headers(['version', 'one']) }], 'x-one'),
          rule([{ headers: headers(['version', 'two']) }], 'x-two'),
          rule([{ headers: headers(['version', 'two'], ['color', 'orange']) }], 'x-one'),
          rule([{ headers: headers(['color', 'blue']) }, { headers: headers(['color', 'green']) }], 'x-one'),
          rule([{ headers: headers(['color', 'red']) }, { headers: headers(['color', 'yellow']) }], 'x-two'),
        ],
      }),
      httpRoute('by-path-order', {
        ...onMatch,
        hostnames: ['order.test'],
        rules: [
          rule([exact('/match')], 'x-one'),
          rule([exact('/match/exact')], 'x-two'),
          rule([exact('/match/exact/one')], 'x-three'),
          rule([prefix('/match/')], 'x-three'),
          rule([prefix('/match/prefix/')], 'x-one'),
          rule([prefix('/match/prefix/one')], 'x-two'),
        ],
      }),
      httpRoute('by-exact', { ...onMatch, hostnames: ['exact.test'], rules: [rule([exact('/one')], 'x-one'), rule([exact('/two')], 'x-two')] }),
      httpRoute('bad-port', { parentRefs: [{ name: 'match', port: 7999 }], hostnames: ['bad.test'], rules: only('x-one') }),
      httpRoute('bad-section', { parentRefs: [{ name: 'match', sectionName: 'nope' }], hostnames: ['bad.test'], rules: only('x-one') }),
      httpRoute('section-port-mismatch', { parentRefs: [{ name: 'match', sectionName: 'http', port: 7999 }], hostnames: ['bad.test'], rules: only('x-one') }),
      httpRoute('guest', { parentRefs: [{ name: 'match', namespace: NS }], hostnames: ['guest.test'], rules: only('guest-svc') }, GUEST),
      gateway('kinds', [
        httpListener('grpc-only', 7120, { hostname: 'grpc.test', allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } }),
        httpListener('unknown-kind', 7120, { hostname: 'unknown.test', allowedRoutes: { kinds: [{ kind: 'NotARoute' }] } }),
        httpListener('mixed-kinds', 7120, { hostname: 'mixed.test', allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }, { kind: 'NotARoute' }] } }),
      ]),
      httpRoute('to-grpc-only', { parentRefs: [{ name: 'kinds', sectionName: 'grpc-only' }], rules: only('x-one') }),
      ...backends.manifests,
    ];
    await dir.write('listeners.yaml', documents(...objects));
    check = await checkJson(dir.path);
    served = await serveGateways(dir.path, PORTS);
  }, 60_000);

  afterAll(async () => {
    await served?.cli.stop();
    await backends.close();
    await dir?.remove();
  });

  type Case = readonly [port: number, host: string, method: string, path: string, headers: Record<string, string>, expected: string];
  const none = {};
  const cases: Case[] = [
    // httproute-listener-port-matching: parentRef port, and port with sectionName.
    [7080, 'foo.test', 'GET', '/', none, 'x-one'],
    [7081, 'foo.test:7081', 'GET', '/', none, 'x-two'],
    [7081, 'bar.test:7081', 'GET', '/', none, 'x-two'],
    [7082, 'foo.test:7082', 'GET', '/', none, 'x-three'],
    [7082, 'bar.test:7082', 'GET', '/', none, '404'],
    // httproute-listener-hostname-matching: sectionName, wildcards of one or more labels.
    [7090, 'bar.test', 'GET', '/', none, 'x-one'],
    [7090, 'foo.bar.test', 'GET', '/', none, 'x-two'],
    [7090, 'baz.bar.test', 'GET', '/', none, 'x-three'],
    [7090, 'multiple.prefixes.bar.test', 'GET', '/', none, 'x-three'],
    [7090, 'multiple.prefixes.foo.test', 'GET', '/', none, 'x-three'],
    [7090, 'foo.test', 'GET', '/', none, '404'],
    [7090, 'no.matching.host', 'GET', '/', none, '404'],
    [7090, 'nowhere.test', 'GET', '/', none, '404'],
    // httproute-multiple-gateways: a route shared by two Gateways, one dedicated to each.
    [7100, 'any.test', 'GET', '/shared', none, 'x-one'],
    [7100, 'any.test', 'GET', '/', none, 'x-two'],
    [7101, 'any.test', 'GET', '/shared', none, 'x-one'],
    [7101, 'any.test', 'GET', '/', none, 'x-three'],
    // httproute-matching and httproute-matching-across-routes.
    [7110, 'across.test', 'GET', '/', none, 'x-one'],
    [7110, 'across.test', 'GET', '/example', none, 'x-one'],
    [7110, 'across.net', 'GET', '/example', none, 'x-one'],
    [7110, 'across.test', 'GET', '/example', { version: 'one' }, 'x-one'],
    [7110, 'across.test', 'GET', '/v2', none, 'x-two'],
    [7110, 'across.net', 'GET', '/v2', none, 'x-one'],
    [7110, 'across.test', 'GET', '/v2/example', none, 'x-two'],
    [7110, 'across.test', 'GET', '/v2/', none, 'x-two'],
    [7110, 'across.test', 'GET', '/v2example', none, 'x-one'],
    [7110, 'across.test', 'GET', '/foo/v2/example', none, 'x-one'],
    [7110, 'across.test', 'GET', '/', { Version: 'two' }, 'x-two'],
    // httproute-query-param-matching.
    [7110, 'query.test', 'GET', '/?animal=whale', none, 'x-one'],
    [7110, 'query.test', 'GET', '/?animal=dolphin', none, 'x-two'],
    [7110, 'query.test', 'GET', '/?animal=dolphin&color=blue', none, 'x-three'],
    [7110, 'query.test', 'GET', '/?ANIMAL=Whale', none, 'x-three'],
    [7110, 'query.test', 'GET', '/?animal=whale&otherparam=irrelevant', none, 'x-one'],
    [7110, 'query.test', 'GET', '/?animal=dolphin&color=yellow', none, 'x-two'],
    [7110, 'query.test', 'GET', '/?color=blue', none, '404'],
    [7110, 'query.test', 'GET', '/?animal=dog', none, '404'],
    [7110, 'query.test', 'GET', '/?animal=whaledolphin', none, '404'],
    [7110, 'query.test', 'GET', '/', none, '404'],
    [7110, 'query.test', 'GET', '/path1?animal=whale', none, 'x-one'],
    [7110, 'query.test', 'GET', '/?animal=whale', { version: 'one' }, 'x-two'],
    [7110, 'query.test', 'GET', '/path2?animal=whale', { version: 'two' }, 'x-three'],
    [7110, 'query.test', 'GET', '/path3?animal=shark', none, 'x-one'],
    [7110, 'query.test', 'GET', '/path4?animal=kraken', { version: 'three' }, 'x-one'],
    [7110, 'query.test', 'GET', '/?animal=shark', none, '404'],
    [7110, 'query.test', 'GET', '/path4?animal=kraken', none, '404'],
    [7110, 'query.test', 'GET', '/path5?animal=hydra', none, 'x-one'],
    [7110, 'query.test', 'GET', '/?animal=hydra', { version: 'four' }, 'x-three'],
    // httproute-method-matching.
    [7110, 'method.test', 'POST', '/', none, 'x-one'],
    [7110, 'method.test', 'GET', '/', none, 'x-two'],
    [7110, 'method.test', 'HEAD', '/', none, '404'],
    [7110, 'method.test', 'GET', '/path1', none, 'x-one'],
    [7110, 'method.test', 'PUT', '/', { version: 'one' }, 'x-two'],
    [7110, 'method.test', 'POST', '/path2', { version: 'two' }, 'x-three'],
    [7110, 'method.test', 'PATCH', '/path3', none, 'x-one'],
    [7110, 'method.test', 'DELETE', '/path4', { version: 'three' }, 'x-one'],
    [7110, 'method.test', 'PUT', '/', none, '404'],
    [7110, 'method.test', 'DELETE', '/path4', none, '404'],
    [7110, 'method.test', 'PATCH', '/path5', none, 'x-one'],
    [7110, 'method.test', 'PATCH', '/', { version: 'four' }, 'x-two'],
    // httproute-header-matching.
    [7110, 'header.test', 'GET', '/', { Version: 'one' }, 'x-one'],
    [7110, 'header.test', 'GET', '/', { Version: 'two' }, 'x-two'],
    [7110, 'header.test', 'GET', '/', { Version: 'two', Color: 'orange' }, 'x-one'],
    [7110, 'header.test', 'GET', '/', { Version: 'two', Color: 'blue' }, 'x-two'],
    [7110, 'header.test', 'GET', '/', { Color: 'orange' }, '404'],
    [7110, 'header.test', 'GET', '/', { 'Some-Other-Header': 'one' }, '404'],
    [7110, 'header.test', 'GET', '/', { Color: 'blue' }, 'x-one'],
    [7110, 'header.test', 'GET', '/', { Color: 'green' }, 'x-one'],
    [7110, 'header.test', 'GET', '/', { Color: 'red' }, 'x-two'],
    [7110, 'header.test', 'GET', '/', { Color: 'yellow' }, 'x-two'],
    [7110, 'header.test', 'GET', '/', { Color: 'purple' }, '404'],
    // httproute-path-match-order and httproute-exact-path-matching.
    [7110, 'order.test', 'GET', '/match/exact/one', none, 'x-three'],
    [7110, 'order.test', 'GET', '/match/exact', none, 'x-two'],
    [7110, 'order.test', 'GET', '/match', none, 'x-one'],
    [7110, 'order.test', 'GET', '/match/prefix/one/any', none, 'x-two'],
    [7110, 'order.test', 'GET', '/match/prefix/any', none, 'x-one'],
    [7110, 'order.test', 'GET', '/match/any', none, 'x-three'],
    [7110, 'exact.test', 'GET', '/one', none, 'x-one'],
    [7110, 'exact.test', 'GET', '/two', none, 'x-two'],
    [7110, 'exact.test', 'GET', '/', none, '404'],
    [7110, 'exact.test', 'GET', '/one/example', none, '404'],
    [7110, 'exact.test', 'GET', '/two/', none, '404'],
    [7110, 'exact.test', 'GET', '/Two', none, '404'],
    // Routes that did not attach, and a listener that admits GRPCRoutes only.
    [7110, 'bad.test', 'GET', '/', none, '404'],
    [7110, 'guest.test', 'GET', '/', none, '404'],
    [7120, 'grpc.test', 'GET', '/', none, '404'],
  ];

  test.each(cases)('port %i, %s %s %s %j → %s', async (port, host, method, path, headers, expected) => {
    const answer = await send(served.urlOf(port), { host, method, path, headers });
    if (expected === '404') expect({ status: answer.status, upstream: answer.headers['x-upstream'] }).toEqual({ status: 404, upstream: undefined });
    else expect({ status: answer.status, upstream: answer.headers['x-upstream'] }).toEqual({ status: 200, upstream: expected });
  });

  test.each([
    ['conf/nowhere', 'False/NoMatchingListenerHostname'],
    ['conf/bad-port', 'False/NoMatchingParent'],
    ['conf/bad-section', 'False/NoMatchingParent'],
    ['conf/section-port-mismatch', 'False/NoMatchingParent'],
    [`${GUEST}/guest`, 'False/NotAllowedByListeners'],
    ['conf/to-grpc-only', 'False/NotAllowedByListeners'],
    ['conf/by-port-and-section', 'True/Accepted'],
  ])('check: %s is Accepted %s', (route, accepted) => {
    expect(routeConditions(check, route).Accepted).toBe(accepted);
  });

  test('check: attachedRoutes per listener; unknown route kinds are InvalidRouteKinds, leaving the kinds it knows', () => {
    expect(['n1', 'n2', 'n3', 'n4'].map((name) => listenerOf(check, 'conf/names', name).attachedRoutes)).toEqual([1, 1, 1, 1]);
    expect(listenerOf(check, 'conf/match', 'http').attachedRoutes).toBe(7);
    const unknown = listenerOf(check, 'conf/kinds', 'unknown-kind');
    expect({ kinds: unknown.supportedKinds.map((k) => k.kind), resolvedRefs: conditionMap(unknown.conditions).ResolvedRefs }).toEqual({ kinds: [], resolvedRefs: 'False/InvalidRouteKinds' });
    const mixed = listenerOf(check, 'conf/kinds', 'mixed-kinds');
    expect({ kinds: mixed.supportedKinds.map((k) => k.kind), resolvedRefs: conditionMap(mixed.conditions).ResolvedRefs }).toEqual({ kinds: ['HTTPRoute'], resolvedRefs: 'False/InvalidRouteKinds' });
  });
});

// ---------------------------------------------------------------------------------------------
// Status only (switchyard check): listener protocols and cross-namespace certificateRefs

describe('check --json (conformance: gateway-invalid-listeners-unsupported-protocol, gateway-secret-*-reference-grant, gateway-invalid-tls-configuration)', () => {
  let check: CheckJson;
  let dir: Dir;
  const VAULT = 'conf-vault';

  beforeAll(async () => {
    dir = await tempDir();
    const ca = await createTestCa();
    const pair = await ca.issue({ hosts: ['certs.test'] });
    const https = (name: string, secret: string, ns?: string): Json => ({ name, port: 7150, protocol: 'HTTPS', hostname: `${name}.certs.test`, tls: { certificateRefs: [{ name: secret, ...(ns ? { namespace: ns } : {}) }] } });
    const fromGateways = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: NS }];
    await dir.write(
      'status.yaml',
      documents(
        namespace(NS),
        namespace(VAULT),
        gateway('mixed-protocols', [{ name: 'tcp', port: 7130, protocol: 'TCP' }, httpListener('http', 7131)]),
        gateway('tcp-only', [{ name: 'tcp', port: 7140, protocol: 'TCP' }]),
        gateway('certs', [https('granted', 'granted-cert', VAULT), https('ungranted', 'ungranted-cert', VAULT), https('wrong-name', 'other-cert', VAULT), https('missing', 'no-such-cert')]),
        tlsSecret('granted-cert', VAULT, pair) as unknown as Json,
        tlsSecret('ungranted-cert', VAULT, pair) as unknown as Json,
        tlsSecret('other-cert', VAULT, pair) as unknown as Json,
        referenceGrant('certs', VAULT, fromGateways, [{ group: '', kind: 'Secret', name: 'granted-cert' }]),
        referenceGrant('not-this-one', VAULT, fromGateways, [{ group: '', kind: 'Secret', name: 'some-other-cert' }]),
      ),
    );
    check = await checkJson(dir.path);
  }, 30_000);

  afterAll(async () => {
    await dir?.remove();
  });

  test('a listener of an unsupported protocol is not Accepted (UnsupportedProtocol); its Gateway is Accepted while one listener is', () => {
    const mixed = check.status.gateways.find((g) => g.gateway === 'conf/mixed-protocols')!;
    expect(conditionMap(mixed.conditions).Accepted).toBe('True/ListenersNotValid');
    expect(conditionMap(listenerOf(check, 'conf/mixed-protocols', 'tcp').conditions).Accepted).toBe('False/UnsupportedProtocol');
    expect(conditionMap(listenerOf(check, 'conf/mixed-protocols', 'http').conditions).Accepted).toBe('True/Accepted');
  });

  // Switchyard says Accepted True (ListenersNotValid) for a Gateway none of whose listeners is
  // accepted (reported; see the conformance doc).
  test('a Gateway with no accepted listener is not Accepted (ListenersNotValid)', () => {
    expect(conditionMap(listenerOf(check, 'conf/tcp-only', 'tcp').conditions).Accepted).toBe('False/UnsupportedProtocol');
    const tcpOnly = check.status.gateways.find((g) => g.gateway === 'conf/tcp-only')!;
    expect(conditionMap(tcpOnly.conditions).Accepted).toBe('False/ListenersNotValid');
  });

  test.each([
    ['granted', 'True/ResolvedRefs'],
    ['ungranted', 'False/RefNotPermitted'],
    ['wrong-name', 'False/RefNotPermitted'],
    ['missing', 'False/InvalidCertificateRef'],
  ])('an HTTPS listener\'s certificateRef (%s): ResolvedRefs %s', (listener, resolvedRefs) => {
    expect(conditionMap(listenerOf(check, 'conf/certs', listener).conditions).ResolvedRefs).toBe(resolvedRefs);
  });
});
