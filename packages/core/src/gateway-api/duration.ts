const PART = /([0-9]{1,5})(h|ms|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Milliseconds of a Gateway API Duration (GEP-2257: `1h30m`, `500ms`, `0s` for none), which
 * the caller has checked against `DURATION`. Parts add up, in any order, as Go's
 * `time.ParseDuration` (what CEL's `duration()` uses) adds them.
 */
export function parseDuration(value: string): number {
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  return total;
}
