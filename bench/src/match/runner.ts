import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchError } from '../common/errors.js';
import { ManagedProcess } from '../common/managed-process.js';
import { roundOrder } from '../common/rounds.js';
import type { Log } from '../common/script.js';
import { describeMismatch, type Mismatch } from './check.js';
import { WORKING_TREE } from './core-under-test.js';
import type { BenchOptions } from './options.js';
import { assertValid, createOracle } from './oracle.js';
import type { BuildStats, FromWorker, RequestKind, ToWorker } from './protocol.js';
import { assertNormalForm, composition, sampleRequests, type RequestCategory, type RequestSample } from './requests.js';
import { tableLabel, type TableSize } from './sizes.js';
import { spread, median, type Spread } from '../common/stats.js';
import { SUBJECTS, type Subject, type SubjectId, type TableKind } from './subjects.js';
import { generateWorkload } from './workload.js';
import { assertValidGateway, createGatewayOracle } from './gateway-oracle.js';
import { sampleGatewayRequests } from './gateway-requests.js';
import { GATEWAY_TABLE, generateGatewayWorkload } from './gateway-workload.js';

/** The workload of one size, as the report describes it. */
export interface SizeInfo {
  /** An Ingress table of one size, or the Gateway API table (`paths` then counts HTTPRoute rules). */
  readonly table: TableKind;
  readonly paths: number;
  readonly hosts: number;
  readonly ingresses: number;
  /** Rules that repeat an older one: compile reports each as a conflict. */
  readonly conflicts: number;
  /** Gateway API: the HTTPRoutes, and the matches that share their host and path with an earlier one (precedence decides). */
  readonly httpRoutes?: number;
  readonly sharedPathMatches?: number;
  readonly fingerprint: string;
  readonly hits: Partial<Record<RequestCategory, number>>;
  readonly misses: Partial<Record<RequestCategory, number>>;
}

export interface BuildResult extends BuildStats {
  readonly medianMs: number;
}

export interface TimingResult extends Spread {
  /** ns per call of each round, in round order. */
  readonly rounds: readonly number[];
  /** Calls per round. */
  readonly calls: number;
}

/** A source tree whose `@switchyard/core` the workers load: this repository, or the base of a compare. */
export interface SourceTree {
  readonly id: 'working' | 'base';
  readonly root: string;
}

export const WORKING: SourceTree = { id: 'working', root: WORKING_TREE };

export interface CaseResult {
  readonly tree: SourceTree['id'];
  readonly table: TableKind;
  readonly paths: number;
  readonly hosts: number;
  readonly subject: SubjectId;
  readonly label: string;
  /** Undefined for `lookup`, which reads the table `match` builds. */
  readonly build: BuildResult | undefined;
  readonly timings: Readonly<Record<RequestKind, TimingResult>>;
}

class CorrectnessError extends BenchError {
  constructor(readonly mismatches: readonly Mismatch[]) {
    super('SWY_BENCH_WRONG_ANSWER', `${mismatches.length} request(s) answered differently from the reference matcher:\n\n${mismatches.map(describeMismatch).join('\n\n')}`, {
      field: 'answer',
    });
  }
}

interface Prepared {
  readonly table: TableKind;
  readonly size: TableSize;
  readonly info: SizeInfo;
  readonly sample: RequestSample;
  readonly fingerprint: string;
}

interface Running {
  readonly prepared: Prepared;
  readonly tree: SourceTree;
  readonly subject: Subject;
  readonly handle: ManagedProcess<ToWorker, FromWorker>;
  build?: BuildStats | undefined;
  passes?: Readonly<Record<RequestKind, number>>;
  readonly rounds: Record<RequestKind, number[]>;
}

/**
 * Runs the whole benchmark. First, for every size, the sample's reference answers are
 * computed here and every subject is built and checked in its own worker, one per source
 * tree; nothing is timed until all of them agree with the reference. Then every worker warms
 * up, and the timed rounds go through all of them, every size and subject, in a rotating
 * order (hits and misses alternating first; the trees of one subject back to back, their
 * order flipping each round): on a shared machine a slow spell then lands on all cases
 * alike, which keeps the ratios (subject to subject, 100,000 paths to 10, working tree to
 * base) honest even when the absolute numbers drift.
 */
