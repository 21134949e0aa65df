import { CHURN_FILES, churnedHost, churnedPath, type ChurnChange } from './churn-table.js';

/** The swaps suite's CLI pair: `switchyard serve -f` on the churn table without changes, and with a change per second. */
export const CLI_STATIC = 'cli-churn-static';
export const CLI_CHURNING = 'cli-churn-churning';

/** How often a file is rewritten during a window. */
export const CHURN_INTERVAL_MS = 1_000;
/** A change must be routed within this long, or the round fails. */
export const ROUTED_WITHIN_MS = 1_000;

// Consecutive changes hit files 37 apart: every file once per 100 changes, neighbours seldom.
const FILE_STRIDE = 37;

/**
 * When, from the start of a window of `durationS` seconds, the files are rewritten: one per
 * second, each in the middle of its second (0.5 s, 1.5 s, ...), so every change lands while
 * the load runs and the last has half a second of load after it. At least one.
 */
export function churnOffsetsMs(durationS: number): number[] {
  const count = Math.max(1, Math.floor((durationS * 1000) / CHURN_INTERVAL_MS));
  return Array.from({ length: count }, (_, i) => Math.round((i + 0.5) * CHURN_INTERVAL_MS));
}

/**
 * The n-th change of a run (counted from 0 across rounds): file `n * 37 mod 100`, at the
 * revision after the one it has, with its churned path renamed (the last block's last path).
 */
export function churnChange(n: number): ChurnChange {
  const file = (n * FILE_STRIDE) % CHURN_FILES;
  const revision = Math.floor(n / CHURN_FILES) + 1;
  return { file, revision, host: churnedHost(file), path: churnedPath(file, revision) };
}

/**
 * Fails a round of the churning CLI whose changes were not all routed within
 * `ROUTED_WITHIN_MS` (what its `duringLoad` returned: `changes`, `routedInTime`, `slowestMs`);
 * undefined for a good round or another target's.
 */
export function churnRoundVerdict(during: Readonly<Record<string, number>>): string | undefined {
  if (during.changes === undefined || during.routedInTime === during.changes) return undefined;
  const slowest = Number.isFinite(during.slowestMs) ? `${during.slowestMs} ms` : 'one never routed';
  return `${during.routedInTime ?? 0} of ${during.changes} changes routed within ${ROUTED_WITHIN_MS} ms (slowest: ${slowest})`;
}
