import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from '@switchyard/cli';
import { BenchError, targetSubject } from '../common/errors.js';
import { median } from '../common/stats.js';
import { scrapeEventLoopDelay, timeUntilReloaded, type EventLoopDelay } from './cli-admin.js';
import { churnChange, churnOffsetsMs, ROUTED_WITHIN_MS } from './churn-schedule.js';
import { writeChurnChange } from './churn-table.js';
import { launchCli } from './process/launch.js';
import type { RunContext, StartedTarget, Target } from './target.js';
import { placement, startServer, type TargetBasics } from './targets.js';

/** How long a change is looked for before it counts as never routed (the round fails from 1 s on). */
const GIVE_UP_MS = 3_000;

/**
 * Whether this checkout's CLI takes `--access-log` (issue 16 adds it), read from
 * `switchyard serve --help`: the bench runs the CLI of the tree it is in, before and after.
 */
export async function cliTakesAccessLog(): Promise<boolean> {
  let help = '';
  await main(['serve', '--help'], { stdout: { write: (text: string) => (help += text) }, stderr: { write: () => true } });
  return /--access-log\b/.test(help);
}

/**
 * `switchyard serve -f DIR` with the defaults a user gets (the manifests watched, metrics and the
 * admin listener on, the request log on), pinned as the proxy. Only the addresses differ: port 0
 * on 127.0.0.1 for the gateway and the admin listener (whose default port, 9901, another
 * process may hold). The request log goes to a file in the scratch directory when the CLI has
 * `--access-log`; else to its default, stdout, which the harness discards. With `accessLog: 'off'`
 * it is `--access-log off` (no request line), to weigh the line against the rest of the CLI.
 */
export function cliServeTarget(
  context: RunContext,
  basics: TargetBasics,
  dir: string,
  extra: Pick<Target, 'duringLoad'> & { readonly accessLog?: 'file' | 'off'; readonly start?: () => Promise<StartedTarget> } = {},
): Target {
  const { accessLog: logTo = 'file', start: startShared, ...targetExtra } = extra;
  return {
    id: basics.id,
    label: basics.label,
    protocol: 'http',
    requests: basics.requests,
    expectation: basics.expectation,
    upstream: basics.upstream,
    fast: false,
    placement: placement(context, 'proxy'),
    ...targetExtra,
    start: startShared ?? (() => startCli(context, basics.id, dir, logTo)),
  };
}