export async function runBenchmark(options: BenchOptions, log: Log, trees: readonly SourceTree[] = [WORKING]): Promise<{ sizes: SizeInfo[]; cases: CaseResult[] }> {
  const selected = SUBJECTS.filter((candidate) => options.subjects.includes(candidate.id));
  const prepared = [
    ...(selected.some((subject) => subject.table === 'ingress') ? options.sizes.map((size) => prepare(size, options, log)) : []),
    ...(selected.some((subject) => subject.table === 'gateway') ? [prepareGateway(options, log)] : []),
  ];
  const all: Running[] = [];
  try {
    for (const item of prepared) {
      const { size, sample, fingerprint } = item;
      for (const subject of selected.filter((candidate) => candidate.table === item.table)) {
        for (const tree of trees) {
          const started = performance.now();
          const name = `${subject.id}@${size.paths}${trees.length > 1 ? ` (${tree.id})` : ''}`;
          const running: Running = { prepared: item, tree, subject, handle: startWorker(name), rounds: { hits: [], misses: [] } };
          all.push(running);
          const ready = await running.handle.ask(
            {
              type: 'setup',
              subject: subject.id,
              coreRoot: tree.root,
              size,
              seed: options.seed,
              fingerprint,
              hits: sample.hits,
              misses: sample.misses,
              compileBudgetMs: options.compileBudgetMs,
              freshStrings: !options.reuseStrings,
            },
            'ready',
          );
          if (ready.mismatches.length > 0) throw new CorrectnessError(trees.length > 1 ? ready.mismatches.map((m) => ({ ...m, subject: `${m.subject} (${tree.id} tree)` })) : ready.mismatches);
          running.build = ready.build;
          const from = trees.length > 1 ? ` with ${ready.coreEntry}` : '';
          log(`checked ${tableLabel(item.table, size)}, ${subject.label}${from}: ${sample.hits.length + sample.misses.length} requests agree with the reference (${seconds(started)})`);
        }
      }
    }
    let started = performance.now();
    for (const running of all) {
      running.passes = (await running.handle.ask({ type: 'warm-up', ms: options.warmUpMs, batchMs: options.batchMs }, 'warmed')).passes;
    }
    log(`warmed up ${all.length} workers (${seconds(started)})`);
    started = performance.now();
    for (let round = 0; round < options.rounds; round++) {
      const kinds: RequestKind[] = round % 2 === 0 ? ['hits', 'misses'] : ['misses', 'hits'];
      for (const running of roundOrder(all, round, trees.length)) {
        for (const kind of kinds) {
          running.rounds[kind].push((await running.handle.ask({ type: 'measure', kind }, 'measured')).nsPerOp);
        }
      }
      log(`timed round ${round + 1} of ${options.rounds} (${seconds(started)})`);
    }
    return { sizes: prepared.map((p) => p.info), cases: all.map(toCase) };
  } finally {
    await Promise.all(all.map((running) => running.handle.stop()));
  }
}

// The worker sits next to this file, as .ts under tsx and as .js once built.
const WORKER_FILE = fileURLToPath(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** A worker process for one case, with this process's flags (tsx's loader, `--conditions=source`, `--expose-gc`). */
function startWorker(name: string): ManagedProcess<ToWorker, FromWorker> {
  return new ManagedProcess({ name: `worker ${name}`, command: process.execPath, args: [...process.execArgv, WORKER_FILE], ipc: true });
}

function prepare(size: TableSize, options: BenchOptions, log: Log): Prepared {
  const started = performance.now();
  const workload = generateWorkload(size, options.seed);
  assertValid(workload);
  const sample = sampleRequests(workload, createOracle(workload.ingresses), options.sample);
  assertNormalForm([...sample.hits, ...sample.misses]);
  log(`built ${tableLabel('ingress', size)}: ${workload.ingresses.length} Ingresses, ${sample.hits.length} hits and ${sample.misses.length} misses answered by the reference (${seconds(started)})`);
  return {
    table: 'ingress',
    size,
    sample,
    fingerprint: workload.fingerprint,
    info: {
      table: 'ingress',
      paths: size.paths,
      hosts: size.hosts,
      ingresses: workload.ingresses.length,
      conflicts: workload.conflicts,
      fingerprint: workload.fingerprint,
      hits: composition(sample.hits),
      misses: composition(sample.misses),
    },
  };
}

/** The Gateway API table: its workload, checked valid, and a sample answered by the Gateway API reference matcher. */
function prepareGateway(options: BenchOptions, log: Log): Prepared {
  const started = performance.now();
  const workload = generateGatewayWorkload(options.seed);
  assertValidGateway(workload);
  const sample = sampleGatewayRequests(workload, createGatewayOracle(workload), options.sample);
  assertNormalForm([...sample.hits, ...sample.misses]);
  log(`built ${tableLabel('gateway', GATEWAY_TABLE)}: ${workload.httpRoutes.length} HTTPRoutes, ${sample.hits.length} hits and ${sample.misses.length} misses answered by the reference (${seconds(started)})`);
  return {
    table: 'gateway',
    size: GATEWAY_TABLE,
    sample,
    fingerprint: workload.fingerprint,
    info: {
      table: 'gateway',
      paths: GATEWAY_TABLE.paths,
      hosts: GATEWAY_TABLE.hosts,
      ingresses: 0,
      conflicts: 0,
      httpRoutes: workload.httpRoutes.length,
      sharedPathMatches: workload.sharedPathMatches,
      fingerprint: workload.fingerprint,
      hits: composition(sample.hits),
      misses: composition(sample.misses),
    },
  };
}

function toCase(running: Running): CaseResult {
  const { table, size, sample } = running.prepared;
  const timing = (kind: RequestKind): TimingResult => ({ ...spread(running.rounds[kind]), rounds: running.rounds[kind], calls: running.passes![kind] * sample[kind].length });
  const build = running.build === undefined ? undefined : { ...running.build, medianMs: median(running.build.compileMs) };
  return { tree: running.tree.id, table, paths: size.paths, hosts: size.hosts, subject: running.subject.id, label: running.subject.label, build, timings: { hits: timing('hits'), misses: timing('misses') } };
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
