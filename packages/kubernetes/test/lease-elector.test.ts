import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKubeError, LeaseElector, type KubeError, type LeaseElectorOptions } from '@switchyard/kubernetes';
import { eventually, KubeApiServer, thrown } from '@switchyard/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

// Short timings, in client-go's proportions (lease > renew deadline > 1.2 × retry period).
const TIMINGS = { leaseDurationSeconds: 2, renewDeadlineMs: 1_500, retryPeriodMs: 300 } as const;
const LEASE = 'Lease/switchyard/status-writer';

let server: KubeApiServer;
let electors: LeaseElector[];
let errors: KubeError[];
/** Every moment two electors said they lead at once (sampled every 10 ms). */
let overlaps: number;
let sampler: NodeJS.Timeout | undefined;

beforeEach(async () => {
  server = new KubeApiServer();
  await server.start();
  electors = [];
  errors = [];
  overlaps = 0;
  sampler = setInterval(() => {
    if (electors.filter((e) => e.isLeader).length > 1) overlaps++;
  }, 10);
});
afterEach(async () => {
  clearInterval(sampler);
  await Promise.all(electors.map((e) => e.stop()));
  await server.close();
  expect(overlaps, 'two replicas led at the same moment').toBe(0);
});

function elector(identity: string, options: Partial<LeaseElectorOptions> = {}): LeaseElector {
  const made = new LeaseElector({ connection: { server: server.address.url }, namespace: 'switchyard', name: 'status-writer', identity, ...TIMINGS, onError: (e) => errors.push(e), ...options });
  electors.push(made);
  return made;
}

interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}
const leaseSpec = () => (server.get(LEASE) as unknown as { spec?: LeaseSpec } | undefined)?.spec;
const holderOf = () => leaseSpec()?.holderIdentity;
/** Waits until `check` holds (default 5 s). */
const until = (what: string, check: () => boolean, timeoutMs = 5_000) => eventually(what, check, { timeoutMs, intervalMs: 10 });
const leaderOf = (...candidates: LeaseElector[]) => candidates.filter((c) => c.isLeader);

