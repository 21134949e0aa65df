import type { Log } from '../common/script.js';
import type { BenchOptions } from '../match/options.js';
import type { RequestKind } from '../match/protocol.js';
import { runBenchmark, WORKING, type CaseResult, type SizeInfo } from '../match/runner.js';
import { tableLabel } from '../match/sizes.js';
import { pairedRow, type PairedRow } from './paired-row.js';

export interface MatchComparison {
  readonly options: BenchOptions;
  readonly sizes: readonly SizeInfo[];
  /** Every case of both trees, as `bench:match` records them (`tree` says which). */
  readonly cases: readonly CaseResult[];
  readonly rows: readonly PairedRow[];
}

const KINDS: readonly RequestKind[] = ['hits', 'misses'];

/**
 * The match benchmark on both trees at once: every subject at every size in a worker that
 * loads the working tree's core and in one that loads the base's, each checked against the
 * same reference answers before anything is timed, then timed in the same interleaved rounds
 * (the two workers of a case back to back, their order flipping each round).
 */
export async function compareMatch(options: BenchOptions, baseRoot: string, log: Log): Promise<MatchComparison> {
  const { sizes, cases } = await runBenchmark(options, log, [WORKING, { id: 'base', root: baseRoot }]);
  const rows: PairedRow[] = [];
  for (const working of cases.filter((c) => c.tree === 'working')) {
    const base = cases.find((c) => c.tree === 'base' && c.paths === working.paths && c.subject === working.subject)!;
    const size = tableLabel(working.table, working);
    for (const kind of KINDS) rows.push(pairedRow(`${size} · ${working.label}`, `${kind}, ns/call`, true, working.timings[kind].rounds, base.timings[kind].rounds));
  }
  return { options, sizes, cases, rows };
}
