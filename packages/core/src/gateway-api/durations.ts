/** A Gateway API Duration (GEP-2257): up to four `<number><unit>` parts, units h, m, s, ms. */
const PART = /([0-9]{1,5})(h|ms|m|s)/g;
const WHOLE = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds of a Gateway API Duration (`1h30m`, `500ms`), or undefined when it is not one. */
export function parseGatewayDuration(value: string): number | undefined {
  if (!WHOLE.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}
