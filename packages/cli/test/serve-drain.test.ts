import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';
import { get } from './helpers/http-get.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

let dir: Awaited<ReturnType<typeof tempDir>>;
let slow: Upstream;

beforeAll(async () => {
  dir = await tempDir();
  slow = await startUpstream('slow');
  await dir.write('slow.yaml', documents(ingress('slow', { paths: [{ path: '/', service: 'slow' }] }), ...backend('slow', slow.port)));
});
afterAll(async () => {
  await slow.close();
  await dir.remove();
});

test('SIGTERM drains: the request in flight completes, then the process exits 0', async () => {
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  const { http } = await cli.urls();
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    slow.hold = (send) => {
      release = send;
      resolve();
    };
  });
  const response = get(http, 'any.example.com', '/slow');
  await held;
  cli.child.kill('SIGTERM');
  await cli.waitFor('stderr', /^switchyard: SIGTERM: draining$/m);
  // The process is draining and must wait for this request: it is still running.
  expect(cli.child.exitCode).toBeNull();
  release();
  const answer = await response;
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ name: 'slow', path: '/slow' });
  const exit = await cli.exited;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(cli.stderr).toMatch(/^switchyard: drained$/m);
});

test('SIGINT drains the same way', async () => {
  slow.hold = undefined;
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  const { http } = await cli.urls();
  expect((await get(http, 'a', '/')).status).toBe(200);
  expect(await cli.stop('SIGINT')).toEqual({ code: 0, signal: null });
});
