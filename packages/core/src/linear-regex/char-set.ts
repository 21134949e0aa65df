/**
 * Sets of UTF-16 code units as sorted, disjoint, non-adjacent inclusive ranges, flattened
 * `[lo0, hi0, lo1, hi1, ...]`. Every class the parser meets (`[a-z]`, `\d`, `.`, a literal
 * folded by `(?i)`) becomes one of these; the compiler then picks the cheapest instruction
 * that tests it. Code units, not code points: see the module's doc comment in index.ts.
 */
export type CharSet = readonly number[];

export const MAX_CODE_UNIT = 0xffff;

/** The set of `[lo, hi]` pairs given in any order, overlapping or not, in canonical form. */
export function charSetOf(pairs: readonly number[]): CharSet {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) ranges.push([pairs[i]!, pairs[i + 1]!]);
  ranges.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of ranges) {
    const last = out.length - 1;
    // Merge overlapping and adjacent ranges, so equal sets have one form.
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

export function unionOf(a: CharSet, b: CharSet): CharSet {
  return charSetOf([...a, ...b]);
}

/** Every code unit not in `set`. */
export function complementOf(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) out.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_CODE_UNIT) out.push(next, MAX_CODE_UNIT);
  return out;
}

/**
 * `set` with the other ASCII case of each ASCII letter in it added: `(?i)` folds ASCII only
 * (`k` matches `K`, not the Kelvin sign U+212A; `é` does not match `É`).
 */
export function foldAsciiCase(set: CharSet): CharSet {
  const extra: number[] = [];
  for (let i = 0; i < set.length; i += 2) {
    addShifted(extra, set[i]!, set[i + 1]!, 0x41, 0x5a, 0x20); // A-Z → a-z
    addShifted(extra, set[i]!, set[i + 1]!, 0x61, 0x7a, -0x20); // a-z → A-Z
  }
  return extra.length === 0 ? set : charSetOf([...set, ...extra]);
}

function addShifted(out: number[], lo: number, hi: number, from: number, to: number, shift: number): void {
  const start = Math.max(lo, from);
  const end = Math.min(hi, to);
  if (start <= end) out.push(start + shift, end + shift);
}

export function containsCode(set: CharSet, code: number): boolean {
  for (let i = 0; i < set.length; i += 2) {
    if (code < set[i]!) return false;
    if (code <= set[i + 1]!) return true;
  }
  return false;
}

const NEWLINE = 0x0a;

/** `.`: any code unit but `\n`, as RE2 without the `s` flag (JS also leaves out `\r`, U+2028, U+2029; RE2 and we do not). */
export const ANY_BUT_NEWLINE: CharSet = charSetOf([0, NEWLINE - 1, NEWLINE + 1, MAX_CODE_UNIT]);

/** `\d`, `\w`, `\s` as RE2 defines them: ASCII only, `\s` without `\v` (RE2's Perl classes). */
export const DIGIT: CharSet = charSetOf([0x30, 0x39]);
export const WORD: CharSet = charSetOf([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
export const SPACE: CharSet = charSetOf([0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20]);

export const PERL_CLASSES: Readonly<Record<string, CharSet>> = {
  d: DIGIT,
  D: complementOf(DIGIT),
  w: WORD,
  W: complementOf(WORD),
  s: SPACE,
  S: complementOf(SPACE),
};

/** `[[:name:]]` inside a class, as RE2 (ASCII only). */
export const POSIX_CLASSES: Readonly<Record<string, CharSet>> = {
  alnum: charSetOf([0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a]),
  alpha: charSetOf([0x41, 0x5a, 0x61, 0x7a]),
  ascii: charSetOf([0x00, 0x7f]),
  blank: charSetOf([0x09, 0x09, 0x20, 0x20]),
  cntrl: charSetOf([0x00, 0x1f, 0x7f, 0x7f]),
  digit: DIGIT,
  graph: charSetOf([0x21, 0x7e]),
  lower: charSetOf([0x61, 0x7a]),
  print: charSetOf([0x20, 0x7e]),
  punct: charSetOf([0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e]),
  space: charSetOf([0x09, 0x0d, 0x20, 0x20]),
  upper: charSetOf([0x41, 0x5a]),
  word: WORD,
  xdigit: charSetOf([0x30, 0x39, 0x41, 0x46, 0x61, 0x66]),
};

/** Whether a code unit is a word character for `\b` and `\B` (ASCII, as RE2 and JS). */
export function isWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}
