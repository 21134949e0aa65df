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
 *
 * With `--base REF`, paired: that commit's CLI (checked out, installed and built beside the
 * repository) and the working tree's run side by side, each on its own copy of the table, the
 * changes alternating between them (A B, then B A, ...); per change, the working tree's figure
 * less the base's, and the median of those differences: the machine's drift, which moves a
 * figure by a third within an hour, lands on both sides of a pair alike.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../common/errors.js';
import { buildBase, checkoutBase, describeWorkingTree } from '../compare/base-tree.js';
import { churnChange } from '../proxy/churn-schedule.js';
import { CHURN_FILES, churnedHost, churnedPath, writeChurnChange } from '../proxy/churn-table.js';
import { describePinning, planPinning, type Pinning } from '../proxy/pinning.js';
import { findOnPath } from '../proxy/tools.js';
import { parseReloadOptions, USAGE, type ReloadOptions } from './options.js';
import { median } from '../common/stats.js';
import { ReloadSubject, type Measured, type Window } from './reload-subject.js';

const FULL_RELOADS = 5;
/** Long enough for the debounce (100 ms), the parse and the compile: a change not routed by then fails the run. */
const SINGLE_WINDOW_MS = 600;
const FULL_WINDOW_MS = 3_000;
const SINGLE_LABEL = 'one file rewritten (one Ingress, one path renamed)';

const log = (line: string) => console.error(`[bench:reload] ${line}`);

async function main(): Promise<void> {
  const options = parseReloadOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const pinning = planPinning(findOnPath('taskset'), cpus().length);
  if (options.base === undefined) await alone(options, pinning);
  else await paired(options, options.base, pinning);
}

/** The working tree's CLI: single changes, then full reloads. */
async function alone(options: ReloadOptions, pinning: Pinning): Promise<void> {
  const subject = await ReloadSubject.start('cli-reload', pinning);
  try {
    await sleep(2_000);
    /** Each file's revision as last written. */
    const revisions = new Array<number>(CHURN_FILES).fill(0);
    const single: Measured[] = [];
    for (let n = 0; n < options.changes; n++) {
      const change = churnChange(n);
      single.push(await subject.measure(() => writeChurnChange(subject.dir, change), SINGLE_WINDOW_MS));
      revisions[change.file] = change.revision;
      await subject.expectRouted(change.host, change.path, SINGLE_WINDOW_MS);
    }

    const full: Measured[] = [];
    for (let round = 0; round < FULL_RELOADS; round++) {
      for (let file = 0; file < CHURN_FILES; file++) revisions[file]! += 1;
      full.push(
        await subject.measure(() => {
          for (let file = 0; file < CHURN_FILES; file++) writeChurnChange(subject.dir, { file, revision: revisions[file]!, host: churnedHost(file), path: churnedPath(file, revisions[file]!) });
        }, FULL_WINDOW_MS),
      );
      await subject.expectRouted(churnedHost(0), churnedPath(0, revisions[0]!), FULL_WINDOW_MS);
      await subject.expectRouted(churnedHost(CHURN_FILES - 1), churnedPath(CHURN_FILES - 1, revisions[CHURN_FILES - 1]!), FULL_WINDOW_MS);
    }

    const row = (label: string, until: string, windows: readonly Window[]) => {
      const values = subject.net(windows);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return `| ${label} | ${until} | ${values.length} | ${median(values).toFixed(2)} | ${mean.toFixed(2)} | ${Math.min(...values).toFixed(2)} | ${Math.max(...values).toFixed(2)} |`;
    };
    console.log(`Node ${process.version}; switchyard serve -f on the churn table (10,000 Ingress paths in 100 files), idle; ${describePinning(pinning)}.`);
    console.log(`${restLine(subject)}, taken off every figure below.\n`);
    console.log('| change | until | count | serving-thread CPU ms, median | mean | lowest | highest |');
    console.log('| --- | --- | --: | --: | --: | --: | --: |');
    const fullLabel = `every file rewritten at once (a full reload of ${CHURN_FILES} files)`;
    console.log(row(SINGLE_LABEL, 'the new table', single.map((m) => m.toTable)));
    console.log(row(SINGLE_LABEL, `${SINGLE_WINDOW_MS} ms after the write`, single.map((m) => m.window)));
    console.log(row(fullLabel, 'the new table', full.map((m) => m.toTable)));
    console.log(row(fullLabel, `${FULL_WINDOW_MS} ms after the write`, full.map((m) => m.window)));
    const split = full.filter((m) => m.reloads > 1).length + single.filter((m) => m.reloads > 1).length;
    if (split > 0) console.log(`\n${split} of the changes took more than one reload (the writes spanned the debounce): their figure until the new table is the first reload's.`);
    const ratio = median(subject.net(full.map((m) => m.toTable))) / median(subject.net(single.map((m) => m.toTable)));
    console.log(`\nTo the new table, a single change costs the serving thread ${ratio.toFixed(1)}× less than a full reload (medians).`);
  } finally {
    await subject.stop();
  }
}

