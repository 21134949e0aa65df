/**
 * `pnpm bench:compile`: what one Ingress change costs the thread that serves, at 10,000 paths.
 * The table is the `swaps` scenario's churn table (100 Ingresses of 100 paths, 100 hosts each
 * shared by 5 Ingresses: churn-table.ts); each step replaces one Ingress with its next revision
 * (one path renamed), then compiles the same input twice: from scratch, and with the previous
 * result (`CompileOptions.previous`, what `switchyard serve` does on a reload). CPU time of the
 * process around each compile, medians after warm-up; the two tables are checked to route the
 * renamed path alike. Then the same table compiled from scratch by `compileInSlices` (default
 * slice): its wall time in all, and the longest the event loop was held at once (the largest
 * gap between turns of a setImmediate ticker running beside it). Markdown to stdout.
 */
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { compile, compileInSlices, type CompileResult, type Ingress } from '@switchyard/core';
import { CHURN_FILES, churnedHost, churnedPath, churnIngress } from '../proxy/churn-table.js';

const STEPS = 120;
const WARM_UP = 20;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const ingresses: Ingress[] = Array.from({ length: CHURN_FILES }, (_, file) => churnIngress(file, 0));
let previous: CompileResult = compile({ ingresses });
const scratchMs: number[] = [];
const incrementalMs: number[] = [];
for (let step = 0; step < STEPS; step++) {
  const file = (step * 37) % CHURN_FILES;
  const revision = Math.floor(step / CHURN_FILES) + 1;
  ingresses[file] = churnIngress(file, revision);
  let started = cpuMs();
  const scratch = compile({ ingresses });
  const scratchTook = cpuMs() - started;
  started = cpuMs();
  const incremental = compile({ ingresses, previous });
  const incrementalTook = cpuMs() - started;
  const host = churnedHost(file);
  const path = churnedPath(file, revision);
  if (incremental.table.match(host, path)?.path !== path || scratch.table.match(host, path)?.path !== path) {
    throw new Error(`step ${step}: ${host}${path} is not routed by its new rule`);
  }
  if (step >= WARM_UP) {
    scratchMs.push(scratchTook);
    incrementalMs.push(incrementalTook);
  }
  previous = incremental;
}
/** Garbage collections, as the performance timeline records them: a pause lands in whichever slice allocated last. */
const collections: PerformanceEntry[] = [];
const gcObserver = new PerformanceObserver((list) => collections.push(...list.getEntries()));
gcObserver.observe({ entryTypes: ['gc'] });

interface SlicedRound {
  readonly totalMs: number;
  /** The largest gap between two turns of the ticker. */
  readonly longestMs: number;
  /** The same, less the garbage collection pauses that fell in it. */
  readonly longestWithoutGcMs: number;
  readonly longestGcMs: number;
  readonly turns: number;
}

/** Compiles `ingresses` from scratch in slices, with a setImmediate ticker recording each event-loop turn. */
async function slicedRound(): Promise<SlicedRound> {
  const ticks: number[] = [];
  let running = true;
  const tick = () => {
    ticks.push(performance.now());
    if (running) setImmediate(tick);
  };
  collections.length = 0;
  const started = performance.now();
  ticks.push(started);
  setImmediate(tick);
  const sliced = await compileInSlices({ ingresses });
  const totalMs = performance.now() - started;
  running = false;
  ticks.push(performance.now());
  await new Promise((resolve) => setTimeout(resolve, 5));
  collections.push(...gcObserver.takeRecords());
  if (sliced.table.routes().length !== compile({ ingresses }).table.routes().length) throw new Error('compileInSlices and compile disagree');
  let longestMs = 0;
  let longestWithoutGcMs = 0;
  for (let i = 1; i < ticks.length; i++) {
    const gap = ticks[i]! - ticks[i - 1]!;
    const gc = collections.filter((entry) => entry.startTime >= ticks[i - 1]! && entry.startTime < ticks[i]!).reduce((sum, entry) => sum + entry.duration, 0);
    longestMs = Math.max(longestMs, gap);
    longestWithoutGcMs = Math.max(longestWithoutGcMs, gap - gc);
  }
  const longestGcMs = Math.max(0, ...collections.filter((entry) => entry.startTime >= started && entry.startTime < started + totalMs).map((entry) => entry.duration));
  return { totalMs, longestMs, longestWithoutGcMs, longestGcMs, turns: ticks.length - 1 };
}

const SLICED_ROUNDS = 30;
const rounds: SlicedRound[] = [];
for (let round = 0; round < SLICED_ROUNDS + 5; round++) {
  const result = await slicedRound();
  if (round >= 5) rounds.push(result);
}
gcObserver.disconnect();
const slicedRow = (label: string, of: (round: SlicedRound) => number, digits = 2) => {
  const values = rounds.map(of);
  return `| ${label} | ${median(values).toFixed(digits)} | ${Math.max(...values).toFixed(digits)} |`;
};

const routes = previous.table.routes().length;
const full = median(scratchMs);
const inc = median(incrementalMs);
process.stdout.write(
  [
    `## One Ingress changed, ${routes.toLocaleString('en-US')} routes (${CHURN_FILES} Ingresses, the churn table)`,
    '',
    `Node ${process.version}; ${STEPS - WARM_UP} changes after ${WARM_UP} of warm-up; CPU time of the compile, median.`,
    '',
    '| compile | CPU ms per change |',
    '| --- | --: |',
    `| from scratch | ${full.toFixed(2)} |`,
    `| with \`previous\` | ${inc.toFixed(2)} |`,
    '',
    `With \`previous\`: ${(full / inc).toFixed(1)}× less CPU per change.`,
    '',
    `### From scratch in slices (\`compileInSlices\`, default slice), ${SLICED_ROUNDS} rounds after 5 of warm-up`,
    '',
    'Wall time, so it includes the turns given to the event loop; a block is the gap between two turns of a setImmediate ticker running beside the compile; garbage collection pauses (perf_hooks `gc` entries) land in whichever block allocated last.',
    '',
    '| | median | max |',
    '| --- | --: | --: |',
    slicedRow('total ms', (r) => r.totalMs),
    slicedRow('longest block ms', (r) => r.longestMs),
    slicedRow('longest block less its GC pauses ms', (r) => r.longestWithoutGcMs),
    slicedRow('longest GC pause during the compile ms', (r) => r.longestGcMs),
    slicedRow('event-loop turns', (r) => r.turns, 0),
    '',
  ].join('\n'),
);
