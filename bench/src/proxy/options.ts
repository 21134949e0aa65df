import { idList, nonNegativeInteger, parseCommandLine, positiveInteger } from '../common/options.js';
import { DEFAULT_SEED } from '../match/workload.js';

/** The targets of the main table, in the order they are listed and rotated. */
export const TARGET_IDS = [
  'direct',
  'fastify-http-proxy',
  'reply-from-map',
  'undici-floor',
  'switchyard-1',
  'switchyard-1k',
  'switchyard-10k',
  'switchyard-gateway-1k',
  'switchyard-1k-gateway-load',
  'switchyard-cli-1k',
  'switchyard-cli-1k-nolog',
  'fast-gateway',
  'node-http-proxy',
  'nginx-proxy',
] as const;
export type TargetId = (typeof TARGET_IDS)[number];

/** The CLI as a user runs it (`switchyard serve -f DIR`, defaults) on the 1,000-path table (issue 16). */
export const CLI_SERVE_TARGET: TargetId = 'switchyard-cli-1k';
/** The same CLI with `--access-log off`: beside `CLI_SERVE_TARGET`, the request line's cost apart from the rest. */
export const CLI_SERVE_NOLOG_TARGET: TargetId = 'switchyard-cli-1k-nolog';

/** The extra scenarios, each a table of its own after the main one. */
export const SCENARIO_IDS = ['tls', 'websocket', 'swaps', 'workers', 'big-body', 'h2', 'grpc'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface ProxyBenchOptions {
  /** Seconds of load per target per round in the main table. */
  readonly durationS: number;
  /** Seconds of load per target per round in the extra scenarios. */
  readonly scenarioDurationS: number;
  /** Untimed seconds of load per target before the first round. */
  readonly warmUpS: number;
  readonly rounds: number;
  readonly connections: number;
  readonly pipelining: number;
  readonly targets: readonly TargetId[];
  readonly scenarios: readonly ScenarioId[];
  /** Seed of the generated 1,000- and 10,000-path tables and the Gateway API table (the match benchmark's generators). */
  readonly seed: number;
  /** Distinct (Host, path) pairs the multi-path targets are loaded with. */
  readonly requestList: number;
  /** Use wrk for the fast targets when it is on PATH (default); false: autocannon for everything. */
  readonly wrk: boolean;
  /**
   * After the main table's rounds, one untimed window per Switchyard target with V8's sampling
   * profiler on, for the route lookup's share of CPU (default); false skips it.
   */
  readonly profile: boolean;
}

export const DEFAULT_OPTIONS: ProxyBenchOptions = {
  durationS: 8,
  scenarioDurationS: 5,
  warmUpS: 2,
  rounds: 5,
  connections: 50,
  pipelining: 1,
  targets: TARGET_IDS,
  scenarios: SCENARIO_IDS,
  seed: DEFAULT_SEED,
  requestList: 2_048,
  wrk: true,
  profile: true,
};

export const USAGE = `pnpm bench:proxy [-- options]

  --duration 8           seconds of load per target and round (main table)
  --scenario-duration 5  seconds of load per target and round (extra scenarios)
  --warm-up 2            untimed seconds of load per target before the first round
  --rounds 5             interleaved rounds (A B C ... A B C ...); the table shows the median
  --connections 50       load connections
  --pipelining 1         requests in flight per connection
  --targets a,b|none     main-table targets (default: all):
                         ${TARGET_IDS.join(', ')}
  --scenarios a,b|none   extra scenarios (default: all): ${SCENARIO_IDS.join(', ')}
  --seed ${DEFAULT_SEED}       seed of the generated 1,000- and 10,000-path tables and the Gateway API table
  --request-list 2048    distinct (Host, path) pairs the multi-path targets cycle through
  --no-wrk               autocannon for every target even when wrk is on PATH
  --no-profile           skip the untimed profiled window of each Switchyard target
  --help`;

/**
 * Parses the command line.
 *
 * @throws BenchError `SWY_BENCH_BAD_OPTION` naming the option (field) for a value it cannot use.
 */
export function parseOptions(argv: readonly string[]): ProxyBenchOptions | 'help' {
  const values = parseCommandLine(argv, PROXY_OPTIONS, USAGE);
  if (values.help) return 'help';
  return {
    durationS: positiveInteger('duration', values.duration) ?? DEFAULT_OPTIONS.durationS,
    scenarioDurationS: positiveInteger('scenario-duration', values['scenario-duration']) ?? DEFAULT_OPTIONS.scenarioDurationS,
    warmUpS: nonNegativeInteger('warm-up', values['warm-up']) ?? DEFAULT_OPTIONS.warmUpS,
    rounds: positiveInteger('rounds', values.rounds) ?? DEFAULT_OPTIONS.rounds,
    connections: positiveInteger('connections', values.connections) ?? DEFAULT_OPTIONS.connections,
    pipelining: positiveInteger('pipelining', values.pipelining) ?? DEFAULT_OPTIONS.pipelining,
    targets: values.targets === undefined ? DEFAULT_OPTIONS.targets : idList('targets', values.targets, TARGET_IDS, true),
    scenarios: values.scenarios === undefined ? DEFAULT_OPTIONS.scenarios : idList('scenarios', values.scenarios, SCENARIO_IDS, true),
    seed: positiveInteger('seed', values.seed) ?? DEFAULT_OPTIONS.seed,
    requestList: positiveInteger('request-list', values['request-list']) ?? DEFAULT_OPTIONS.requestList,
    wrk: !(values['no-wrk'] ?? false),
    profile: !(values['no-profile'] ?? false),
  };
}

const PROXY_OPTIONS = {
  duration: { type: 'string' },
  'scenario-duration': { type: 'string' },
  'warm-up': { type: 'string' },
  rounds: { type: 'string' },
  connections: { type: 'string' },
  pipelining: { type: 'string' },
  targets: { type: 'string' },
  scenarios: { type: 'string' },
  seed: { type: 'string' },
  'request-list': { type: 'string' },
  'no-wrk': { type: 'boolean' },
  'no-profile': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;
