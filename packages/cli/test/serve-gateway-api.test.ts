import http from 'node:http';
import { loadManifests } from '@switchyard/core';
import { backendsOf, createTestCa, eventually, fillBackendPorts, gatewaySpecCases, startUpstream, tlsSecret, type GatewaySpecRequest, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, startCli, type CliProcess } from './helpers/cli-process.js';
import { ACROSS_PROCESSES } from './helpers/http-get.js';
import { documents, tempDir } from './helpers/manifests.js';
import { requestLabel } from './helpers/spec-cases.js';
import { servedNames } from './helpers/tls-client.js';

type Dir = Awaited<ReturnType<typeof tempDir>>;

/** The `switchyard: gateway PORT SCHEME URL` lines serve printed, by listener port. */
function gatewayUrls(stdout: string): Map<number, string> {
  return new Map([...stdout.matchAll(/^switchyard: gateway (\d+) (https?) (\S+)$/gm)].map((m) => [Number(m[1]), m[3]!]));
}

/** The listener ports of the Gateways in a manifest text. */
function listenerPorts(manifests: string): number[] {
  const ports = loadManifests(manifests).objects.filter((o) => o.kind === 'Gateway').flatMap((o) => ((o as { spec?: { listeners?: Array<{ port: number }> } }).spec?.listeners ?? []).map((l) => l.port));
  return [...new Set(ports)];
}

