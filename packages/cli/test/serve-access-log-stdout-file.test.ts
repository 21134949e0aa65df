import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CLI_DIR } from './helpers/cli-process.js';
import { proxiedPaths } from './helpers/access-lines.js';
import { get } from './helpers/http-get.js';
import { routedUpstream } from './helpers/manifests.js';

// stdout redirected to a regular file (`switchyard serve ... > access.log`) is written like a
// FILE: buffered writes made in place rather than on libuv's thread pool. This file checks that
// the lines still all arrive, whole, on a clean stop and on a fatal error, whose exit has to
// write out the buffer itself (pino does so only for asynchronous destinations).

const FATAL = new URL('./helpers/fatal-on-signal.mjs', import.meta.url).href;

const served = routedUpstream('app');

/** `switchyard serve` with stdout on `file`: the http URL once the file shows it, and the exit. */
async function serveToFile(file: string, env: NodeJS.ProcessEnv = {}) {
  const handle = await open(file, 'a');
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', 'serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin'], {
    cwd: CLI_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', handle.fd, 'pipe'],
  });
  await handle.close();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const deadline = Date.now() + 20_000;
  for (;;) {
    // The `switchyard: ...` lines go out unbuffered, before the first request.
    const http = (await readFile(file, 'utf8')).match(/^switchyard: http (\S+)$/m)?.[1];
    if (http !== undefined) return { child, http, exited, stderr: () => stderr };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no http URL in ${file}; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('SIGTERM: every request has its line in the file', async () => {
  const file = join(served.dir.path, 'stdout-sigterm.log');
  const cli = await serveToFile(file);
  for (const path of ['/one', '/two']) expect((await get(cli.http, 'any.example.com', path)).status).toBe(200);
  cli.child.kill('SIGTERM');
  expect(await cli.exited).toEqual([0, null]);
  expect(proxiedPaths(await readFile(file, 'utf8'))).toEqual(['/one', '/two']);
});

test('a fatal error: the lines buffered before it are written on the way out', async () => {
  const file = join(served.dir.path, 'stdout-fatal.log');
  const nodeOptions = [process.env['NODE_OPTIONS'], `--import=${FATAL}`].filter(Boolean).join(' ');
  const cli = await serveToFile(file, { NODE_OPTIONS: nodeOptions, SWITCHYARD_TEST_FATAL: 'exception' });
  // Fewer lines than the destination's minLength: only the exit's flush writes them.
  for (const path of ['/one', '/two', '/three']) expect((await get(cli.http, 'any.example.com', path)).status).toBe(200);
  cli.child.kill('SIGUSR2');
  expect(await cli.exited).toEqual([1, null]);
  expect(cli.stderr()).toMatch(/fatal error for the test/);
  expect(proxiedPaths(await readFile(file, 'utf8'))).toEqual(['/one', '/two', '/three']);
});
