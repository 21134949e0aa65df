/**
 * `pnpm bench:compile`: what one config change costs the thread that serves, at 10,000 paths.
 *
 * Ingresses: the `swaps` scenario's churn table (100 Ingresses of 100 paths, 100 hosts each
 * shared by 5 Ingresses: churn-table.ts). HTTPRoutes: 1,000 HTTPRoutes of 10 paths on one
 * Gateway (route-churn.ts). Each step replaces one object with its next revision (one path
 * renamed), then compiles the same input twice: from scratch, and with the previous result
 * (`CompileOptions.previous`, what `switchyard serve` does on a reload). Then as many changes
 * compiled with the previous result only, one after another as `serve` reloads: the compile
 * from scratch before each leaves the CPU caches full of its own objects, which the compile with
 * `previous` then reads afresh. CPU time of the process around each compile, medians after
 * warm-up; every table is checked to route the renamed path.
 *
 * Then one Ingress of 10,000 paths on one host, one path renamed per step: the host is one
 * unit of incremental reuse, so a change to it recompiles it whole.
 *
 * Then each table compiled from scratch by `compileInSlices` (default slice): its wall time in
 * all, the longest the event loop was held at once (sliced-round.ts), the same less the garbage
 * collection pauses in it, and the longest of those pauses; alternately without and with the
 * young generation collected between slices, as `serve` compiles. The process runs with
 * `--no-allocation-site-pretenuring` (the package script), as `serve` does. Markdown to stdout.
 */
import { collectYoungGeneration } from '@switchyard/cli';
import { compile, type CompileOptions, type CompileResult, type Ingress } from '@switchyard/core';
import { CHURN_FILES, churnedHost, churnedPath, churnIngress } from '../proxy/churn-table.js';
import { CHURN_GATEWAY, churnRoute, churnRouteHost, churnRoutePath, ROUTE_COUNT } from './route-churn.js';
import { slicedRound, type SlicedRound } from './sliced-round.js';

const STEPS = 120;
const WARM_UP = 20;
const SLICED_ROUNDS = 30;
const SLICED_WARM_UP = 5;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** A configuration that changes one object per step, and how to check a table routes the change. */
interface Scenario {
  readonly title: string;
  /** The options after `step` changes (the first call: step 0). */
  options(step: number): CompileOptions;
  /** Throws unless `result` routes what step `step` changed. */
  check(result: CompileResult, step: number): void;
}

interface Figures {
  readonly routes: number;
  readonly scratchMs: number;
  readonly incrementalMs: number;
  /** With `previous`, one change after another. */
  readonly reloadMs: number;
  readonly sliced: SlicedRound[];
  /** The same compiles with the young generation collected between slices, as `switchyard serve` compiles. */
  readonly slicedAsServe: SlicedRound[];
}

async function measure(scenario: Scenario): Promise<Figures> {
  let previous = compile(scenario.options(0));
  const scratchMs: number[] = [];
  const incrementalMs: number[] = [];
  for (let step = 1; step <= STEPS; step++) {
    const options = scenario.options(step);
    let started = cpuMs();
    const scratch = compile(options);
    const scratchTook = cpuMs() - started;
    started = cpuMs();
    const incremental = compile({ ...options, previous });
    const incrementalTook = cpuMs() - started;
    scenario.check(scratch, step);
    scenario.check(incremental, step);
    if (step > WARM_UP) {
      scratchMs.push(scratchTook);
      incrementalMs.push(incrementalTook);
    }
    previous = incremental;
  }
  // As `serve` reloads: one change after another, nothing compiled from scratch in between.
  const reloadMs: number[] = [];
  let step = STEPS;
  while (step < 2 * STEPS) {
    step++;
    const options = scenario.options(step);
    const started = cpuMs();
    const incremental = compile({ ...options, previous });
    const took = cpuMs() - started;
    scenario.check(incremental, step);
    if (step > STEPS + WARM_UP) reloadMs.push(took);
    previous = incremental;
  }
  const sliced: SlicedRound[] = [];
  const slicedAsServe: SlicedRound[] = [];
  const options = scenario.options(step);
  // Alternating, so that both see the same machine.
  for (let round = 0; round < SLICED_WARM_UP + SLICED_ROUNDS; round++) {
    const plain = await slicedRound(options);
    const asServe = await slicedRound(options, { betweenSlices: collectYoungGeneration });
    if (round < SLICED_WARM_UP) continue;
    sliced.push(plain);
    slicedAsServe.push(asServe);
  }
  const routes = previous.table.routes().length + (previous.table.gatewayApi?.routes.length ?? 0);
  return { routes, scratchMs: median(scratchMs), incrementalMs: median(incrementalMs), reloadMs: median(reloadMs), sliced, slicedAsServe };
}

