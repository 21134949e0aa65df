import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The SDK installs outside this repository (issue 12, item 5): every published package is packed
 * with `pnpm pack`, the tarballs are installed with plain `npm` into a fresh project under the OS
 * temp directory (no workspace links, no `source` condition), and the fastify README's "A gateway
 * in a few lines" runs there after its project's own `tsc` (strict, NodeNext) has checked it.
 * These are the steps the root README's "Use it in your project" section lists.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PUBLISHED = ['core', 'dns', 'kubernetes', 'tls', 'fastify', 'cli'] as const;
/** Installing and building from nothing takes a minute or two on a loaded machine. */
const SETUP_TIMEOUT_MS = 300_000;
/** A step that hangs (a server the example never closes) fails instead of stalling the suite. */
const STEP_TIMEOUT_MS = 120_000;

const exec = promisify(execFile);

async function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: cleanEnv() });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

/**
 * The environment without what pnpm, vitest or a `--conditions=source` run put there: the temp
 * project must resolve and run as a stranger's would. A registry setting stays (CI may give one).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) {
    if (/^npm_config_.*registry$/i.test(key)) continue;
    if (key.startsWith('npm_') || key.startsWith('VITEST') || key.startsWith('PNPM_')) delete env[key];
  }
  return env;
}

/** pnpm as the test command ran it, or the version `packageManager` pins. */
async function pnpm(args: readonly string[]): Promise<string> {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath) && existsSync(execPath)) return run(process.execPath, [execPath, ...args], ROOT);
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string };
  return run('npx', ['-y', manifest.packageManager, ...args], ROOT);
}

async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Replaces `from` in the README's code, which must hold it exactly once: a changed README fails here, loudly. */
function replaceOnce(code: string, from: string, to: string): string {
  const at = code.indexOf(from);
  if (at < 0 || code.indexOf(from, at + 1) >= 0) throw new Error(`the README example should contain ${JSON.stringify(from)} exactly once`);
  return code.slice(0, at) + to + code.slice(at + from.length);
}

/** The first ```ts block under the heading, as written in the README. */
async function readmeExample(readme: string, heading: string): Promise<string> {
  const text = await readFile(join(ROOT, readme), 'utf8');
  const block = text.split(`${heading}\n`)[1]?.match(/```ts\n([\s\S]*?)```/);
  if (!block?.[1]) throw new Error(`${readme} has no \`\`\`ts block under "${heading}"`);
  return block[1];
}

/**
 * The README's gateway with its two addresses made local: the proxy and admin listeners on free
 * loopback ports, the upstream (3000 in the README) a server this file starts. It then sends the
 * README's curl through the gateway, prints what came back and closes everything, so it ends.
 */
function gatewayProgram(example: string): string {
  let code = replaceOnce(example, "listen: { host: '127.0.0.1', port: 8080 }", "listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }");
  code = replaceOnce(code, "{ address: '127.0.0.1', port: 3000 }", "{ address: '127.0.0.1', port: upstreamPort }");
  return `import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = createServer((req, res) => res.end(\`upstream: \${req.headers.host} \${req.url}\`));
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

// ---- packages/fastify/README.md, "A gateway in a few lines" ----
${code}// ---- end of the README's code ----

const url = new URL(gateway.urls.http);
const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
  request({ host: url.hostname, port: url.port, path: '/cart', headers: { host: 'shop.example.com' } }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
  })
    .on('error', reject)
    .end();
});
await gateway.close();
router.close();
await discovery.close();
await new Promise((resolve) => upstream.close(resolve));
console.log(\`RESULT \${JSON.stringify(answer)}\`);
`;
}

/** Every other entry point a user imports: the subpaths and the other packages. */
const ENTRY_POINTS_PROGRAM = `import { loadManifestFiles } from '@switchyard/core/files';
import { createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { check } from '@switchyard/cli';
import * as dns from '@switchyard/dns';
import * as kubernetes from '@switchyard/kubernetes';
import * as tls from '@switchyard/tls';

const loaded = await loadManifestFiles(['ingress.yaml']);
const result = await check({ files: ['ingress.yaml'] });
console.log(\`RESULT \${JSON.stringify({
  objects: loaded.objects.length,
  matcher: typeof createSegmentTrieMatcher,
  check: result.ok,
  packages: [dns, kubernetes, tls].map((exports) => Object.keys(exports).length > 0),
})}\`);
`;

