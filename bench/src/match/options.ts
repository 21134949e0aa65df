import { parseArgs } from 'node:util';
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

/** Parses the command line; throws with a readable message on a bad value. */
export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      sizes: { type: 'string' },
      subjects: { type: 'string' },
      rounds: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      'batch-ms': { type: 'string' },
      'warm-up-ms': { type: 'string' },
      'reuse-strings': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const sizes = values.sizes?.split(',').map((text) => {
    const size = sizeByPaths(Number(text.replaceAll('_', '')));
    if (size === undefined) throw new Error(`--sizes: ${text} is not one of ${SIZES.map((s) => s.paths).join(', ')}`);
    return size;
  });
  const subjects = values.subjects?.split(',').map((id) => {
    if (!SUBJECTS.some((subject) => subject.id === id)) throw new Error(`--subjects: ${id} is not one of ${DEFAULT_OPTIONS.subjects.join(', ')}`);
    return id as SubjectId;
  });
  return {
    sizes: sizes ?? DEFAULT_OPTIONS.sizes,
    subjects: subjects ?? DEFAULT_OPTIONS.subjects,
    rounds: positive('rounds', values.rounds) ?? DEFAULT_OPTIONS.rounds,
    sample: positive('sample', values.sample) ?? DEFAULT_OPTIONS.sample,
    seed: positive('seed', values.seed) ?? DEFAULT_OPTIONS.seed,
    batchMs: positive('batch-ms', values['batch-ms']) ?? DEFAULT_OPTIONS.batchMs,
    warmUpMs: positive('warm-up-ms', values['warm-up-ms']) ?? DEFAULT_OPTIONS.warmUpMs,
    compileBudgetMs: DEFAULT_OPTIONS.compileBudgetMs,
    reuseStrings: values['reuse-strings'] ?? false,
  };
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name}: expected a positive integer, got ${JSON.stringify(text)}`);
  return value;
}
