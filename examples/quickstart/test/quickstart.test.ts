import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLE_REQUESTS, startQuickstart, tryRequest, type Quickstart } from '../src/quickstart.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

/** Free TCP ports on 127.0.0.1 (bound and released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => resolve(s)); })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

let dir: string;
let manifest: string;

// The shipped manifest, with the demo upstreams moved to free ports so tests never collide.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swy-quickstart-'));
  const [a, b, c] = await freePorts(3);
  const text = (await readFile(join(exampleDir, 'ingress.yaml'), 'utf8')).replaceAll('9101', String(a)).replaceAll('9102', String(b)).replaceAll('9103', String(c));
  manifest = join(dir, 'ingress.yaml');
  await writeFile(manifest, text);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the quickstart gateway', () => {
  let quickstart: Quickstart;
  /** What the gateway reported while loading the manifest: diagnostics and reloads. */
  const reported: string[] = [];
  beforeAll(async () => {
    quickstart = await startQuickstart({ manifest, listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, report: (line) => void reported.push(line) });
  });

  test('the shipped manifest compiles without errors or warnings', () => {
    expect(reported.filter((line) => /\b(error|warning) SWY_/.test(line))).toEqual([]);
  });
  afterAll(async () => quickstart.close());

  test.each([
    ['shop.example.com', '/', 'storefront answered GET /'],
    ['shop.example.com', '/api/orders/42?expand=items', 'api answered GET /api/orders/42?expand=items'],
    ['shop.example.com', '/api/health', 'fallback answered GET /api/health'],
    ['acme.shop.example.com', '/catalog', 'storefront answered GET /catalog'],
    ['shop.example.com', '//api/../docs/intro', 'storefront answered GET /docs/intro'],
    ['localhost', '/docs/intro', 'api answered GET /docs/intro'],
    ['unknown.example.org', '/anything', 'fallback answered GET /anything'],
  ])('%s%s: %s', async (host, path, answer) => {
    const { status, line } = await tryRequest(quickstart.urls.http, host, path);
    expect(status).toBe(200);
    expect(line).toContain(answer);
  });

  test('the admin listener lists the routes and is ready', async () => {
    const routes = await fetch(`${quickstart.urls.admin}/routes`).then((r) => r.json() as Promise<{ routes: unknown[] }>);
    expect(routes.routes.length).toBeGreaterThanOrEqual(6);
    expect((await fetch(`${quickstart.urls.admin}/readyz`)).status).toBe(200);
  });
});

test('the README command runs: demo upstreams, gateway, every sample answered 200', async () => {
  const { stdout } = await promisify(execFile)(tsx, ['--conditions=source', 'src/main.ts', '-f', manifest, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--once'], { cwd: exampleDir });
  expect(stdout).toMatch(/Switchyard is proxying on http:\/\/127\.0\.0\.1:\d+/);
  expect(stdout).toContain("curl -H 'Host: shop.example.com'");
  expect(stdout.match(/-> 200 /g)).toHaveLength(SAMPLE_REQUESTS.length);
}, 60_000);

test('a busy demo port is one clear line and exit 1', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const port = (blocker.address() as import('node:net').AddressInfo).port;
  const busy = join(dir, 'busy.yaml');
  await writeFile(busy, (await readFile(manifest, 'utf8')).replace(/port: \d+\nendpoints/, `port: ${port}\nendpoints`));
  try {
    const run = promisify(execFile)(tsx, ['--conditions=source', 'src/main.ts', '-f', busy, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--once'], { cwd: exampleDir });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^quickstart: demo upstream \w+ cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/) });
  } finally {
    blocker.close();
  }
}, 60_000);

// Ctrl-C in a terminal signals the whole process group, and pnpm forwards SIGINT to its child on top:
// the gateway sees it twice and must still drain and exit 0, or pnpm prints ELIFECYCLE.
test('Ctrl-C while serving: drains and exits 0, nothing on stderr', async () => {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', '-f', manifest, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], { cwd: exampleDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('unknown.example.org/anything\n    -> ') && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(stdout).toMatch(/Switchyard is proxying on http:\/\/127\.0\.0\.1:\d+/);
  process.kill(-child.pid!, 'SIGINT');
  // pnpm's copy arrives a moment later (signals sent together would merge into one).
  await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill('SIGINT');
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(stderr).toBe('');
}, 60_000);

// `sh -c` (dash) dies of SIGINT while it waits for a child, and pnpm reports that as ELIFECYCLE;
// `exec` puts the gateway in the shell's place so pnpm sees the gateway's own exit status.
test('the start scripts exec their command, so no shell sits between pnpm and the gateway', async () => {
  const example = JSON.parse(await readFile(join(exampleDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const root = JSON.parse(await readFile(join(exampleDir, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(example.scripts['start']).toMatch(/^exec /);
  expect(root.scripts['quickstart']).toMatch(/^exec /);
});
