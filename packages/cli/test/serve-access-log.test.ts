import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serve, type ServeOptions } from '@switchyard/cli';
import { parseCommandLine } from '../src/command-line.js';
import { runCli, startCli } from './helpers/cli-process.js';
import { proxiedPaths } from './helpers/access-lines.js';
import { get } from './helpers/http-get.js';
import { routedUpstream } from './helpers/manifests.js';

const served = routedUpstream('app');

/** Serves with `flags`, sends two requests, stops with SIGTERM: what each stream (and `file`) holds then. */
async function serveTwoRequests(flags: readonly string[], file?: string): Promise<{ stdout: string; stderr: string; file: string | undefined }> {
  const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', ...flags]);
  const { http } = await cli.urls();
  for (const path of ['/one', '/two']) expect((await get(http, 'any.example.com', path)).status).toBe(200);
  expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  return { stdout: cli.stdout, stderr: cli.stderr, file: file === undefined ? undefined : await readFile(file, 'utf8') };
}

describe('--access-log and --log-level on the command line', () => {
  test.each([
    [[], {}],
    [['--access-log', 'stdout'], { accessLog: 'stdout' }],
    [['--access-log', 'stderr'], { accessLog: 'stderr' }],
    [['--access-log', 'off'], { accessLog: 'off' }],
    [['--access-log', '/var/log/switchyard/access.log'], { accessLog: { file: '/var/log/switchyard/access.log' } }],
    [['--access-log', './off'], { accessLog: { file: './off' } }],
    [['--log-level', 'warn'], { logLevel: 'warn' }],
    [['--log-level', 'silent', '--access-log', 'stderr'], { logLevel: 'silent', accessLog: 'stderr' }],
  ])('%j', (flags, expected) => {
    const parsed = parseCommandLine(['serve', '-f', 'a', ...flags]);
    const options = parsed.command === 'serve' ? parsed.options : undefined;
    expect({ accessLog: options?.accessLog, logLevel: options?.logLevel }).toEqual({ accessLog: undefined, logLevel: undefined, ...expected });
  });

  test.each([
    [['--access-log', ''], '--access-log'],
    [['--log-level', 'loud'], '--log-level'],
    [['--log-level', 'INFO'], '--log-level'],
    [['--log-level', '30'], '--log-level'],
  ])('%j is refused naming the flag', async (flags, field) => {
    expect(() => parseCommandLine(['serve', '-f', 'a', ...flags])).toThrow(expect.objectContaining({ code: 'SWY_CLI_BAD_VALUE', field }));
    const result = await runCli(['serve', '-f', served.dir.path, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^switchyard: ${field} .*\\[SWY_CLI_BAD_VALUE\\]$`, 'm'));
  });

  test.each([[[]], [['--workers', '2']]])('a FILE in a directory that does not exist fails the start, naming the flag %j', async (workers) => {
    const missing = join(served.dir.path, 'no-such-dir', 'access.log');
    const result = await runCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--access-log', missing, ...workers]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchyard: --access-log .*no-such-dir.*: cannot be opened for appending: its directory does not exist \[SWY_CLI_FILE_UNWRITABLE\]$/m);
    expect(result.stdout).not.toMatch(/^switchyard: http /m);
  });
});

describe('where the lines go', () => {
  test('by default, stdout: one line per request', async () => {
    const { stdout, stderr } = await serveTwoRequests([]);
    expect(proxiedPaths(stdout)).toEqual(['/one', '/two']);
    expect(proxiedPaths(stderr)).toEqual([]);
  });

  test('stderr', async () => {
    const { stdout, stderr } = await serveTwoRequests(['--access-log', 'stderr']);
    expect(proxiedPaths(stderr)).toEqual(['/one', '/two']);
    expect(proxiedPaths(stdout)).toEqual([]);
    // stdout keeps the URLs.
    expect(stdout).toMatch(/^switchyard: http /m);
  });

  test('off: no line anywhere', async () => {
    const { stdout, stderr } = await serveTwoRequests(['--access-log', 'off']);
    expect(proxiedPaths(stdout)).toEqual([]);
    expect(proxiedPaths(stderr)).toEqual([]);
  });

  test('FILE: appended to, lines already there kept', async () => {
    const file = await served.dir.write('access.log', `${JSON.stringify({ msg: 'proxied', path: '/before' })}\n`);
    const { stdout, file: written } = await serveTwoRequests(['--access-log', file], file);
    expect(proxiedPaths(written!)).toEqual(['/before', '/one', '/two']);
    expect(proxiedPaths(stdout)).toEqual([]);
  });

  test('FILE: a quiet gateway\'s line is in the file while it serves, within about a second (the destination\'s periodic flush)', async () => {
    const file = await served.dir.write('quiet.log', '');
    const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--access-log', file]);
    try {
      const { http } = await cli.urls();
      const sent = Date.now();
      expect((await get(http, 'any.example.com', '/quiet')).status).toBe(200);
      await expect.poll(async () => proxiedPaths(await readFile(file, 'utf8')), { timeout: 5_000, interval: 50 }).toEqual(['/quiet']);
      // Up to 1 s in pino's buffer; the rest is slack for a loaded machine.
      expect(Date.now() - sent).toBeLessThan(3_000);
    } finally {
      expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  test('--log-level warn drops the request lines (they are info), as off does', async () => {
    const file = await served.dir.write('warn.log', '');
    const { stdout, file: written } = await serveTwoRequests(['--access-log', file, '--log-level', 'warn'], file);
    expect(proxiedPaths(written!)).toEqual([]);
    expect(proxiedPaths(stdout)).toEqual([]);
  });

  test('--log-level debug keeps them', async () => {
    const file = await served.dir.write('debug.log', '');
    const { file: written } = await serveTwoRequests(['--access-log', file, '--log-level', 'debug'], file);
    expect(proxiedPaths(written!)).toEqual(['/one', '/two']);
  });
});

describe('a fatal error', () => {
  const FATAL = new URL('./helpers/fatal-on-signal.mjs', import.meta.url).href;

  // Fewer lines than the destination's minLength: they would wait in its buffer but for the
  // flush at exit (pino's destination writes what it holds on the process's 'exit' event).
  test.each([
    { kind: 'exception', what: 'an uncaught exception' },
    { kind: 'rejection', what: 'an unhandled rejection' },
  ])('$what: the lines of the requests answered before it are written', async ({ kind }) => {
    const file = join(served.dir.path, `fatal-${kind}.log`);
    const nodeOptions = [process.env['NODE_OPTIONS'], `--import=${FATAL}`].filter(Boolean).join(' ');
    const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--access-log', file], { NODE_OPTIONS: nodeOptions, SWITCHYARD_TEST_FATAL: kind });
    const { http } = await cli.urls();
    for (const path of ['/one', '/two', '/three']) expect((await get(http, 'any.example.com', path)).status).toBe(200);
    cli.child.kill('SIGUSR2');
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    expect(cli.stderr).toMatch(/fatal error for the test/);
    expect(proxiedPaths(await readFile(file, 'utf8'))).toEqual(['/one', '/two', '/three']);
  });
});

test('a second signal exits at once with 1, and the lines of the requests answered before it are still written', async () => {
  const file = join(served.dir.path, 'second-signal.log');
  const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--access-log', file]);
  const { http } = await cli.urls();
  for (const path of ['/one', '/two']) expect((await get(http, 'any.example.com', path)).status).toBe(200);
  // A request held in flight keeps the drain waiting, so the second signal finds it draining.
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    served.upstream.hold = (send) => {
      release = send;
      resolve();
    };
  });
  const inFlight = get(http, 'any.example.com', '/held').catch(() => undefined);
  try {
    await held;
    cli.child.kill('SIGTERM');
    await cli.waitFor('stderr', /^switchyard: SIGTERM: draining$/m);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 1, signal: null });
  } finally {
    served.upstream.hold = undefined;
    release?.();
    await inFlight;
  }
  expect(proxiedPaths(await readFile(file, 'utf8'))).toEqual(['/one', '/two']);
});

describe('in code: serve({ accessLog, logLevel })', () => {
  test.each([
    [{ logger: false, accessLog: 'off' }, 'SWY_CLI_USAGE', 'accessLog'],
    [{ logger: false, logLevel: 'warn' }, 'SWY_CLI_USAGE', 'logLevel'],
    [{ accessLog: { file: '' } }, 'SWY_CLI_BAD_VALUE', 'accessLog'],
    [{ accessLog: 'file.log' }, 'SWY_CLI_BAD_VALUE', 'accessLog'],
    [{ logLevel: 'loud' }, 'SWY_CLI_BAD_VALUE', 'logLevel'],
  ])('%j is refused', async (options, code, field) => {
    await expect(serve({ files: [served.dir.path], ...(options as Partial<ServeOptions>) })).rejects.toMatchObject({ code, field });
  });

  test('close() drains, then writes out and closes the file', async () => {
    const file = join(served.dir.path, 'in-code.log');
    const server = await serve({ files: [served.dir.path], listen: { host: '127.0.0.1', port: 0 }, admin: false, watch: false, accessLog: { file }, report: () => undefined });
    for (const path of ['/one', '/two']) expect((await get(server.urls.http, 'any.example.com', path)).status).toBe(200);
    await server.close();
    expect(proxiedPaths(await readFile(file, 'utf8'))).toEqual(['/one', '/two']);
  });
});
