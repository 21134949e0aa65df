import { pairedRatio, spread, type Spread } from '../common/stats.js';

/** One line of a compare table: one measure of one subject, from both trees. */
export interface PairedRow {
  /** What was measured: `10,000 paths / 100 hosts · match · segment trie (default)`, `Switchyard, 1 path`. */
  readonly subject: string;
  /** `hits, ns/call`, `req/s`, `CPU µs/req`. */
  readonly measure: string;
  /** Whether a smaller value is the better one (times), or a larger one (rates). */
  readonly lowerIsBetter: boolean;
  readonly base: Spread;
  readonly working: Spread;
  /** Working ÷ base within each round, then the median (lowest–highest); undefined without a common round. */
  readonly ratio: Spread | undefined;
}

/** A row from both trees' values, round by round (index i is round i on both sides). */
export function pairedRow(subject: string, measure: string, lowerIsBetter: boolean, working: readonly number[], base: readonly number[]): PairedRow {
  const rounds = (values: readonly number[]) => ({ rounds: values.map((value, round) => ({ round, value })) });
  return { subject, measure, lowerIsBetter, base: spread(base), working: spread(working), ratio: pairedRatio(rounds(working), rounds(base), (r) => r.value) };
}
