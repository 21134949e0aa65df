import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestCa, tlsSecret } from '@switchyard/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

/**
 * `switchyard check` compiles routes and the SNI table and serves nothing, so it must not load
 * the Fastify adapter (nor Fastify): the child records every module URL it resolves.
 */

const RECORDER = new URL('./helpers/record-resolved-urls.mjs', import.meta.url).href;

let dir: Awaited<ReturnType<typeof tempDir>>;
let manifests: string;

beforeAll(async () => {
  dir = await tempDir();
  const ca = await createTestCa();
  const web = await ca.issue({ hosts: ['web.example.com'] });
  manifests = await dir.write(
    'tls.yaml',
    documents(
      ingress('web', { host: 'web.example.com', paths: [{ path: '/', service: 'web' }], tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }] }),
      ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }], tls: [{ hosts: ['shop.example.com'], secretName: 'missing-tls' }] }),
      tlsSecret('web-tls', 'shop', web),
      ...backend('web', 8080),
    ),
  );
});
afterAll(() => dir.remove());

test('check with spec.tls runs the TLS compile step without loading @switchyard/fastify or fastify', async () => {
  const record = join(dir.path, 'resolved-urls.txt');
  const nodeOptions = [process.env['NODE_OPTIONS'], `--import=${RECORDER}`].filter(Boolean).join(' ');
  const result = await runCli(['check', '-f', manifests], { NODE_OPTIONS: nodeOptions, SWITCHYARD_RESOLVED_URLS: record });
  // The TLS compile step ran: the missing Secret is reported.
  expect(result.stdout).toContain('SWY_TLS_SECRET_NOT_FOUND');
  expect(result.code).toBe(1);

  const urls = (await readFile(record, 'utf8')).split('\n').filter((url) => url !== '');
  // The recorder saw the modules check needs (so an empty list cannot pass for a clean one).
  expect(urls.some((url) => url.includes('/packages/cli/src/check.ts'))).toBe(true);
  expect(urls.some((url) => url.includes('/packages/tls/src/build-sni-table.ts'))).toBe(true);
  expect(urls.filter((url) => url.includes('/packages/fastify/') || /\/node_modules\/(fastify|undici)\//.test(url))).toEqual([]);
});
