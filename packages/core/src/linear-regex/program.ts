/**
 * The compiled form the Pike VM runs: instruction `pc` is `ops[pc]` with operands
 * `arg1[pc]` and `arg2[pc]`, all in typed arrays so a match reads flat memory and never
 * touches an object per instruction. Instructions that consume a code unit advance to
 * `pc + 1` on success.
 */
export const Op = {
  /** The pattern matched. */
  MATCH: 0,
  /** The code unit equals `arg1`. */
  CHAR: 1,
  /** The code unit equals `arg1` or `arg2` (an ASCII letter under `(?i)`). */
  CHAR_EITHER: 2,
  /** `arg1 <= code unit <= arg2` (never, when `arg1 > arg2`: the empty class). */
  RANGE: 3,
  /** Any code unit but `arg1` (`.` is NOT_CHAR `\n`). */
  NOT_CHAR: 4,
  /** The code unit is in class `arg1` of the program's class table. */
  CLASS: 5,
  /** Continue at both `arg1` and `arg2`. */
  SPLIT: 6,
  /** Continue at `arg1`. */
  JUMP: 7,
  /** Zero-width: the position is 0 (`^`, `\A`). */
  BEGIN_TEXT: 8,
  /** Zero-width: the position is the input's length (`$`, `\z`). */
  END_TEXT: 9,
  /** Zero-width: `\b`. */
  WORD_BOUNDARY: 10,
  /** Zero-width: `\B`. */
  NOT_WORD_BOUNDARY: 11,
} as const;

export interface Program {
  readonly ops: Uint8Array;
  readonly arg1: Int32Array;
  readonly arg2: Int32Array;
  /** Membership of code units 0-255 in class `k`: `classLatin1[k * 256 + code]` is 1. */
  readonly classLatin1: Uint8Array;
  /** Class `k`'s ranges above 255, as `[lo, hi]` pairs from `classRanges[classRangeStart[k]]` to `classRanges[classRangeStart[k + 1]]`. */
  readonly classRanges: Int32Array;
  readonly classRangeStart: Int32Array;
  /** The instruction a match starts at. */
  readonly start: number;
}

/** Whether `code` is in class `index` of `program`. */
export function classContains(program: Program, index: number, code: number): boolean {
  if (code < 256) return program.classLatin1[index * 256 + code] === 1;
  const ranges = program.classRanges;
  const end = program.classRangeStart[index + 1]!;
  for (let i = program.classRangeStart[index]!; i < end; i += 2) {
    if (code < ranges[i]!) return false;
    if (code <= ranges[i + 1]!) return true;
  }
  return false;
}
