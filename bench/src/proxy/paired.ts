import { spread, type Spread } from '../common/stats.js';
import type { RoundResult } from './runner.js';

/** What a paired ratio reads from a target: its rounds. */
interface Measured {
  readonly rounds: readonly RoundResult[];
}

/**
 * The ratio of two targets' values within each round, then the median (lowest–highest) of
 * those ratios. A round measures every target within a minute or two, so the ratio inside a
 * round cancels the drift of a shared machine between rounds, which a ratio of the two
 * medians does not (each median may come from a different round). Undefined without a
 * common round.
 */
export function pairedRatio(target: Measured, reference: Measured, pick: (round: RoundResult) => number): Spread | undefined {
  const ratios: number[] = [];
  for (const round of target.rounds) {
    const other = reference.rounds.find((r) => r.round === round.round);
    if (other === undefined) continue;
    const ratio = pick(round) / pick(other);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  return ratios.length === 0 ? undefined : spread(ratios);
}
