import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI_DIR, type CliResult } from './helpers/cli-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const QUICKSTART = join(ROOT, 'examples/quickstart');

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * `npx -y pnpm@10.34.9 switchyard <args>` as pnpm runs it: the root script's text through `sh -c`
 * in the repository root, the arguments appended, INIT_CWD set to where the user typed it.
 */
async function rootScript(args: readonly string[], userDir: string): Promise<CliResult> {
  const scripts = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return run('sh', ['-c', `${scripts['switchyard']} "$@"`, 'sh', ...args], ROOT, { INIT_CWD: userDir });
}

test('the documented form, run from examples/quickstart: a relative -f is read from there', async () => {
  const checked = await rootScript(['check', '-f', 'ingress.yaml'], QUICKSTART);
  expect(checked.stderr).toBe('');
  expect(checked.stdout.trim()).toBe('0 errors, 0 warnings, 0 info: ok');
  expect(checked.code).toBe(0);

  const explained = await rootScript(['explain', '-f', 'ingress.yaml', '--host', 'shop.example.com', '--path', '/api/health'], QUICKSTART);
  expect(explained.stdout).toMatch(/^winner: Exact \/api\/health on shop\.example\.com/m);
  expect(explained.code).toBe(0);
}, 60_000);

test('the root README explain and check examples use the documented form', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('npx -y pnpm@10.34.9 switchyard explain -f examples/quickstart/ingress.yaml');
  expect(readme).toContain('npx -y pnpm@10.34.9 switchyard check -f examples/quickstart/ingress.yaml');
  expect(readme).not.toContain('exec tsx --conditions=source src/main.ts');
});

// `tsc -b` (part of `pnpm test`) emits packages/cli/dist, so the checkout itself cannot show the bin
// working without one: a copy of bin/ beside links to src/ and node_modules/, and no dist/, can.
let bare: string;
beforeAll(async () => {
  bare = await mkdtemp(join(tmpdir(), 'swy-bin-'));
  await cp(join(CLI_DIR, 'bin'), join(bare, 'bin'), { recursive: true });
  await cp(join(CLI_DIR, 'package.json'), join(bare, 'package.json'));
  await symlink(join(CLI_DIR, 'src'), join(bare, 'src'));
  await symlink(join(CLI_DIR, 'node_modules'), join(bare, 'node_modules'));
});
afterAll(() => rm(bare, { recursive: true, force: true }));

test('node bin/switchyard.js --version works with no dist/', async () => {
  const result = await run(process.execPath, [join(bare, 'bin/switchyard.js'), '--version'], tmpdir());
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^switchyard \d+\.\d+\.\d+\n$/);
  expect(result.code).toBe(0);
}, 60_000);

test('node packages/cli/bin/switchyard.js --version works in this checkout', async () => {
  const result = await run(process.execPath, ['packages/cli/bin/switchyard.js', '--version'], ROOT);
  expect(result.stdout).toMatch(/^switchyard \d+\.\d+\.\d+\n$/);
  expect(result.code).toBe(0);
}, 60_000);
