/**
 * One measured subject at one table size, in a process of its own (forked by the
 * orchestrator) so that JIT feedback, inline caches and heap from other subjects never
 * leak into its numbers. It loads `@switchyard/core` from the tree it is told (this
 * repository, or the base of a compare), rebuilds the workload from the seed, builds the subject
 * (timing the build and weighing what it keeps), checks every sampled request against
 * the reference answers, then times batches when asked.
 */
import { checkSubject } from './check.js';
import { PassMaker, timePasses, type Batch, type Call } from './measure.js';
import type { BuildStats, FromWorker, RequestKind, ToWorker } from './protocol.js';
import type { BenchRequest } from './requests.js';
import { loadCore } from './core-under-test.js';
import { gatewayRequestOf } from './gateway-requests.js';
import { generateGatewayWorkload } from './gateway-workload.js';
import { hostFor, subjectById, type Built, type TableInput } from './subjects.js';
import { generateWorkload } from './workload.js';

/** At least this many timed builds, when they fit the budget. */
const MIN_COMPILE_RUNS = 3;
const MAX_COMPILE_RUNS = 25;
/** Passes per timed batch at most: making fresh strings for fast subjects takes longer than timing them. */
const MAX_PASSES = 128;
const KINDS: readonly RequestKind[] = ['hits', 'misses'];

interface State {
  readonly call: Call;
  readonly makers: Readonly<Record<RequestKind, PassMaker>>;
  /** Passes over the sample per timed batch, set by the warm-up. */
  passes: Record<RequestKind, number>;
}

/** Set up once; `call` holds the built table for the life of the process. */
let state: State | undefined;

function send(message: FromWorker): void {
  process.send!(message);
}

function collectGarbage(): void {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run with --expose-gc (pnpm bench:match does)');
  // Twice: the first pass can leave objects that only a second one frees (weak references, finalizers).
  gc();
  gc();
}

async function setup(message: Extract<ToWorker, { type: 'setup' }>): Promise<void> {
  const subject = subjectById(message.subject);
  const core = await loadCore(message.coreRoot);
  const { input, fingerprint } = buildInput(subject.table, message);
  if (fingerprint !== message.fingerprint) {
    throw new Error(`workload fingerprint ${fingerprint} differs from the orchestrator's ${message.fingerprint}`);
  }

  const compileMs: number[] = [];
  const weigh = (): { built: Built; heapBytes: number } => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    const built = subject.build(core, input);
    compileMs.push(performance.now() - start);
    collectGarbage();
    return { built, heapBytes: process.memoryUsage().heapUsed - before };
  };
  // The first build in a fresh process also leaves the builder's own bytecode and feedback
  // on the heap, which would be counted as the table's; weigh a second build when building
  // is cheap enough to do twice (for big tables that overhead is lost in the noise).
  let weighed = weigh();
  if (compileMs[0]! < message.compileBudgetMs / 4) weighed = weigh();
  const { built, heapBytes } = weighed;

  let build: BuildStats | undefined;
  if (subject.ownBuild) {
    let spent = compileMs.reduce((sum, ms) => sum + ms, 0);
    while (compileMs.length < MAX_COMPILE_RUNS && spent < message.compileBudgetMs && (compileMs.length < MIN_COMPILE_RUNS || spent < message.compileBudgetMs / 2)) {
      collectGarbage();
      const start = performance.now();
      subject.build(core, input);
      const ms = performance.now() - start;
      compileMs.push(ms);
      spent += ms;
    }
    build = { compileMs, heapBytes };
  }

  const mismatches = checkSubject(subject, built, [...message.hits, ...message.misses]);
  const maker = (requests: readonly BenchRequest[]): PassMaker => {
    const sample: Batch = {
      hosts: requests.map((request) => hostFor(subject, request)),
      paths: requests.map((request) => request.path),
      ...(subject.table === 'gateway' ? { requests: requests.map(gatewayRequestOf) } : {}),
      hits: requests.filter((request) => request.expected !== '').length,
    };
    return new PassMaker(sample, message.freshStrings);
  };
  state = { call: built.call, makers: { hits: maker(message.hits), misses: maker(message.misses) }, passes: { hits: 1, misses: 1 } };
  collectGarbage();
  send({ type: 'ready', build, mismatches, coreEntry: core.entry });
}

/** The subject's workload, rebuilt from the seed: the Ingresses of the size, or the Gateway API table. */
function buildInput(table: 'ingress' | 'gateway', message: Extract<ToWorker, { type: 'setup' }>): { input: TableInput; fingerprint: string } {
  if (table === 'gateway') {
    const workload = generateGatewayWorkload(message.seed);
    return { input: { ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes }, fingerprint: workload.fingerprint };
  }
  const workload = generateWorkload(message.size, message.seed);
  return { input: { ingresses: workload.ingresses }, fingerprint: workload.fingerprint };
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'setup':
      await setup(message);
      return;
    case 'warm-up': {
      warmUp(ready(), message.ms, message.batchMs);
      send({ type: 'warmed', passes: ready().passes });
      return;
    }
    case 'measure': {
      const current = ready();
      const maker = current.makers[message.kind];
      // One untimed pass first: the worker timed before this one filled the shared caches with
      // its own table, and a round should time this subject's lookups, not its cache refill.
      timePasses(current.call, maker, 1);
      send({ type: 'measured', kind: message.kind, nsPerOp: timePasses(current.call, maker, current.passes[message.kind]) });
      return;
    }
  }
}

/**
 * Runs hits and misses in turn until `ms` have passed (and a few times each at least), so
 * the calls reach the optimizing tier before anything is recorded, then sets the passes
 * that make one timed batch last about `batchMs`.
 */
function warmUp(current: State, ms: number, batchMs: number): void {
  const best: Record<RequestKind, number> = { hits: Number.POSITIVE_INFINITY, misses: Number.POSITIVE_INFINITY };
  const until = performance.now() + ms;
  for (let round = 0; round < 5 || performance.now() < until; round++) {
    for (const kind of KINDS) best[kind] = Math.min(best[kind], timePasses(current.call, current.makers[kind], 1));
  }
  for (const kind of KINDS) {
    const passes = Math.round((batchMs * 1e6) / (best[kind] * current.makers[kind].sample.hosts.length));
    current.passes[kind] = Math.min(Math.max(1, passes), MAX_PASSES);
  }
  collectGarbage();
}

function ready(): State {
  if (state === undefined) throw new Error('worker: set up first');
  return state;
}

process.on('message', async (message: ToWorker) => {
  try {
    await handle(message);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect();
  }
});
