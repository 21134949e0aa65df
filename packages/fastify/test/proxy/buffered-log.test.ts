import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { request } from 'undici';
import { afterEach, expect, test } from 'vitest';
import { startUpstream } from '@switchyard/test-utils';
import { at, ingress, startTestGateway } from '../helpers/gateway.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Lines of a log file, each parsed: a line cut short fails the parse. */
async function logLines(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The status of a GET for app.test, its body read. */
async function statusOf(url: string): Promise<number> {
  const answer = await request(url, { headers: { host: 'app.test' } });
  await answer.body.dump();
  return answer.statusCode;
}

/** A gateway logging to a file through pino's buffered destination that holds back anything under `minLength` bytes. */
async function bufferedGateway(minLength: number) {
  const dir = await mkdtemp(join(tmpdir(), 'swy-buffered-log-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const upstream = await startUpstream('app');
  cleanup.push(() => upstream.close());
  const file = join(dir, 'access.log');
  const stream = pino.destination({ dest: file, sync: false, minLength });
  await once(stream, 'ready');
  const gw = await startTestGateway([ingress('app', [['app.test', '/', 'Prefix', 'app', 80]])], { 'default/app:80': at(upstream.port) }, { logger: { level: 'info', stream } });
  return { gw, file, stream };
}

test('close() writes out the lines a buffered pino destination still holds', async () => {
  // More than a few lines' worth: nothing reaches the file before the flush.
  const { gw, file } = await bufferedGateway(8_192);
  for (let i = 0; i < 5; i++) expect(await statusOf(`${gw.url}/r-${i}`)).toBe(200);
  await gw.close();
  const proxied = (await logLines(file)).filter((line) => line['msg'] === 'proxied');
  expect(proxied.map((line) => line['path']).sort()).toEqual(['/r-0', '/r-1', '/r-2', '/r-3', '/r-4']);
});