/** Starts `switchyard serve -f DIR` as `cliServeTarget` describes it. */
export async function startCli(context: RunContext, id: string, dir: string, logTo: 'file' | 'off' = 'file'): Promise<StartedTarget> {
  const takesAccessLog = await cliTakesAccessLog();
  const accessLog = !takesAccessLog ? undefined : logTo === 'off' ? 'off' : join(context.scratchDir, `${id}-access.log`);
  const args = ['serve', '-f', dir, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', ...(accessLog === undefined ? [] : ['--access-log', accessLog])];
  const started = await startServer(id, launchCli(id, args, 'proxy', context.pinning));
  return { ...started, info: { ...started.info, accessLog: accessLog ?? 'stdout (discarded)' } };
}

/**
 * `start`, called once however many targets start through it: the churn pair's two targets
 * are one CLI process, measured in windows without changes and with them (stopping it twice is
 * stopping it once).
 */
export function sharedStart(start: () => Promise<StartedTarget>): () => Promise<StartedTarget> {
  let started: Promise<StartedTarget> | undefined;
  return () => (started ??= start());
}

/** What a CLI target's `duringLoad` reports for a window: the event-loop delay, and for the churning one its changes. */
// A type, not an interface: `duringLoad` returns a Record<string, number>, which an interface is not.
export type ChurnWindow = {
  /** Changes made in the window (0 for the target without changes). */
  readonly changes: number;
  /** Of them, routed (the CLI's reload line, confirmed by the admin `/explain`) within `ROUTED_WITHIN_MS` of the rewrite. */
  readonly routedInTime: number;
  /** Rewrite to routed, ms: the slowest and the median change (NaN without changes; a change never seen makes the slowest NaN too). */
  readonly slowestMs: number;
  readonly medianMs: number;
  /** prom-client's event-loop p99, max and min over the window, ms (NaN when the CLI does not publish them). */
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly eventLoopMinMs: number;
};

/**
 * The CLI on the churn table without changes: it reads the event-loop delay from the admin
 * `/metrics` at the start of each window (which resets prom-client's histogram) and at its end.
 */
export function cliStaticTarget(context: RunContext, basics: TargetBasics, dir: string, start?: () => Promise<StartedTarget>): Target {
  return cliServeTarget(context, basics, dir, {
    ...(start === undefined ? {} : { start }),
    duringLoad: (started, durationS) => watchWindow(basics.id, started, durationS, async () => ({ delays: [] })),
  });
}

/**
 * The CLI on the churn table with one file rewritten per second (`churnOffsetsMs`,
 * `churnChange`): after each rewrite it waits for the CLI's reload line and asks the admin
 * `/explain` once that the new rule takes the changed path (`timeUntilReloaded`), and records how
 * long that took. Changes are counted across rounds, so every rewrite really changes its file.
 */
export function cliChurningTarget(context: RunContext, basics: TargetBasics, dir: string, start?: () => Promise<StartedTarget>): Target {
  let made = 0;
  return cliServeTarget(context, basics, dir, {
    ...(start === undefined ? {} : { start }),
    duringLoad: (started, durationS) =>
      watchWindow(basics.id, started, durationS, async (admin, t0) => {
        const cli = started.control;
        if (cli === undefined) throw new BenchError('SWY_BENCH_PROCESS_FAILED', 'the CLI target has no process to read the reload lines of', { subject: targetSubject(basics.id) });
        const delays: Array<number | undefined> = [];
        for (const offset of churnOffsetsMs(durationS)) {
          await sleep(Math.max(0, t0 + offset - performance.now()));
          const change = churnChange(made++);
          delays.push(await timeUntilReloaded(cli, admin, change.host, change.path, () => writeChurnChange(dir, change), GIVE_UP_MS));
        }
        return { delays };
      }),
  });
}

async function watchWindow(id: string, started: StartedTarget, durationS: number, during: (admin: string, t0: number) => Promise<{ delays: ReadonlyArray<number | undefined> }>): Promise<ChurnWindow> {
  const admin = started.info.admin;
  if (typeof admin !== 'string') throw new BenchError('SWY_BENCH_PROCESS_FAILED', 'the CLI printed no admin URL', { field: 'admin', subject: targetSubject(id) });
  const t0 = performance.now();
  await scrapeEventLoopDelay(admin);
  const { delays } = await during(admin, t0);
  await sleep(Math.max(0, t0 + durationS * 1000 - performance.now()));
  return churnWindow(delays, await scrapeEventLoopDelay(admin));
}

/** A window's figures from the delay of each change (undefined: never routed) and the event-loop scrape. */
export function churnWindow(delays: ReadonlyArray<number | undefined>, eventLoop: EventLoopDelay | undefined): ChurnWindow {
  const seen = delays.filter((delay): delay is number => delay !== undefined);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    changes: delays.length,
    routedInTime: seen.filter((delay) => delay <= ROUTED_WITHIN_MS).length,
    slowestMs: seen.length === delays.length && seen.length > 0 ? round(Math.max(...seen)) : Number.NaN,
    medianMs: seen.length > 0 ? round(median(seen)) : Number.NaN,
    eventLoopP99Ms: eventLoop?.p99Ms ?? Number.NaN,
    eventLoopMaxMs: eventLoop?.maxMs ?? Number.NaN,
    eventLoopMinMs: eventLoop?.minMs ?? Number.NaN,
  };
}
