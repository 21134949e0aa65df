import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ACCESS_LOG_BUFFER, FILE_ACCESS_LOG_BUFFER, openAccessLog } from '../src/open-access-log.js';

// How `serve` opens its log: in place and in large writes to a regular file, asynchronously and
// in PIPE_BUF-sized writes to anything else (here a FIFO given as the FILE), with the request
// line writer's writes sized to match.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'swy-open-log-'));
  dirs.push(dir);
  return dir;
}

/** What SonicBoom keeps of its options. */
function settings(stream: unknown): { sync: boolean; minLength: number; maxWrite: number } {
  const { sync, minLength, maxWrite } = stream as { sync: boolean; minLength: number; maxWrite: number };
  return { sync, minLength, maxWrite };
}

const routed = {
  reqId: 'req-1', protocol: 'http1', method: 'GET', host: 'app.test', path: '/a', backend: 'default/app:80', endpoint: '127.0.0.1:1',
  status: 200, grpcStatus: undefined, error: undefined, reason: undefined, durationMs: 1, requestId: 'id-1',
} as const;

test.each([
  ['a file that does not exist yet', false],
  ['a regular file that exists', true],
])('%s: written in place, up to 64 KiB at a time, every line whole and in order', async (_name, exists) => {
  const file = join(await tempDir(), 'access.log');
  if (exists) await writeFile(file, '');
  const log = await openAccessLog({ file }, 'info', () => undefined);
  expect(settings(log.logger.stream)).toEqual({ sync: true, minLength: FILE_ACCESS_LOG_BUFFER.minLength, maxWrite: FILE_ACCESS_LOG_BUFFER.maxWrite });
  // 200 lines of about 250 bytes: more than one of the writer's writes.
  for (let i = 0; i < 200; i++) log.requestLines!.add({ ...routed, path: `/r-${i}` }, 1);
  log.requestLines!.flush();
  await log.close();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { path: string });
  expect(lines.map((line) => line.path)).toEqual(Array.from({ length: 200 }, (_, i) => `/r-${i}`));
});

test('a FIFO given as the file is written as a pipe is: asynchronously, 4 KiB at most', async () => {
  const fifo = join(await tempDir(), 'access.fifo');
  execFileSync('mkfifo', [fifo]);
  // The reader opens first (in the thread pool, as the writer's open does): a FIFO opens once both ends are there.
  const reader = createReadStream(fifo, { encoding: 'utf8' });
  let received = '';
  reader.on('data', (chunk) => void (received += chunk));
  const ended = new Promise<void>((resolve) => reader.on('end', () => resolve()));
  const log = await openAccessLog({ file: fifo }, 'info', () => undefined);
  expect(settings(log.logger.stream)).toEqual({ sync: false, minLength: ACCESS_LOG_BUFFER.minLength, maxWrite: ACCESS_LOG_BUFFER.maxWrite });
  for (let i = 0; i < 50; i++) log.requestLines!.add({ ...routed, path: `/f-${i}` }, 1);
  await log.close();
  await ended;
  expect(received.trimEnd().split('\n').map((line) => (JSON.parse(line) as { path: string }).path)).toEqual(Array.from({ length: 50 }, (_, i) => `/f-${i}`));
});