describe('LeaseElector', () => {
  test('of two replicas started together exactly one leads, and the Lease names it; the other sees it as the leader', async () => {
    const a = elector('replica-a');
    const b = elector('replica-b');
    a.start();
    b.start();
    await until('one leader', () => leaderOf(a, b).length === 1);
    const leader = leaderOf(a, b)[0]!;
    const other = leader === a ? b : a;
    const identity = leader === a ? 'replica-a' : 'replica-b';
    expect(holderOf()).toBe(identity);
    await until('the other sees the leader', () => other.leader === identity);
    // Several renewals later, still the same leader: the other never took over a held Lease.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(leaderOf(a, b)).toEqual([leader]);
    expect(leaseSpec()).toMatchObject({ holderIdentity: identity, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(leaseSpec()?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('a leader that dies without releasing is replaced after the lease duration, within two', async () => {
    const a = elector('replica-a');
    a.start();
    await until('a leads', () => a.isLeader);
    const b = elector('replica-b');
    b.start();
    await until('b sees a lead', () => b.leader === 'replica-a');
    const transitionsBefore = leaseSpec()!.leaseTransitions!;
    // A crash: the Lease stays as it was last renewed.
    await a.stop({ release: false });
    const diedAt = Date.now();
    await until('b leads', () => b.isLeader, 2 * TIMINGS.leaseDurationSeconds * 1000 + 500);
    const tookMs = Date.now() - diedAt;
    expect(tookMs).toBeGreaterThanOrEqual(TIMINGS.leaseDurationSeconds * 1000 - TIMINGS.retryPeriodMs);
    expect(tookMs).toBeLessThanOrEqual(2 * TIMINGS.leaseDurationSeconds * 1000);
    expect(leaseSpec()).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: transitionsBefore + 1 });
  });

  test('a leader that stops releases the Lease, and the other takes it at its next try', async () => {
    const a = elector('replica-a');
    const started: string[] = [];
    a.start();
    await until('a leads', () => a.isLeader);
    const b = elector('replica-b', { onStartedLeading: () => started.push('b started') });
    b.start();
    await until('b sees a lead', () => b.leader === 'replica-a');
    const releasedAt = Date.now();
    await a.stop();
    expect(a.isLeader).toBe(false);
    expect(holderOf()).toBe('');
    await until('b leads', () => b.isLeader);
    // At its next try (up to 2.2 retry periods), not after the lease duration.
    expect(Date.now() - releasedAt).toBeLessThan(TIMINGS.leaseDurationSeconds * 1000);
    expect(started).toEqual(['b started']);
  });

  test('a leader that cannot reach the API server stops leading within the renew deadline, and leads again once it can', async () => {
    const events: string[] = [];
    const a = elector('replica-a', { onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') });
    a.start();
    await until('a leads', () => a.isLeader);
    await server.close();
    const cutAt = Date.now();
    await until('a stops leading', () => !a.isLeader, TIMINGS.renewDeadlineMs + 500);
    // isLeader turns false at the deadline, counted from the last renewal (at most a retry period before the cut).
    expect(Date.now() - cutAt).toBeLessThanOrEqual(TIMINGS.renewDeadlineMs + 200);
    await until('a was told it stopped', () => events.length === 2);
    expect(events).toEqual(['started', 'stopped']);
    expect(errors.length).toBeGreaterThan(0);
    await server.start();
    await until('a leads again', () => a.isLeader);
    expect(events).toEqual(['started', 'stopped', 'started']);
  });

  test('failing answers cannot keep a leader leading past the renew deadline', async () => {
    const a = elector('replica-a');
    a.start();
    await until('a leads', () => a.isLeader);
    server.failNext(1_000, { status: 500 });
    const failingAt = Date.now();
    await until('a stops leading', () => !a.isLeader, TIMINGS.renewDeadlineMs + 500);
    expect(Date.now() - failingAt).toBeLessThanOrEqual(TIMINGS.renewDeadlineMs + 200);
    expect(errors.some((e) => isKubeError(e, 'SWY_KUBE_API_STATUS'))).toBe(true);
  });

  test('kubectl reads the Lease the elector writes', async () => {
    const a = elector('replica-a');
    a.start();
    await until('a leads', () => a.isLeader);
    const dir = mkdtempSync(join(tmpdir(), 'swy-lease-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: "${server.address.url}"}}]\ncontexts: [{name: f, context: {cluster: f, user: u}}]\nusers: [{name: u, user: {}}]\ncurrent-context: f\n`,
    );
    // Not execFileSync: the fixture answers from this process's event loop.
    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, 'get', 'lease', '-n', 'switchyard', 'status-writer', '-o', 'jsonpath={.spec.holderIdentity}'], { encoding: 'utf8', timeout: 30_000 });
    expect(stdout).toBe('replica-a');
  });

  test.each([
    [{ identity: '' }, 'identity'],
    [{ leaseDurationSeconds: 1.5 }, 'leaseDurationSeconds'],
    [{ leaseDurationSeconds: 2, renewDeadlineMs: 2_000 }, 'renewDeadlineMs'],
    [{ renewDeadlineMs: 350, retryPeriodMs: 300 }, 'renewDeadlineMs'],
    [{ retryPeriodMs: 0 }, 'retryPeriodMs'],
  ])('client-go\'s rules on the options: %j is refused, naming %s', (options, field) => {
    const error = thrown(() => new LeaseElector({ connection: { server: 'http://127.0.0.1:1' }, namespace: 'n', name: 'l', identity: 'x', ...TIMINGS, ...options }));
    expect(isKubeError(error, 'SWY_KUBE_LEASE_OPTIONS_INVALID')).toBe(true);
    expect(error).toMatchObject({ field });
  });
});
