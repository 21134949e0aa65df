import { expect, test } from 'vitest';
import { startCli } from './helpers/cli-process.js';
import { routedUpstream } from './helpers/manifests.js';
import { get } from './helpers/http-get.js';

const served = routedUpstream('slow');

test('SIGTERM drains: the request in flight completes, then the process exits 0', async () => {
  const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  const { http } = await cli.urls();
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    served.upstream.hold = (send) => {
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
  served.upstream.hold = undefined;
  const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  const { http } = await cli.urls();
  expect((await get(http, 'a', '/')).status).toBe(200);
  expect(await cli.stop('SIGINT')).toEqual({ code: 0, signal: null });
});
