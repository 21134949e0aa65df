/**
 * `pnpm bench:reload`: what a manifest change costs the thread that serves, end to end, in
 * `switchyard serve -f` itself (issue 16): not only the compile (`bench:compile`), but the
 * `stat` of every file, the parse answer from the worker, the discovery, router and table
 * swaps, and the garbage collection they cause.
 *
 * The CLI serves the `swaps` scenario's churn table (10,000 Ingress paths in 100 files), idle,
 * pinned as the proxy when taskset is there. One file is rewritten at a time, as the churn
 * scenario does, and the serving thread's CPU from the write until the new path is routed is
 * taken (Linux `/proc/PID/task/PID/schedstat`, nanoseconds), less the thread's rate at rest
 * (timers, metrics): the median of rest windows of the same length, one just before each change
 * (the rate drifts over a run, and a rest window now and then holds a garbage collection a change
 * before it left, so neither one rest at the start nor each change's own would do). The mean is
 * shown beside the median: it counts the collections a change causes later. Then every file is rewritten at once (a full reload) a few times, for
 * comparison. Each change is checked to route its new path (one admin `/explain` after the
 * window, outside it). Markdown to stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../common/errors.js';
import { explainedPath } from '../proxy/cli-admin.js';
import { churnChange } from '../proxy/churn-schedule.js';
import { CHURN_FILES, churnedHost, churnedPath, writeChurnChange, writeChurnTable } from '../proxy/churn-table.js';
import { describePinning, planPinning } from '../proxy/pinning.js';
import { launchCli } from '../proxy/process/launch.js';
import { startServer } from '../proxy/targets.js';
import { findOnPath } from '../proxy/tools.js';
import { threadCpuNs } from './thread-cpu.js';

const SINGLE_CHANGES = 40;
const FULL_RELOADS = 5;
/** Long enough for the debounce (100 ms), the parse and the compile: a change not routed by then fails the run. */
const SINGLE_WINDOW_MS = 600;
const FULL_WINDOW_MS = 3_000;
/** Nowhere: the CLI only routes here, and nothing is sent. */
const UPSTREAM_PORT = 9;

async function main(): Promise<void> {
  const pinning = planPinning(findOnPath('taskset'), cpus().length);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-reload-'));
  writeChurnTable(dir, UPSTREAM_PORT);
  const started = await startServer('cli-reload', launchCli('cli-reload', ['serve', '-f', dir, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off'], 'proxy', pinning));
  try {
    const admin = started.info.admin;
    if (typeof admin !== 'string') throw new BenchError('SWY_BENCH_PROCESS_FAILED', 'the CLI printed no admin URL', { subject: { kind: 'BenchProcess', name: 'cli-reload' } });
    const pid = started.pid;
    await sleep(2_000);

    /** The serving thread's CPU rate (ns per ms) over `windowMs` from now, with nothing changed. */
    const rest = async (windowMs: number): Promise<number> => {
      const cpu0 = threadCpuNs(pid);
      const t0 = performance.now();
      await sleep(windowMs);
      return (threadCpuNs(pid) - cpu0) / (performance.now() - t0);
    };
    const restRates: number[] = [];
    /** The serving thread's CPU (ns) and the window's length (ms) after `change()` runs, a rest window before it. */
    const measure = async (change: () => void, windowMs: number): Promise<{ ns: number; ms: number }> => {
      restRates.push(await rest(windowMs));
      const cpu0 = threadCpuNs(pid);
      const t0 = performance.now();
      change();
      await sleep(windowMs);
      return { ns: threadCpuNs(pid) - cpu0, ms: performance.now() - t0 };
    };
    const expectRouted = async (host: string, path: string) => {
      const routed = await explainedPath(admin, host, path);
      if (routed !== path) throw new BenchError('SWY_BENCH_WRONG_ANSWER', `${host}${path} was not routed ${SINGLE_WINDOW_MS} ms after its file changed (the admin /explain says ${String(routed)})`, { field: 'path', subject: { kind: 'BenchProcess', name: 'cli-reload' } });
    };

    /** Each file's revision as last written. */
    const revisions = new Array<number>(CHURN_FILES).fill(0);
    const single: Array<{ ns: number; ms: number }> = [];
    for (let n = 0; n < SINGLE_CHANGES; n++) {
      const change = churnChange(n);
      single.push(await measure(() => writeChurnChange(dir, change), SINGLE_WINDOW_MS));
      revisions[change.file] = change.revision;
      await expectRouted(change.host, change.path);
    }

    const full: Array<{ ns: number; ms: number }> = [];
    for (let round = 0; round < FULL_RELOADS; round++) {
      for (let file = 0; file < CHURN_FILES; file++) revisions[file]! += 1;
      full.push(
        await measure(() => {
          for (let file = 0; file < CHURN_FILES; file++) writeChurnChange(dir, { file, revision: revisions[file]!, host: churnedHost(file), path: churnedPath(file, revisions[file]!) });
        }, FULL_WINDOW_MS),
      );
      await expectRouted(churnedHost(0), churnedPath(0, revisions[0]!));
      await expectRouted(churnedHost(CHURN_FILES - 1), churnedPath(CHURN_FILES - 1, revisions[CHURN_FILES - 1]!));
    }

    const restNsPerMs = median(restRates);
    /** Each window's CPU less the rate at rest over its length, in ms. */
    const net = (windows: ReadonlyArray<{ ns: number; ms: number }>) => windows.map((w) => (w.ns - restNsPerMs * w.ms) / 1e6);
    const row = (label: string, windows: ReadonlyArray<{ ns: number; ms: number }>) => {
      const values = net(windows);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return `| ${label} | ${values.length} | ${median(values).toFixed(2)} | ${mean.toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${Math.max(...values).toFixed(2)} |`;
    };
    console.log(`Node ${process.version}; switchyard serve -f on the churn table (10,000 Ingress paths in 100 files), idle; ${describePinning(pinning)}.`);
    console.log(
      `Serving thread at rest: ${(restNsPerMs / 1e3).toFixed(2)} ms of CPU per second, the median of ${restRates.length} rest windows (${(Math.min(...restRates) / 1e3).toFixed(2)}–${(Math.max(...restRates) / 1e3).toFixed(2)}; timers, metrics), taken off every figure below.\n`,
    );
    console.log('| change | count | serving-thread CPU ms, median | mean | lowest | highest |');
    console.log('| --- | --: | --: | --: | --: | --: |');
    console.log(row('one file rewritten (one Ingress, one path renamed)', single));
    console.log(row(`every file rewritten at once (a full reload of ${CHURN_FILES} files)`, full));
    console.log(`\nA single change costs the serving thread ${(median(net(full)) / median(net(single))).toFixed(1)}× less than a full reload (medians).`);
  } finally {
    await started.owned?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

main().catch((error: unknown) => {
  console.error(`aborted ${error instanceof BenchError ? `[${error.code}] ` : ''}${(error as Error).message}`);
  process.exitCode = 1;
});
