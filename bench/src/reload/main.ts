/**
 * `pnpm bench:reload`: what a manifest change costs the thread that serves, end to end, in
 * `switchyard serve -f` itself (issue 16): not only the compile (`bench:compile`), but the
 * `stat` of every file, the parse answer from the worker, the discovery, router and table
 * swaps, and the garbage collection they cause.
 *
 * The CLI serves the `swaps` scenario's churn table (10,000 Ingress paths in 100 files), idle,
 * pinned as the proxy when taskset is there. One file is rewritten at a time, as the churn
 * scenario does, and the serving thread's CPU (Linux `/proc/PID/task/PID/schedstat`,
 * nanoseconds) is taken twice: from the write until the CLI prints that it serves the new table
 * (its `reloaded, table version N` line, read as it comes), and over a fixed window from the
 * write, which also holds what the change leaves to do afterwards (garbage collection, timers).
 * From each, the thread's rate at rest (timers, metrics) over the same length is taken off: the
 * median of rest windows of the fixed length, one just before each change (the rate drifts
 * over a run, and a rest window now and then holds a garbage collection a change before it
 * left, so neither one rest at the start nor each change's own would do). The mean is shown
 * beside the median: it counts the collections a change causes now and then. Then every file
 * is rewritten at once (a full reload) a few times, for comparison. Each change is checked to
 * route its new path (one admin `/explain` after the window, outside it). Markdown to stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../common/errors.js';
import type { ManagedProcess } from '../common/managed-process.js';
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

/** What the CLI prints once a reload is done: applied, or not. */
const RELOAD_LINE = /^switchyard: files changed: (reloaded, table version |reload failed)/;

/** A thread's CPU (ns) over a stretch of time (ms). */
interface Window {
  readonly ns: number;
  readonly ms: number;
}

interface Measured {
  /** From the write until the CLI printed that it serves the new table. */
  readonly toTable: Window;
  /** From the write until the end of the fixed window. */
  readonly window: Window;
  /** The reloads the CLI did in the window: more than one when the writes spanned its debounce (then `toTable` is the first's). */
  readonly reloads: number;
}

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
    const cli = started.owned as ManagedProcess;
    /**
     * The serving thread's CPU (ns) and the time (ms) from `change()` until the CLI says it
     * serves the new table, and until the end of the window; a rest window before it.
     */
    const measure = async (change: () => void, windowMs: number): Promise<Measured> => {
      restRates.push(await rest(windowMs));
      const reloads = cli.countStderrLines((line) => RELOAD_LINE.test(line));
      const applied = cli.nextStderrLine((line) => RELOAD_LINE.test(line), windowMs);
      const cpu0 = threadCpuNs(pid);
      const t0 = performance.now();
      change();
      const line = await applied;
      const toTable = { ns: threadCpuNs(pid) - cpu0, ms: performance.now() - t0 };
      if (!line.includes(': reloaded, table version ')) throw cli.failure(`did not apply the change: ${line}`);
      await sleep(windowMs - toTable.ms);
      const window = { ns: threadCpuNs(pid) - cpu0, ms: performance.now() - t0 };
      return { toTable, window, reloads: reloads() };
    };
    const expectRouted = async (host: string, path: string) => {
      const routed = await explainedPath(admin, host, path);
      if (routed !== path) throw new BenchError('SWY_BENCH_WRONG_ANSWER', `${host}${path} was not routed ${SINGLE_WINDOW_MS} ms after its file changed (the admin /explain says ${String(routed)})`, { field: 'path', subject: { kind: 'BenchProcess', name: 'cli-reload' } });
    };

    /** Each file's revision as last written. */
    const revisions = new Array<number>(CHURN_FILES).fill(0);
    const single: Measured[] = [];
    for (let n = 0; n < SINGLE_CHANGES; n++) {
      const change = churnChange(n);
      single.push(await measure(() => writeChurnChange(dir, change), SINGLE_WINDOW_MS));
      revisions[change.file] = change.revision;
      await expectRouted(change.host, change.path);
    }

    const full: Measured[] = [];
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
    const net = (windows: readonly Window[]) => windows.map((w) => (w.ns - restNsPerMs * w.ms) / 1e6);
    const row = (label: string, until: string, windows: readonly Window[]) => {
      const values = net(windows);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return `| ${label} | ${until} | ${values.length} | ${median(values).toFixed(2)} | ${mean.toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${Math.max(...values).toFixed(2)} |`;
    };
    console.log(`Node ${process.version}; switchyard serve -f on the churn table (10,000 Ingress paths in 100 files), idle; ${describePinning(pinning)}.`);
    console.log(
      `Serving thread at rest: ${(restNsPerMs / 1e3).toFixed(2)} ms of CPU per second, the median of ${restRates.length} rest windows (${(Math.min(...restRates) / 1e3).toFixed(2)}–${(Math.max(...restRates) / 1e3).toFixed(2)}; timers, metrics), taken off every figure below.\n`,
    );
    console.log('| change | until | count | serving-thread CPU ms, median | mean | lowest | highest |');
    console.log('| --- | --- | --: | --: | --: | --: | --: |');
    const singleLabel = 'one file rewritten (one Ingress, one path renamed)';
    const fullLabel = `every file rewritten at once (a full reload of ${CHURN_FILES} files)`;
    console.log(row(singleLabel, 'the new table', single.map((m) => m.toTable)));
    console.log(row(singleLabel, `${SINGLE_WINDOW_MS} ms after the write`, single.map((m) => m.window)));
    console.log(row(fullLabel, 'the new table', full.map((m) => m.toTable)));
    console.log(row(fullLabel, `${FULL_WINDOW_MS} ms after the write`, full.map((m) => m.window)));
    const split = full.filter((m) => m.reloads > 1).length + single.filter((m) => m.reloads > 1).length;
    if (split > 0) console.log(`\n${split} of the changes took more than one reload (the writes spanned the debounce): their figure until the new table is the first reload's.`);
    const ratio = median(net(full.map((m) => m.toTable))) / median(net(single.map((m) => m.toTable)));
    console.log(`\nTo the new table, a single change costs the serving thread ${ratio.toFixed(1)}× less than a full reload (medians).`);
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
