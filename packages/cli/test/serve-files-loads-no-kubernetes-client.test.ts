import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

/**
 * `switchyard serve -f` reads files: it must not load `@kubernetes/client-node`, about 30 MB of
 * heap (its sources and their code) that a gateway would carry and mark in every major GC. The
 * child records every module URL it resolves.
 */

const RECORDER = new URL('./helpers/record-resolved-urls.mjs', import.meta.url).href;

let dir: Awaited<ReturnType<typeof tempDir>>;
let manifests: string;

beforeAll(async () => {
  dir = await tempDir();
  manifests = await dir.write('web.yaml', documents(ingress('web', { host: 'web.example.com', paths: [{ path: '/', service: 'web' }] }), ...backend('web', 8080)));
});
afterAll(() => dir.remove());

test('serve -f serves without loading @kubernetes/client-node or @switchyard/kubernetes', async () => {
  const record = join(dir.path, 'resolved-urls.txt');
  const nodeOptions = [process.env['NODE_OPTIONS'], `--import=${RECORDER}`].filter(Boolean).join(' ');
  const cli = startCli(['serve', '-f', manifests, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off'], { NODE_OPTIONS: nodeOptions, SWITCHYARD_RESOLVED_URLS: record });
  try {
    await cli.urls();
  } finally {
    await cli.stop();
  }
  const urls = (await readFile(record, 'utf8')).split('\n').filter((url) => url !== '');
  // The recorder saw what serving files needs (so an empty list cannot pass for a clean one).
  expect(urls.some((url) => url.includes('/packages/cli/src/file-source.ts'))).toBe(true);
  expect(urls.some((url) => url.includes('/packages/fastify/src/'))).toBe(true);
  expect(urls.filter((url) => url.includes('/packages/kubernetes/') || url.includes('/@kubernetes/client-node/'))).toEqual([]);
});
