import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ManagedProcess } from '../src/common/managed-process.js';
import { checkHttpTarget } from '../src/proxy/check.js';
import { explainedPath, FILES_RELOAD_LINE, scrapeEventLoopDelay, timeUntilReloaded, timeUntilRouted } from '../src/proxy/cli-admin.js';
import { churnChange } from '../src/proxy/churn-schedule.js';
import { churnedHost, churnedPath, churnRequestList, writeChurnChange, writeChurnTable } from '../src/proxy/churn-table.js';
import { planPinning } from '../src/proxy/pinning.js';
import { launchCli, launchServer } from '../src/proxy/process/launch.js';
import type { FromServer, ReadyMessage, ToServer } from '../src/proxy/protocol.js';
import { checkSample } from '../src/proxy/request-list.js';
import { DEFAULT_SEED } from '../src/match/workload.js';

// The churning CLI target's parts against a real `switchyard serve -f` on the churn table
// (10,000 paths) and the bench's Node upstream, all on 127.0.0.1: the admin URL it announces,
// the correctness check, a rewrite seen through /explain, the event-loop figures from /metrics.
// Nothing is loaded or timed: how long a change takes is not asserted, only that it is routed.
const TOKEN = 'c0ffee';
const unpinned = planPinning(undefined, 2);
const processes: Array<ManagedProcess<ToServer, FromServer>> = [];
const dir = mkdtempSync(join(tmpdir(), 'swy-bench-cli-'));
let cli: ReadyMessage;
let gateway: ManagedProcess<ToServer, FromServer>;

beforeAll(async () => {
  const upstream = launchServer('node-upstream', 'node-upstream', { token: TOKEN }, 'upstream', unpinned);
  processes.push(upstream);
  const port = Number(new URL((await upstream.ready<ReadyMessage>()).url).port);
  writeChurnTable(dir, port);
  gateway = launchCli('cli', ['serve', '-f', dir, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], 'proxy', unpinned);
  processes.push(gateway);
  cli = await gateway.ready<ReadyMessage>();
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('switchyard serve -f on the churn table', () => {
  test('announces its gateway and admin URLs on 127.0.0.1, and routes the load\'s requests to the upstream', async () => {
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.info?.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await checkHttpTarget({ id: 'cli', url: cli.url }, checkSample(churnRequestList(DEFAULT_SEED).requests, 64), TOKEN, { kind: 'small' });
  }, 30_000);

  test('a rewritten file is seen through /explain: the new path routed, the old one gone', async () => {
    const admin = String(cli.info!.admin);
    const change = churnChange(0);
    expect(await explainedPath(admin, change.host, churnedPath(change.file, 0))).toBe(churnedPath(change.file, 0));
    expect(await explainedPath(admin, change.host, change.path)).toBeNull();
    const written = performance.now();
    writeChurnChange(dir, change);
    expect(await timeUntilRouted(admin, change.host, change.path, written, 20_000)).toBeGreaterThan(0);
    expect(await explainedPath(admin, churnedHost(change.file), churnedPath(change.file, 0))).toBeNull();
  }, 30_000);

  test('a rewrite is timed to the CLI\'s reload line, and routed by then', async () => {
    const admin = String(cli.info!.admin);
    const change = churnChange(1);
    expect(await explainedPath(admin, change.host, change.path)).toBeNull();
    const reloadLines = gateway.countStderrLines((line) => FILES_RELOAD_LINE.test(line));
    const delay = await timeUntilReloaded(gateway, admin, change.host, change.path, () => writeChurnChange(dir, change), 20_000);
    expect(delay).toBeGreaterThan(0);
    expect(reloadLines()).toBe(1);
    expect(await explainedPath(admin, change.host, change.path)).toBe(change.path);
  }, 30_000);

  test('a change never made is never routed: undefined once given up', async () => {
    const admin = String(cli.info!.admin);
    const change = churnChange(2);
    expect(await explainedPath(admin, change.host, change.path)).toBeNull();
    expect(await timeUntilReloaded(gateway, admin, change.host, change.path, () => undefined, 1_500)).toBeUndefined();
  }, 30_000);

  test('publishes the event-loop delay on /metrics (prom-client\'s default metrics)', async () => {
    const admin = String(cli.info!.admin);
    await scrapeEventLoopDelay(admin);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const figures = await scrapeEventLoopDelay(admin);
    expect(figures).toBeDefined();
    expect(figures!.p99Ms).toBeGreaterThan(0);
    expect(figures!.maxMs).toBeGreaterThanOrEqual(figures!.p99Ms);
  }, 30_000);
});
