/**
 * `pnpm bench:compile`: what one Ingress change costs the thread that serves, at 10,000 paths.
 * The table is the `swaps` scenario's churn table (100 Ingresses of 100 paths, 100 hosts each
 * shared by 5 Ingresses: churn-table.ts); each step replaces one Ingress with its next revision
 * (one path renamed), then compiles the same input twice: from scratch, and with the previous
 * result (`CompileOptions.previous`, what `switchyard serve` does on a reload). CPU time of the
 * process around each compile, medians after warm-up; the two tables are checked to route the
 * renamed path alike. Markdown to stdout.
 */
import { compile, type CompileResult, type Ingress } from '@switchyard/core';
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
  ].join('\n'),
);
