import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type RunningServer } from '@switchyard/cli';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';
import { get } from './helpers/http-get.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

const ANY_PORT = { host: '127.0.0.1', port: 0 };

describe('serve() in-process', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let one: Upstream;
  let two: Upstream;
  let server: RunningServer;
  const reported: string[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    one = await startUpstream('one');
    two = await startUpstream('two');
    await dir.write('backends.yaml', documents(...backend('one', one.port), ...backend('two', two.port)));
    await dir.write('routes.yaml', documents(ingress('r', { host: 'a.example.com', paths: [{ path: '/', service: 'one' }] })));
    server = await serve({ files: [dir.path], listen: ANY_PORT, admin: false, logger: false, watch: false, report: (line) => reported.push(line) });
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([one?.close(), two?.close()]);
    await dir?.remove();
  });

  test('serves the files and returns the gateway, its URLs and the router', async () => {
    expect(server.urls.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.urls.admin).toBeUndefined();
    expect(server.gateway.urls).toBe(server.urls);
    expect(server.router.table.routes().map((r) => r.backendKey)).toEqual(['shop/one:80']);
    expect((await get(server.urls.http, 'a.example.com', '/')).json?.name).toBe('one');
    await expect(server.ready()).resolves.toBeUndefined();
  });

  test('balancing options reach the backends\' balancers', async () => {
    const balanced = await serve({
      files: [dir.path],
      listen: ANY_PORT,
      admin: false,
      logger: false,
      watch: false,
      report: () => undefined,
      balancing: { default: { kind: 'least-request' }, backends: { 'shop/one:80': { kind: 'consistent-hash', on: { header: 'x-user' } } } },
    });
    try {
      expect((await get(balanced.urls.http, 'a.example.com', '/')).status).toBe(200);
      const router = balanced.gateway.apps.http.switchyard.router;
      const policies = Object.fromEntries(router.watchedBackends().map((key) => [key, router.backendByKey(key)!.balancer.policy.kind]));
      expect(policies).toEqual({ 'shop/one:80': 'consistent-hash' });
    } finally {
      await balanced.close();
    }
  });

  test('reload() swaps in what the files say now', async () => {
    const before = server.router.table.version;
    await dir.write('routes.yaml', documents(ingress('r', { host: 'a.example.com', paths: [{ path: '/', service: 'two' }] })));
    const result = await server.reload();
    expect(result).toMatchObject({ applied: true, diagnostics: [] });
    expect(result.tableVersion).toBeGreaterThan(before);
    expect(server.router.table.version).toBe(result.tableVersion);
    expect((await get(server.urls.http, 'a.example.com', '/')).json?.name).toBe('two');
  });

  test('reload() of files that do not parse keeps the last good state and reports it', async () => {
    const serving = server.router.table;
    await dir.write('routes.yaml', 'kind: [\n');
    reported.length = 0;
    const result = await server.reload();
    expect(result.applied).toBe(false);
    expect(result.tableVersion).toBe(serving.version);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'SWY_MANIFEST_YAML_INVALID', source: expect.objectContaining({ document: 1 }) })]);
    expect(server.router.table).toBe(serving);
    expect(reported[0]).toMatch(/^switchyard: reload: reload failed, still serving table version \d+: .*\[SWY_MANIFEST_YAML_INVALID\]$/);
    expect((await get(server.urls.http, 'a.example.com', '/')).json?.name).toBe('two');
  });

  test('close() is idempotent and the port is let go', async () => {
    const extra = await serve({ files: [dir.path.replace(/$/, '/backends.yaml')], listen: ANY_PORT, admin: false, logger: false, watch: false, report: () => undefined });
    const { port } = new URL(extra.urls.http);
    await Promise.all([extra.close(), extra.close()]);
    await expect(get(`http://127.0.0.1:${port}`, 'a', '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('serve() refuses what it cannot run', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  test.each([
    [{}, 'SWY_CLI_MISSING_OPTION', 'files'],
    [{ files: ['a'], kubernetes: true }, 'SWY_CLI_USAGE', 'kubernetes'],
    [{ files: [] }, 'SWY_CLI_BAD_VALUE', 'files'],
    [{ files: ['a'], listen: { host: '127.0.0.1', port: 65_536 } }, 'SWY_CLI_BAD_ADDRESS', 'listen'],
    [{ files: ['a'], admin: { host: '', port: 1 } }, 'SWY_CLI_BAD_ADDRESS', 'admin'],
    [{ files: ['/nonexistent/manifests'] }, 'SWY_CLI_FILE_UNREADABLE', '-f'],
    [{ files: ['a'], allowExternalNames: ['ok.example.com', 'a.*.com'] }, 'SWY_CLI_BAD_VALUE', 'allowExternalNames[1]'],
  ])('%j: %s naming %s', async (options, code, field) => {
    await expect(serve({ report: () => undefined, ...(options as object) })).rejects.toMatchObject({ code, field });
  });

  test('manifests that do not parse at startup: nothing is served, the problem is reported', async () => {
    const file = await dir.write('broken.yaml', `${documents(ingress('ok', { paths: [{ path: '/', service: 'x' }] }))}---\na: [\n`);
    const reported: string[] = [];
    await expect(serve({ files: [file], listen: ANY_PORT, admin: false, logger: false, report: (line) => reported.push(line) })).rejects.toMatchObject({ code: 'SWY_CLI_MANIFESTS_INVALID', exitCode: 1 });
    expect(reported).toEqual([expect.stringMatching(/broken\.yaml document 2 line \d+: error SWY_MANIFEST_YAML_INVALID/)]);
  });

  test('an address in use: SWY_CLI_LISTEN_FAILED, and nothing is left running', async () => {
    const file = await dir.write('ok.yaml', documents(ingress('ok', { paths: [{ path: '/', service: 'x' }] })));
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(serve({ files: [file], listen: { host: '127.0.0.1', port }, admin: false, logger: false, report: () => undefined })).rejects.toMatchObject({ code: 'SWY_CLI_LISTEN_FAILED', exitCode: 1 });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
