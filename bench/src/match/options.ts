import { idList, parseCommandLine, positiveInteger } from '../common/options.js';
import { DEFAULT_SAMPLE_SIZE } from './requests.js';
import { SUBJECTS, type SubjectId } from './subjects.js';
import { SIZES, sizeByPaths, type TableSize } from './sizes.js';
import { DEFAULT_SEED } from './workload.js';

export interface BenchOptions {
  readonly sizes: readonly TableSize[];
  readonly subjects: readonly SubjectId[];
  /** Timed rounds per subject and request kind; the report gives their median and range. */
  readonly rounds: number;
  readonly seed: number;
  /** Hits and misses each. */
  readonly sample: number;
  readonly warmUpMs: number;
  /** About how long one timed batch lasts. */
  readonly batchMs: number;
  /** Time spent on compile-time samples per subject (at least one build, usually three or more). */
  readonly compileBudgetMs: number;
  /** Hand the same string objects to every pass instead of new ones per call (flatters Map lookups). */
  readonly reuseStrings: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  sizes: SIZES,
  subjects: SUBJECTS.map((subject) => subject.id),
  rounds: 9,
  seed: DEFAULT_SEED,
  sample: DEFAULT_SAMPLE_SIZE,
  warmUpMs: 400,
  batchMs: 60,
  compileBudgetMs: 2_000,
  reuseStrings: false,
};

export const USAGE = `pnpm bench:match [-- options]

  --sizes 10,1000      table sizes to run, by path count (default: 10,1000,10000,100000)
  --subjects a,b       subjects to run (default: ${SUBJECTS.map((subject) => subject.id).join(',')})
  --rounds 9           timed rounds per subject and request kind
  --sample 2048        hits and misses in the request sample, each
  --seed ${DEFAULT_SEED}    workload seed
  --batch-ms 60        length of one timed batch
  --warm-up-ms 400     warm-up per subject before the first round
  --reuse-strings      time every pass on the same string objects (V8 then caches their
                       hashes; by default each call gets new strings, as from a socket)
  --help`;

/**
 * Parses the command line.
 *
 * @throws BenchError `SWY_BENCH_BAD_OPTION` naming the option (field) for a value it cannot use.
 */
export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const values = parseCommandLine(argv, MATCH_OPTIONS, USAGE);
  return values.help ? 'help' : matchOptionsFrom(values);
}

/** The options from parsed values of `MATCH_OPTIONS` (`bench:compare` parses them among its own). */
export function matchOptionsFrom(values: MatchValues): BenchOptions {
  return {
    sizes: values.sizes === undefined ? DEFAULT_OPTIONS.sizes : sizeList(values.sizes),
    subjects: values.subjects === undefined ? DEFAULT_OPTIONS.subjects : idList('subjects', values.subjects, DEFAULT_OPTIONS.subjects),
    rounds: positiveInteger('rounds', values.rounds) ?? DEFAULT_OPTIONS.rounds,
    sample: positiveInteger('sample', values.sample) ?? DEFAULT_OPTIONS.sample,
    seed: positiveInteger('seed', values.seed) ?? DEFAULT_OPTIONS.seed,
    batchMs: positiveInteger('batch-ms', values['batch-ms']) ?? DEFAULT_OPTIONS.batchMs,
    warmUpMs: positiveInteger('warm-up-ms', values['warm-up-ms']) ?? DEFAULT_OPTIONS.warmUpMs,
    compileBudgetMs: DEFAULT_OPTIONS.compileBudgetMs,
    reuseStrings: values['reuse-strings'] ?? false,
  };
}

/** What the parser gives for `MATCH_OPTIONS`. */
type MatchValues = { readonly [K in keyof typeof MATCH_OPTIONS]?: (typeof MATCH_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** The options `bench:match` and `bench:compare --match` share. */
export const MATCH_OPTIONS = {
  sizes: { type: 'string' },
  subjects: { type: 'string' },
  rounds: { type: 'string' },
  sample: { type: 'string' },
  seed: { type: 'string' },
  'batch-ms': { type: 'string' },
  'warm-up-ms': { type: 'string' },
  'reuse-strings': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** `--sizes 10,1000`: sizes by path count, in the catalogue's order. */
function sizeList(text: string): TableSize[] {
  const known = SIZES.map((size) => String(size.paths));
  return idList('sizes', text.replaceAll('_', ''), known).map((paths) => sizeByPaths(Number(paths))!);
}
