import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const switchyardBin = fileURLToPath(new URL('../../../packages/cli/bin/switchyard.js', import.meta.url));
/** The demo upstream ports the shipped manifests use; the test moves them to free ones. */
const SHIPPED_UPSTREAM_PORTS = ['9201', '9202', '9203', '9204'];

/** Free TCP ports on 127.0.0.1 (bound and released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<Server>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => resolve(s)); })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request to a listener URL with its own Host (and, over TLS, SNI and the run's CA). */
function send(url: string, host: string, path: string, options: { headers?: Record<string, string>; agent?: http.Agent } = {}): Promise<Answer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request({ host: target.hostname, port: target.port, path, servername: host, headers: { ...options.headers, host }, agent: options.agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * The example as a user runs it (`pnpm gateway-api-example`, here its command line): the shipped
 * manifests with the demo upstreams moved to free ports, each Gateway listener port bound to
 * 127.0.0.1:0 with --bind, the URLs and the CA read from what it prints.
 */
describe('the gateway-api example', () => {
  let dir: string;
  let manifests: string;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let urls: { http: string; https: string; admin: string };
  let caFile: string;
  let ca: string;
  let tlsAgent: https.Agent;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swy-gateway-api-'));
    manifests = join(dir, 'manifests');
    await mkdir(manifests);
    const ports = await freePorts(SHIPPED_UPSTREAM_PORTS.length);
    for (const name of await readdir(join(exampleDir, 'manifests'))) {
      let text = await readFile(join(exampleDir, 'manifests', name), 'utf8');
      SHIPPED_UPSTREAM_PORTS.forEach((port, i) => (text = text.replaceAll(port, String(ports[i]))));
      await writeFile(join(manifests, name), text);
    }
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', '-f', manifests, '--bind', '8080=127.0.0.1:0', '--bind', '8443=127.0.0.1:0', '--admin', '127.0.0.1:0'], {
      cwd: exampleDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('Ctrl-C stops everything.') && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const serving = /listener port 8080 \(HTTP\) on (http:\/\/127\.0\.0\.1:\d+), 8443 \(HTTPS, \*\.example\.test\) on (https:\/\/127\.0\.0\.1:\d+), admin on (http:\/\/127\.0\.0\.1:\d+)\./.exec(stdout);
    expect(serving, `stdout:\n${stdout}\nstderr:\n${stderr}`).not.toBeNull();
    urls = { http: serving![1]!, https: serving![2]!, admin: serving![3]! };
    caFile = /its CA is (\S+ca\.pem)$/m.exec(stdout)![1]!;
    ca = await readFile(caFile, 'utf8');
    tlsAgent = new https.Agent({ keepAlive: true, ca });
  }, 60_000);

  afterAll(async () => {
    tlsAgent?.destroy();
    if (child?.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  test('switchyard check finds no error or warning in the manifests and the minted Secret, and serve reported none', async () => {
    const secret = join(dirname(caFile), 'edge-tls.yaml');
    const { stdout: checked } = await promisify(execFile)(process.execPath, [switchyardBin, 'check', '-f', manifests, '-f', secret, '--gateway-class', 'switchyard', '--json']);
    const result = JSON.parse(checked) as { ok: boolean; counts: { error: number; warning: number }; diagnostics: Array<{ code: string; severity: string }> };
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(result).toMatchObject({ ok: true, counts: { error: 0, warning: 0 } });
    expect(stderr).toBe('');
  }, 60_000);

  test('canary: 200 requests to shop.example.test split about 90/10 between shop-v1 and shop-v2', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const answer = await send(urls.https, 'shop.example.test', `/item/${i}`, { agent: tlsAgent });
      expect(answer.status).toBe(200);
      const service = String(answer.headers['x-demo-service']);
      counts.set(service, (counts.get(service) ?? 0) + 1);
    }
    const v1 = counts.get('shop-v1') ?? 0;
    const v2 = counts.get('shop-v2') ?? 0;
    expect(v1 + v2).toBe(200);
    // Weights 90 and 10: both are seen, and shop-v1 far more often (expected 180/20; bounds far out).
    expect(v2).toBeGreaterThan(0);
    expect(v1).toBeGreaterThan(3 * v2);
  }, 60_000);

  test('header rule: x-beta: on always reaches shop-v2', async () => {
    for (let i = 0; i < 20; i++) {
      const answer = await send(urls.https, 'shop.example.test', '/beta', { headers: { 'x-beta': 'on' }, agent: tlsAgent });
      expect({ status: answer.status, service: answer.headers['x-demo-service'] }).toEqual({ status: 200, service: 'shop-v2' });
    }
  });

  test('redirect: plain HTTP for shop.example.test is a 301 to the HTTPS listener, path and query kept', async () => {
    const answer = await send(urls.http, 'shop.example.test', '/cart?id=7');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('https://shop.example.test:8443/cart?id=7');
    expect(answer.headers['x-demo-service']).toBeUndefined();
  });

  test('rewrite: /api/... on api.example.test reaches the api upstream as /v2/..., query kept', async () => {
    const answer = await send(urls.http, 'api.example.test', '/api/orders/7?expand=items');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('api answered GET /v2/orders/7?expand=items (Host: api.example.test, X-Forwarded-Proto: http)\n');
  });

  test('mirror: the shadow upstream gets a copy of each api request; the client gets the api answer', async () => {
    const answer = await send(urls.http, 'api.example.test', '/api/mirrored/42');
    expect(answer.headers['x-demo-service']).toBe('api');
    const copy = 'shadow got a mirrored copy: GET /v2/mirrored/42 (Host: api.example.test, X-Forwarded-Proto: http)';
    const deadline = Date.now() + 5_000;
    while (!stdout.includes(copy) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stdout).toContain(copy);
  });

  test('HTTPS by SNI: each name under example.test gets the minted *.example.test certificate, trusted through the printed CA', async () => {
    const port = Number(new URL(urls.https).port);
    for (const servername of ['shop.example.test', 'api.example.test']) {
      const socket = tls.connect({ host: '127.0.0.1', port, servername, ca });
      try {
        await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
        expect(socket.authorized).toBe(true);
        expect(socket.getPeerCertificate().subjectaltname).toBe('DNS:*.example.test');
      } finally {
        socket.destroy();
      }
    }
    const answer = await send(urls.https, 'api.example.test', '/api/over-tls', { agent: tlsAgent });
    expect(answer.body).toBe('api answered GET /v2/over-tls (Host: api.example.test, X-Forwarded-Proto: https)\n');
  });

  test('the admin listener lists the three HTTPRoutes', async () => {
    const routes = JSON.stringify(await (await fetch(`${urls.admin}/routes`)).json());
    for (const name of ['demo/shop', 'demo/shop-to-https', 'demo/api']) expect(routes).toContain(name);
  });

  // Ctrl-C in a terminal signals the whole process group, and pnpm forwards SIGINT on top.
  test('Ctrl-C: drains, exits 0 with nothing on stderr, and deletes the minted key', async () => {
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
    await expect(access(dirname(caFile))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);
});

// `sh -c` (dash) dies of SIGINT while it waits for a child, and pnpm reports that as ELIFECYCLE;
// `exec` puts the example in the shell's place so pnpm sees its own exit status.
test('the start scripts exec their command, so no shell sits between pnpm and the example', async () => {
  const example = JSON.parse(await readFile(join(exampleDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const root = JSON.parse(await readFile(join(exampleDir, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(example.scripts['start']).toMatch(/^exec /);
  expect(root.scripts['gateway-api-example']).toBe('exec pnpm --filter @switchyard/example-gateway-api start');
});
