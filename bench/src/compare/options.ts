import { badOption, idList, nonNegativeInteger, parseCommandLine, positiveInteger } from '../common/options.js';
import { MATCH_OPTIONS, matchOptionsFrom, type BenchOptions } from '../match/options.js';
import { SIZES } from '../match/sizes.js';
import { DEFAULT_SEED } from '../match/workload.js';
import { DEFAULT_OPTIONS as PROXY_DEFAULTS, type ProxyBenchOptions } from '../proxy/options.js';

/** The Switchyard targets a compare can run from both trees. */
const COMPARE_TARGET_IDS = ['switchyard-1', 'switchyard-1k', 'switchyard-10k', 'switchyard-gateway-1k'] as const;
export type CompareTargetId = (typeof COMPARE_TARGET_IDS)[number];

export interface CompareOptions {
  /** The git ref the working tree is compared with. */
  readonly base: string;
  /** The match benchmark's options (its rounds are `--rounds`), or undefined when not run. */
  readonly match: BenchOptions | undefined;
  /** The proxy benchmark's options for the Switchyard targets, or undefined when not run. */
  readonly proxy: (ProxyBenchOptions & { readonly compareTargets: readonly CompareTargetId[] }) | undefined;
}

/** Smaller than `bench:match`'s default: 100,000 paths would hold about 3 GB per tree. */
const DEFAULT_SIZES = SIZES.filter((size) => size.paths <= 10_000);
const DEFAULT_TARGETS: readonly CompareTargetId[] = ['switchyard-1', 'switchyard-10k'];

export const USAGE = `pnpm bench:compare -- --base <git ref> [options]

  --base main          the commit to compare the working tree with (checked out and installed
                       in a temporary git worktree, removed at the end)
  --match              run the match benchmark (default: both, when neither is named)
  --proxy              run the proxy benchmark's Switchyard targets
  --rounds 5           interleaved rounds (each pair A B, then B A, ...) for both benchmarks
  --seed ${DEFAULT_SEED}      seed of the generated workloads, for both benchmarks
match (the options of bench:match; default sizes 10,1000,10000):
  --sizes, --subjects, --sample, --batch-ms, --warm-up-ms, --reuse-strings
proxy:
  --targets a,b        ${COMPARE_TARGET_IDS.join(', ')} (default: ${DEFAULT_TARGETS.join(',')})
  --duration 8         seconds of load per target and round
  --warm-up 2          untimed seconds of load per target before the first round
  --connections 50     load connections
  --request-list 2048  distinct (Host, path) pairs the multi-path targets cycle through
  --help`;

/**
 * Parses the command line.
 *
 * @throws BenchError `SWY_BENCH_BAD_OPTION` naming the option (field) for a value it cannot use.
 */
export function parseCompareOptions(argv: readonly string[]): CompareOptions | 'help' {
  const values = parseCommandLine(argv, COMPARE_OPTIONS, USAGE);
  if (values.help) return 'help';
  if (values.base === undefined || values.base === '') badOption('base', 'name the git ref to compare with, e.g. --base main');
  const both = !values.match && !values.proxy;
  const rounds = positiveInteger('rounds', values.rounds) ?? 5;
  const parsed = both || values.match ? matchOptionsFrom(values) : undefined;
  const match = parsed && { ...parsed, rounds, sizes: values.sizes === undefined ? DEFAULT_SIZES : parsed.sizes };
  const proxy: CompareOptions['proxy'] =
    both || values.proxy
      ? {
          ...PROXY_DEFAULTS,
          durationS: positiveInteger('duration', values.duration) ?? PROXY_DEFAULTS.durationS,
          warmUpS: nonNegativeInteger('warm-up', values['warm-up']) ?? PROXY_DEFAULTS.warmUpS,
          connections: positiveInteger('connections', values.connections) ?? PROXY_DEFAULTS.connections,
          requestList: positiveInteger('request-list', values['request-list']) ?? PROXY_DEFAULTS.requestList,
          seed: positiveInteger('seed', values.seed) ?? PROXY_DEFAULTS.seed,
          rounds,
          scenarios: [],
          targets: [],
          profile: false,
          compareTargets: values.targets === undefined ? DEFAULT_TARGETS : idList('targets', values.targets, COMPARE_TARGET_IDS),
        }
      : undefined;
  return {
    base: values.base,
    match,
    proxy,
  };
}

const COMPARE_OPTIONS = {
  ...MATCH_OPTIONS,
  base: { type: 'string' },
  match: { type: 'boolean' },
  proxy: { type: 'boolean' },
  targets: { type: 'string' },
  duration: { type: 'string' },
  'warm-up': { type: 'string' },
  connections: { type: 'string' },
  'request-list': { type: 'string' },
} as const;