/** The base's CLI and the working tree's, single changes alternating between them. */
async function paired(options: ReloadOptions, ref: string, pinning: Pinning): Promise<void> {
  const working = describeWorkingTree();
  const base = checkoutBase(ref, log);
  const subjects: ReloadSubject[] = [];
  try {
    buildBase(base, log);
    subjects.push(await ReloadSubject.start('working', pinning), await ReloadSubject.start('base', pinning, join(base.root, 'bench')));
    const [work, then] = subjects as [ReloadSubject, ReloadSubject];
    await sleep(2_000);
    const measured = new Map<ReloadSubject, Measured[]>(subjects.map((subject) => [subject, []]));
    for (let n = 0; n < options.changes; n++) {
      const change = churnChange(n);
      for (const subject of n % 2 === 0 ? [work, then] : [then, work]) {
        measured.get(subject)!.push(await subject.measure(() => writeChurnChange(subject.dir, change), SINGLE_WINDOW_MS));
        await subject.expectRouted(change.host, change.path, SINGLE_WINDOW_MS);
      }
      if ((n + 1) % 10 === 0) log(`${n + 1} of ${options.changes} changes on each side`);
    }
    const row = (until: string, pick: (m: Measured) => Window) => {
      const w = work.net(measured.get(work)!.map(pick));
      const b = then.net(measured.get(then)!.map(pick));
      const differences = w.map((value, i) => value - b[i]!);
      const d = median(differences);
      return `| ${SINGLE_LABEL} | ${until} | ${w.length} | ${median(b).toFixed(2)} | ${median(w).toFixed(2)} | ${signed(d)} (${signed(Math.min(...differences))} – ${signed(Math.max(...differences))}) | ${signedPercent(d / median(b))} |`;
    };
    const workingText = `the working tree (${working.commit.slice(0, 10)}${working.changedFiles > 0 ? `, ${working.changedFiles} files changed` : ''})`;
    console.log(`Node ${process.version}; switchyard serve -f on the churn table (10,000 Ingress paths in 100 files), idle; ${describePinning(pinning)}.`);
    console.log(`Paired: ${workingText} and ${ref} (${base.commit.slice(0, 10)}), each CLI on its own copy of the table, one change at a time alternating between them (the working tree first on even changes).`);
    console.log(`${restLine(work)} (working tree); ${restLine(then).replace(/^S/, 's')} (base); each side's taken off its own figures.\n`);
    console.log('| change | until | count | base: serving-thread CPU ms, median | working tree | working − base: median of the pairs (lowest – highest) | that ÷ the base median |');
    console.log('| --- | --- | --: | --: | --: | --: | --: |');
    console.log(row('the new table', (m) => m.toTable));
    console.log(row(`${SINGLE_WINDOW_MS} ms after the write`, (m) => m.window));
  } finally {
    for (const subject of subjects) await subject.stop();
    base.remove();
  }
}

function restLine(subject: ReloadSubject): string {
  const rates = subject.restRates;
  return `Serving thread at rest: ${(median(rates) / 1e3).toFixed(2)} ms of CPU per second, the median of ${rates.length} rest windows (${(Math.min(...rates) / 1e3).toFixed(2)}–${(Math.max(...rates) / 1e3).toFixed(2)}; timers, metrics)`;
}

function signedPercent(ratio: number): string {
  return `${ratio >= 0 ? '+' : '−'}${Math.abs(ratio * 100).toFixed(0)} %`;
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(2)}`;
}

main().catch((error: unknown) => {
  console.error(`aborted ${error instanceof BenchError ? `[${error.code}] ` : ''}${(error as Error).message}`);
  process.exitCode = 1;
});