const ingresses: Ingress[] = Array.from({ length: CHURN_FILES }, (_, file) => churnIngress(file, 0));
const ingressScenario: Scenario = {
  title: `One Ingress changed (${CHURN_FILES} Ingresses, the churn table)`,
  options(step) {
    if (step > 0) {
      const file = (step * 37) % CHURN_FILES;
      ingresses[file] = churnIngress(file, Math.floor((step - 1) / CHURN_FILES) + 1);
    }
    return { ingresses: [...ingresses] };
  },
  check(result, step) {
    const file = (step * 37) % CHURN_FILES;
    const path = churnedPath(file, Math.floor((step - 1) / CHURN_FILES) + 1);
    if (result.table.match(churnedHost(file), path)?.path !== path) throw new Error(`step ${step}: ${churnedHost(file)}${path} is not routed by its new rule`);
  },
};

const httpRoutes = Array.from({ length: ROUTE_COUNT }, (_, route) => churnRoute(route, 0));
const routeScenario: Scenario = {
  title: `One HTTPRoute changed (${ROUTE_COUNT.toLocaleString('en-US')} HTTPRoutes on one Gateway)`,
  options(step) {
    if (step > 0) {
      const route = (step * 37) % ROUTE_COUNT;
      httpRoutes[route] = churnRoute(route, step);
    }
    return { ingresses: [], gatewayClass: 'switchyard', gateways: [CHURN_GATEWAY], httpRoutes: [...httpRoutes] };
  },
  check(result, step) {
    const route = (step * 37) % ROUTE_COUNT;
    const host = churnRouteHost(route);
    const path = churnRoutePath(route, step);
    const match = result.table.gatewayPort(8080)?.select(host)?.find(host, `${path}/x`, { method: 'GET', headers: {}, query: '' });
    if (match?.pathValue !== path) throw new Error(`step ${step}: ${host}${path} is not routed by its new rule`);
  },
};

const ONE_HOST_PATHS = 10_000;
/** One Ingress routing ONE_HOST_PATHS paths on one host; step n renames path n. */
function oneHostIngress(step: number): Ingress {
  const paths = Array.from({ length: ONE_HOST_PATHS }, (_, j) => ({
    path: j === step % ONE_HOST_PATHS && step > 0 ? `/big/renamed-${step}` : `/big/p-${j}`,
    pathType: j % 4 === 3 ? 'Exact' : 'Prefix',
    backend: { service: { name: 'big', port: { number: 80 } } },
  }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'big', namespace: 'churn', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { rules: [{ host: 'big.churn.test', http: { paths } }] } } as Ingress;
}
const oneHostScenario: Scenario = {
  title: `One host's Ingress changed (one Ingress of ${ONE_HOST_PATHS.toLocaleString('en-US')} paths on one host: the change recompiles that host whole)`,
  options: (step) => ({ ingresses: [oneHostIngress(step)] }),
  check(result, step) {
    const path = `/big/renamed-${step}`;
    if (result.table.match('big.churn.test', path)?.path !== path) throw new Error(`step ${step}: big.churn.test${path} is not routed by its new rule`);
  },
};

const lines = [`Node ${process.version}, ${process.execArgv.filter((arg) => arg.startsWith('--no-') || arg.startsWith('--max-')).join(' ') || 'no V8 flags'}; ${STEPS - WARM_UP} changes after ${WARM_UP} of warm-up, each compiled from scratch and with \`previous\`, then ${STEPS - WARM_UP} more with \`previous\` only, CPU time of the compile, median; then ${SLICED_ROUNDS} compiles from scratch in slices after ${SLICED_WARM_UP} of warm-up.`, ''];
for (const scenario of [ingressScenario, routeScenario, oneHostScenario]) {
  const figures = await measure(scenario);
  const row = (label: string, of: (round: SlicedRound) => number, digits = 2) => {
    const cells = [figures.sliced, figures.slicedAsServe].map((rounds) => {
      const values = rounds.map(of);
      return `${median(values).toFixed(digits)} | ${Math.max(...values).toFixed(digits)}`;
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  };
  lines.push(
    `## ${scenario.title}, ${figures.routes.toLocaleString('en-US')} routes`,
    '',
    '| compile | CPU ms per change |',
    '| --- | --: |',
    `| from scratch | ${figures.scratchMs.toFixed(2)} |`,
    `| with \`previous\`, right after the compile from scratch | ${figures.incrementalMs.toFixed(2)} |`,
    `| with \`previous\`, one change after another (as \`serve\` reloads) | ${figures.reloadMs.toFixed(2)} |`,
    '',
    `With \`previous\`: ${(figures.scratchMs / figures.incrementalMs).toFixed(1)}× less CPU per change than from scratch (the two compiles of the same change, side by side).`,
    '',
    'From scratch in slices (`compileInSlices`, default slice), wall time; a block is the gap between two event-loop turns. As `serve` compiles: with the young generation collected between slices (`collectYoungGeneration` as `betweenSlices`):',
    '',
    '| | median | max | as `serve`: median | max |',
    '| --- | --: | --: | --: | --: |',
    row('total ms', (r) => r.totalMs),
    row('longest block ms', (r) => r.longestMs),
    row('longest block less its GC pauses ms', (r) => r.longestWithoutGcMs),
    row('longest GC pause during the compile ms', (r) => r.longestGcMs),
    row('event-loop turns', (r) => r.turns, 0),
    '',
  );
}
process.stdout.write(lines.join('\n'));