const INGRESS_YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: default }
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: shop, port: { number: 80 } } } }
`;

/** A strict NodeNext project, as `tsc --init` makes it (skipLibCheck too: @kubernetes/client-node's types need @types/ws otherwise). */
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'dist', types: ['node'] },
  include: ['*.ts'],
};

function result(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line in:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length));
}

describe('the published packages, packed and installed with npm outside the workspace', () => {
  let work: string;
  let project: string;
  let tarballs: string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
    project = join(work, 'app');
    const packed = join(work, 'tarballs');
    // Up to date after `pnpm test`'s own `tsc -b` (then this is a quick no-op); builds dist when run alone.
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], ROOT);
    // The root README's command: every package under packages/ but the private test kit.
    await pnpm(['-r', '--filter', './packages/*', '--filter', '!@switchyard/test-utils', 'pack', '--pack-destination', packed]);
    tarballs = (await readdir(packed)).map((file) => join(packed, file));

    await mkdir(project);
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2)}\n`);
    await writeFile(join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    await writeFile(join(project, 'ingress.yaml'), INGRESS_YAML);
    const [typescript, typesNode] = [await installedVersion('typescript'), await installedVersion('@types/node')];
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'fastify', `typescript@${typescript}`, `@types/node@${typesNode}`], project);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  test('each tarball holds its built dist (.js and .d.ts), no tests or build info, and no workspace: or catalog: specifier', async () => {
    expect(tarballs.map((file) => file.split('/').pop()).sort()).toEqual(PUBLISHED.map((name) => `switchyard-${name}-0.1.0.tgz`).sort());
    for (const tarball of tarballs) {
      const files = (await run('tar', ['tzf', tarball], work)).split('\n').filter(Boolean);
      expect(files, tarball).toContain('package/dist/index.js');
      expect(files, tarball).toContain('package/dist/index.d.ts');
      expect(files.filter((file) => /\/test\/|\.test\.|tsbuildinfo/.test(file)), tarball).toEqual([]);
      const manifest = await run('tar', ['xzf', tarball, '-O', 'package/package.json'], work);
      expect(manifest, tarball).not.toMatch(/"(workspace|catalog):/);
      // The `source` condition is the workspace's: published exports point at dist only.
      expect(manifest, tarball).not.toContain('"source"');
    }
  });

  test('every @switchyard package in the installed tree came from these tarballs, not a registry', async () => {
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; version?: string }> };
    // A path that ends in an @switchyard package; a dependency nested under one (core's js-yaml) is not ours.
    const ours = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/@switchyard\/[^/]+$/.test(path));
    // One copy of each, at the top: the satellites' `@switchyard/core@^0.1.0` resolved to the local core.
    expect(ours.map(([path]) => path).sort()).toEqual(PUBLISHED.map((name) => `node_modules/@switchyard/${name}`).sort());
    for (const [path, entry] of ours) expect(entry.resolved, path).toMatch(/^file:.*switchyard-[a-z]+-0\.1\.0\.tgz$/);
    for (const name of PUBLISHED) {
      const installed = await readFile(join(project, 'node_modules/@switchyard', name, 'dist/index.js'), 'utf8');
      expect(installed, name).toBe(await readFile(join(ROOT, 'packages', name, 'dist/index.js'), 'utf8'));
    }
  });

  test("the fastify README's gateway type-checks with the project's tsc and proxies a request under plain node", async () => {
    await writeFile(join(project, 'gateway.ts'), gatewayProgram(await readmeExample('packages/fastify/README.md', '## A gateway in a few lines')));
    await writeFile(join(project, 'entry-points.ts'), ENTRY_POINTS_PROGRAM);
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], project);

    expect(result(await run(process.execPath, ['dist/gateway.js'], project))).toEqual({ status: 200, body: 'upstream: shop.example.com /cart' });
    expect(result(await run(process.execPath, ['dist/entry-points.js'], project))).toEqual({ objects: 1, matcher: 'function', check: true, packages: [true, true, true] });
  });

  test('the switchyard bin runs from node_modules/.bin', async () => {
    expect(await run(process.execPath, ['node_modules/.bin/switchyard', '--version'], project)).toBe('switchyard 0.1.0\n');
    await run(process.execPath, ['node_modules/.bin/switchyard', 'check', '-f', 'ingress.yaml'], project);
  });
});
