import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';
import { ACROSS_PROCESSES, get } from './helpers/http-get.js';
import { eventually, startUpstream, type Upstream } from '@switchyard/test-utils';

/** The pid of the process that logged each proxied request, by request path. */
function pidsByPath(stdout: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; path?: string; pid?: number };
    if (entry.msg === 'proxied' && entry.path && entry.pid) pids.set(entry.path, entry.pid);
  }
  return pids;
}

describe('switchyard serve --workers 2', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let upstream: Upstream;
  let cli: CliProcess;
  let urls: Awaited<ReturnType<CliProcess['urls']>>;
  let sent = 0;

  /** Sends requests on fresh connections until `done` holds for the pids that answered them. */
  async function spread(done: (pids: Set<number>) => boolean): Promise<Set<number>> {
    const paths: string[] = [];
    let pids = new Set<number>();
    await eventually('requests answered by the workers wanted', async () => {
      const path = `/w-${++sent}`;
      paths.push(path);
      expect((await get(urls.http, 'a.example.com', path)).json).toMatchObject({ name: 'app', path });
      const byPath = pidsByPath(cli.stdout);
      pids = new Set(paths.flatMap((p) => (byPath.has(p) ? [byPath.get(p)!] : [])));
      return done(pids);
    }, { ...ACROSS_PROCESSES, timeoutMs: 30_000 });
    return pids;
  }

  beforeAll(async () => {
    dir = await tempDir();
    upstream = await startUpstream('app');
    await dir.write('app.yaml', documents(ingress('app', { paths: [{ path: '/', service: 'app' }] }), ...backend('app', upstream.port)));
    cli = startCli(['serve', '--workers', '2', '-f', dir.path, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0']);
    urls = await cli.urls();
  }, 60_000);

  afterAll(async () => {
    await cli?.stop();
    await upstream?.close();
    await dir?.remove();
  });

  test('two worker processes answer on the one port', async () => {
    expect(cli.stdout).toMatch(/^switchyard: serving 1 routes .*, with 2 workers$/m);
    const pids = await spread((seen) => seen.size >= 2);
    expect(pids.size).toBe(2);
    expect(pids.has(cli.child.pid!)).toBe(false);
  });

  test('/metrics counts the requests of every worker, whichever worker answers the scrape', async () => {
    await spread((seen) => seen.size >= 2);
    const total = upstream.seen.length;
    const pattern = /^switchyard_requests_total\{host="\*",backend="shop\/app:80",status="200",protocol="http1"\} (\d+)$/m;
    const counts = [];
    // Several scrapes on fresh connections reach both workers; each answers for the cluster.
    for (let i = 0; i < 4; i++) {
      const scrape = await get(urls.admin!, 'localhost', '/metrics');
      expect(scrape.status).toBe(200);
      counts.push(Number(scrape.body.match(pattern)?.[1]));
    }
    expect(counts).toEqual([total, total, total, total]);
  });

  test('a worker that dies is replaced', async () => {
    const before = await spread((seen) => seen.size >= 2);
    const victim = [...before][0]!;
    process.kill(victim, 'SIGKILL');
    await cli.waitFor('stderr', new RegExp(`^switchyard: worker ${victim} exited with signal SIGKILL; starting another`, 'm'));
    const after = await spread((seen) => [...seen].some((pid) => !before.has(pid)));
    expect(after.has(victim)).toBe(false);
  });

  test('SIGTERM drains every worker and the primary exits 0', async () => {
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(cli.stderr).toMatch(/^switchyard: SIGTERM: draining 2 workers$/m);
  });
});
