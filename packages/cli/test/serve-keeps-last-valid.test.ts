import { eventually, startUpstream, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

/**
 * A typo in a served file never takes routes down: as the API server would refuse the edit,
 * an Ingress whose new version fails validation keeps serving at its last valid version, and
 * says so on stderr, in /readyz (degraded, still 200) and in a metric.
 */
describe('switchyard serve -f: an invalid edit keeps the last valid version serving', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let web: Upstream;
  let cli: CliProcess;
  let urls: Awaited<ReturnType<CliProcess['urls']>>;

  const shop = (pathType: string) =>
    documents(ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }] })).replace('"pathType": "Prefix"', `"pathType": "${pathType}"`);

  beforeAll(async () => {
    dir = await tempDir();
    web = await startUpstream('web');
    await dir.write('backends.yaml', documents(...backend('web', web.port)));
    await dir.write('shop.yaml', shop('Prefix'));
    cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
    urls = await cli.urls();
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await web?.close();
    await dir?.remove();
  });

  async function keptGauge(): Promise<number | undefined> {
    const metrics = await get(urls.admin!, 'localhost', '/metrics');
    const line = metrics.body.split('\n').find((l) => l.startsWith('switchyard_config_objects_kept{source="files"}'));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  test('before any edit: not degraded, the gauge at 0', async () => {
    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, status: { source: 'files', degraded: false } });
    expect(await keptGauge()).toBe(0);
  });

  test('pathType: Exakt under load: no request to the host gets a 404, and every report says why', async () => {
    let stop = false;
    const statuses: number[] = [];
    // Requests run back to back across the reload, bounded by the test's own end.
    const load = (async () => {
      for (let i = 0; i < 2_000 && !stop; i++) statuses.push((await get(urls.http, 'shop.example.com', '/cart')).status);
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await dir.write('shop.yaml', shop('Exakt'));
    await cli.waitFor('stderr', /Ingress shop\/shop is invalid in .*shop\.yaml line \d+ spec\.rules\[0\]\.http\.paths\[0\]\.pathType \(see above\): its last valid version keeps serving \[SWY_INGRESS_PATH_TYPE_INVALID\]/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop = true;
    await load;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // The error itself, with the file and the field, as check would print it.
    expect(cli.stderr).toMatch(/shop\.yaml document 1 line \d+: error SWY_INGRESS_PATH_TYPE_INVALID shop\/shop spec\.rules\[0\]\.http\.paths\[0\]\.pathType/);

    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(ready.status).toBe(200);
    const status = JSON.parse(ready.body).status;
    expect(status.degraded.keptAtLastValidVersion).toEqual([
      expect.objectContaining({ object: 'shop/shop', field: 'spec.rules[0].http.paths[0].pathType', code: 'SWY_INGRESS_PATH_TYPE_INVALID' }),
    ]);
    expect(status.degraded.keptAtLastValidVersion[0].file).toMatch(/shop\.yaml$/);
    expect(await keptGauge()).toBe(1);
  });

  test('a new Ingress that was never valid is not served', async () => {
    await dir.write('new.yaml', documents(ingress('new', { host: 'new.example.com', paths: [{ path: 'no-slash', service: 'web' }] })));
    await cli.waitFor('stderr', /error SWY_INGRESS_PATH_INVALID shop\/new/);
    expect((await get(urls.http, 'new.example.com', '/')).status).toBe(404);
    // Still one object kept: the new one has no valid version to keep.
    expect(await keptGauge()).toBe(1);
  });

  test('fixing the file serves the new version and clears the degraded state', async () => {
    await dir.write('new.yaml', documents());
    await dir.write('shop.yaml', documents(ingress('shop', { host: 'shop.example.com', paths: [{ path: '/cart', pathType: 'Exact', service: 'web' }] })));
    await eventually('the fixed version to serve', async () => (await get(urls.http, 'shop.example.com', '/other')).status === 404, ACROSS_PROCESSES);
    expect((await get(urls.http, 'shop.example.com', '/cart')).status).toBe(200);
    const ready = await get(urls.admin!, 'localhost', '/readyz');
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, status: { degraded: false } });
    expect(await keptGauge()).toBe(0);
  });
});