/** A request of a spec case sent over a real socket: method, Host as written, headers, path and query. */
function send(url: string, request: GatewaySpecRequest): Promise<{ status: number; upstream: string | undefined }> {
  const target = new URL(`${request.path}${request.query ? `?${request.query}` : ''}`, url);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(target, { method: request.method ?? 'GET', headers: { ...request.headers, host: request.host }, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, upstream: response.headers['x-upstream'] as string | undefined }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * Every spec case end to end: `switchyard serve --gateway-class` on the case's manifests, each
 * backend a real upstream answering with its name, each listener port bound to 127.0.0.1:0
 * with `--bind`, and every request of the case sent to the port it names.
 */
describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('serve, spec case: %s', (_name, specCase) => {
  let dir: Dir;
  let upstreams: Upstream[] = [];
  let cli: CliProcess;
  let urls: Map<number, string>;

  beforeAll(async () => {
    dir = await tempDir();
    const backends = backendsOf(specCase.manifests);
    upstreams = await Promise.all(backends.map((b) => startUpstream(`${b.namespace}/${b.name}`)));
    const portOf = new Map(upstreams.map((u) => [u.name, u.port]));
    const manifests = fillBackendPorts(specCase.manifests, (namespace, name) => portOf.get(`${namespace}/${name}`)!);
    const file = await dir.write('case.yaml', manifests);
    const binds = listenerPorts(manifests).flatMap((port) => ['--bind', `${port}=127.0.0.1:0`]);
    cli = startCli(['serve', '-f', file, '--gateway-class', 'switchyard', ...binds, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
    await cli.waitFor('stdout', /^switchyard: serving\b.*$/m);
    urls = gatewayUrls(cli.stdout);
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await Promise.all(upstreams.map((u) => u.close()));
    await dir?.remove();
  });

  test('prints one line per served Gateway listener port, bound where --bind said', () => {
    expect(urls.size).toBeGreaterThan(0);
    for (const url of urls.values()) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.stdout).toMatch(/^switchyard: serving \d+ routes and \d+ HTTPRoute backends on Gateway ports [\d, ]+ from /m);
  });

  const requests = specCase.requests.map((request) => [requestLabel(request), request] as const);
  const answers = async (request: GatewaySpecRequest): Promise<void> => {
    const url = urls.get(request.port);
    // A port no served listener uses is not listened on at all: the spec's 404, a refused connection here.
    if (url === undefined && 'status' in request.expect) return;
    expect(url, `no gateway line for port ${request.port}:\n${cli.stdout}`).toBeDefined();
    const answer = await send(url!, request);
    if ('status' in request.expect) {
      expect(answer).toMatchObject({ status: 404, upstream: undefined });
      return;
    }
    expect({ status: answer.status, backend: answer.upstream?.split('/')[1] }).toEqual({ status: 200, backend: request.expect.backend });
  };
  test.each(requests)('%s', (_label, request) => answers(request));
});

const PLAIN_GATEWAY = (port: number, name = 'web') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: shop }
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: ${port}
    protocol: HTTP
`;

describe('serve --gateway-class: ports', () => {
  let dir: Dir;

  beforeAll(async () => {
    dir = await tempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  test('a listener port below 1024 without --bind is a usage error naming --bind (exit 2)', async () => {
    const file = await dir.write('low.yaml', PLAIN_GATEWAY(80));
    const result = await runCli(['serve', '-f', file, '--gateway-class', 'switchyard', '--listen', '127.0.0.1:0', '--no-admin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchyard: Gateway listener port 80 is below 1024: give --bind 80=HOST:PORT .*\[SWY_CLI_USAGE\]$/m);
  }, 30_000);

  test('a --bind on the address of the Ingress listener (its default 127.0.0.1:8080 too) is a usage error naming both (exit 2), not "address in use"', async () => {
    const file = await dir.write('clash.yaml', PLAIN_GATEWAY(8080));
    const result = await runCli(['serve', '-f', file, '--gateway-class', 'switchyard', '--bind', '8080=127.0.0.1:8080', '--no-admin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--bind 8080=127\.0\.0\.1:8080 is also the address of the Ingress listener \(--listen, default 127\.0\.0\.1:8080\): give one of them another address .*\[SWY_CLI_USAGE\]$/m);
  }, 30_000);

  test('without --gateway-class, serve says once that the Gateway API objects are not served', async () => {
    const file = await dir.write('unserved.yaml', PLAIN_GATEWAY(80));
    const cli = startCli(['serve', '-f', file, '--listen', '127.0.0.1:0', '--no-admin']);
    try {
      await cli.waitFor('stdout', /^switchyard: serving\b/m);
      expect(cli.stdout).not.toMatch(/^switchyard: gateway /m);
      expect(cli.stderr.split('\n').filter((line) => line.includes('SWY_CLI_GATEWAY_API_NOT_SERVED'))).toHaveLength(1);
      expect(cli.stderr).toMatch(/1 Gateway, which are not served without --gateway-class: give --gateway-class switchyard/);
    } finally {
      await cli.stop();
    }
  }, 30_000);

  test('a reload that adds a port cannot bind it: said on stderr and in /readyz, the bound port keeps serving', async () => {
    const sub = await tempDir();
    try {
      await sub.write('a.yaml', PLAIN_GATEWAY(18181, 'first'));
      const cli = startCli(['serve', '-f', sub.path, '--gateway-class', 'switchyard', '--bind', '18181=127.0.0.1:0', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
      try {
        const urls = await cli.urls();
        expect([...gatewayUrls(cli.stdout).keys()]).toEqual([18181]);
        const readyz = async (): Promise<{ status: { gateway: { ports: unknown; restartNeeded: unknown } } }> => (await fetch(`${urls.admin}/readyz`)).json() as never;
        const before = await readyz();
        expect(before.status.gateway).toMatchObject({ ports: [{ port: 18181, protocol: 'HTTP' }], restartNeeded: false });

        await sub.write('b.yaml', PLAIN_GATEWAY(18182, 'second'));
        await cli.waitFor('stderr', /Gateway listener ports changed: port 18182 added \(not listened on\).*\[SWY_CLI_GATEWAY_PORTS_CHANGED\]/, 20_000);
        const pending = { code: 'SWY_CLI_GATEWAY_PORTS_CHANGED', added: [18182], removed: [], protocolChanged: [] };
        await eventually('/readyz shows the port waiting for a restart', async () => JSON.stringify((await readyz()).status.gateway.restartNeeded) === JSON.stringify(pending), ACROSS_PROCESSES);
        // The port bound at startup is still the only one listened on.
        expect([...gatewayUrls(cli.stdout).keys()]).toEqual([18181]);
      } finally {
        await cli.stop();
      }
    } finally {
      await sub.remove();
    }
  }, 60_000);
});

describe('serve --gateway-class: an HTTPS listener port', () => {
  let dir: Dir;
  let cli: CliProcess;
  let ca: Awaited<ReturnType<typeof createTestCa>>;

  beforeAll(async () => {
    dir = await tempDir();
    ca = await createTestCa();
    const shop = await ca.issue({ hosts: ['shop.example.com'] });
    const fallback = await ca.issue({ hosts: ['fallback.example.com'] });
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'tls', namespace: 'shop' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [
          { name: 'shop', port: 8443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { certificateRefs: [{ name: 'shop-tls' }] } },
          { name: 'any', port: 8443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'fallback-tls' }] } },
        ],
      },
    };
    const file = await dir.write('tls.yaml', documents(gateway, tlsSecret('shop-tls', 'shop', shop), tlsSecret('fallback-tls', 'shop', fallback)));
    cli = startCli(['serve', '-f', file, '--gateway-class', 'switchyard', '--bind', '8443=127.0.0.1:0', '--listen', '127.0.0.1:0', '--no-admin']);
    await cli.waitFor('stdout', /^switchyard: serving\b/m);
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await dir?.remove();
  });

  test('is served over TLS, each listener hostname with its certificate by SNI, the hostname-less listener\'s for the rest', async () => {
    expect(cli.stdout).toMatch(/^switchyard: gateway 8443 https https:\/\/127\.0\.0\.1:\d+$/m);
    const url = gatewayUrls(cli.stdout).get(8443)!;
    expect(await servedNames(url, 'shop.example.com', ca.certPem)).toEqual(['shop.example.com']);
    expect(await servedNames(url, 'other.example.com', ca.certPem)).toEqual(['fallback.example.com']);
    expect(await servedNames(url, undefined, ca.certPem)).toEqual(['fallback.example.com']);
  });
});
