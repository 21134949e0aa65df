/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A median with the lowest and highest value around it: how far rounds of one measurement strayed. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The value at percentile `p` (0-100) of values sorted ascending, by the nearest-rank
 * method (the smallest value with at least p % of the values at or below it), as HDR
 * histograms report it. NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // The epsilon keeps float error from pushing an exact rank up one (0.999 × 1000 is 999.0000000000001).
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Something measured in rounds: each value tagged with the round it came from. */
export interface Measured<R extends { readonly round: number }> {
  readonly rounds: readonly R[];
}

/**
 * The ratio of two subjects' values within each round, then the median (lowest–highest) of
 * those ratios. A round measures every subject within a minute or two, so the ratio inside a
 * round cancels the drift of a shared machine between rounds, which a ratio of the two
 * medians does not (each median may come from a different round). Round numbers pair the
 * rounds; a round the reference lacks is left out. Undefined without a common round.
 */
export function pairedRatio<R extends { readonly round: number }>(target: Measured<R>, reference: Measured<R>, pick: (round: R) => number): Spread | undefined {
  const ratios: number[] = [];
  for (const round of target.rounds) {
    const other = reference.rounds.find((r) => r.round === round.round);
    if (other === undefined) continue;
    const ratio = pick(round) / pick(other);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  return ratios.length === 0 ? undefined : spread(ratios);
}
