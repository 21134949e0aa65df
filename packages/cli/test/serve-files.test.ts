import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';
import { eventually, startUpstream, type Upstream } from '@switchyard/test-utils';

describe('switchyard serve -f DIR', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let upstreams: Record<'web' | 'api' | 'fallback' | 'extra', Upstream>;
  let cli: CliProcess;
  let urls: Awaited<ReturnType<CliProcess['urls']>>;

  beforeAll(async () => {
    dir = await tempDir();
    upstreams = {
      web: await startUpstream('web'),
      api: await startUpstream('api'),
      fallback: await startUpstream('fallback'),
      extra: await startUpstream('extra'),
    };
    await dir.write(
      'routes.yaml',
      documents(
        ingress('shop', {
          host: 'shop.example.com',
          paths: [
            { path: '/', service: 'web' },
            { path: '/api', service: 'api' },
          ],
          defaultBackend: 'fallback',
        }),
      ),
    );
    // Services and slices in a file of their own, as JSON: a directory is read for .yaml, .yml and .json.
    await dir.write('backends.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Object.values(upstreams).flatMap((u) => backend(u.name, u.port)) }));
    cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
    urls = await cli.urls();
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await Promise.all(Object.values(upstreams ?? {}).map((u) => u.close()));
    await dir?.remove();
  });

  test('prints the URLs it listens on', () => {
    expect(urls.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.stdout).toMatch(/^switchyard: serving 3 routes from .* \(table version \d+\), reloading on change$/m);
  });

  test('routes by host and path, and the rest to the default backend', async () => {
    const root = await get(urls.http, 'shop.example.com', '/');
    expect(root.json).toMatchObject({ name: 'web', path: '/' });
    const api = await get(urls.http, 'Shop.Example.com:80', '/api/orders?id=7');
    expect(api.json).toMatchObject({ name: 'api', path: '/api/orders?id=7' });
    const elsewhere = await get(urls.http, 'other.example.org', '/anything');
    expect(elsewhere.json).toMatchObject({ name: 'fallback', path: '/anything' });
  });

  test('the admin listener says ready and serves the files status', async () => {
    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, status: { source: 'files', files: [dir.path] } });
  });

  test('a new file is picked up: its route appears without a restart', async () => {
    expect((await get(urls.http, 'new.example.com', '/')).json?.name).toBe('fallback');
    await dir.write('new.yaml', documents(ingress('new', { host: 'new.example.com', paths: [{ path: '/', service: 'extra' }] })));
    await eventually('the new route', async () => (await get(urls.http, 'new.example.com', '/')).json?.name === 'extra', ACROSS_PROCESSES);
    await cli.waitFor('stderr', /files changed: reloaded, table version \d+, 4 routes/);
  });

  test('a broken edit keeps the last good state serving and says so on stderr', async () => {
    await dir.write('new.yaml', `${documents(ingress('new', { host: 'new.example.com', paths: [{ path: '/', service: 'web' }] }))}---\nspec: [unclosed\n`);
    await cli.waitFor('stderr', /files changed: reload failed, still serving table version \d+: .*\[SWY_MANIFEST_YAML_INVALID\]/);
    await cli.waitFor('stderr', /new\.yaml document 2 line \d+: error SWY_MANIFEST_YAML_INVALID/);
    // Not even the part of new.yaml that parsed is applied: the route still goes to extra.
    expect((await get(urls.http, 'new.example.com', '/')).json?.name).toBe('extra');
    expect((await get(urls.http, 'shop.example.com', '/api')).json?.name).toBe('api');
    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(JSON.parse(ready.body)).toMatchObject({ status: { lastReload: { applied: false } } });
  });

  test('an invalid Ingress in an edit is left out with a diagnostic; the rest is applied', async () => {
    await dir.write(
      'new.yaml',
      documents(ingress('new', { host: 'new.example.com', paths: [{ path: '/', service: 'web' }] }), ingress('bad', { host: 'bad.example.com', paths: [{ path: 'relative', service: 'web' }] })),
    );
    await eventually('the edited route', async () => (await get(urls.http, 'new.example.com', '/')).json?.name === 'web', ACROSS_PROCESSES);
    await cli.waitFor('stderr', /error SWY_INGRESS_PATH_INVALID shop\/bad spec\.rules\[0\]\.http\.paths\[0\]\.path/);
  });
});
