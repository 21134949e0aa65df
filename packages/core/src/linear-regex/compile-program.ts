import type { RegexNode } from './ast.js';
import { MAX_CODE_UNIT, type CharSet } from './char-set.js';
import { Op, type Program } from './program.js';

/**
 * The most instructions a compiled pattern may have. A match visits each instruction at
 * most once per input code unit, so this bounds the work per character of a request:
 * 5,000 keeps the worst case (a 100-character header against a pattern at the limit) to
 * about 500,000 steps, a few milliseconds, while leaving room for what routes write
 * (`[0-9a-f]{8}-...` UUIDs take ~40, `[a-z0-9-]{1,63}` ~130, `.{0,1000}` ~2,000).
 */
export const MAX_PROGRAM_SIZE = 5000;

export type CompileProgramResult =
  | { readonly ok: true; readonly program: Program }
  | { readonly ok: false; readonly reason: string; readonly position: number };

/**
 * Compiles a parsed pattern to a Pike VM program (Thompson's construction: one instruction
 * per literal or class, SPLIT and JUMP for alternation and repetition, counted repetitions
 * expanded), or refuses it when it would exceed `MAX_PROGRAM_SIZE`. The size is computed
 * before anything is emitted, so `(a{1000}){1000}` is refused without being built.
 */
export function compileProgram(node: RegexNode): CompileProgramResult {
  const oversized = findOversized(node);
  if (oversized !== undefined) {
    return {
      ok: false,
      reason: `the pattern compiles to more than ${MAX_PROGRAM_SIZE} instructions (${formatSize(oversized.size)}): lower its repetition counts`,
      position: oversized.position,
    };
  }
  const emitter = new Emitter();
  emitter.emit(node);
  emitter.push(Op.MATCH, 0, 0);
  return { ok: true, program: emitter.finish() };
}

interface Oversized {
  size: number;
  position: number;
}

/** The innermost repetition whose program is over the limit (or the whole pattern, at 0), if any. */
function findOversized(node: RegexNode): Oversized | undefined {
  const found: Oversized[] = [];
  const size = sizeOf(node, found) + 1;
  if (found.length > 0) return found[0];
  return size > MAX_PROGRAM_SIZE ? { size, position: 0 } : undefined;
}

/**
 * The instructions `node` compiles to (MATCH excluded), computed once bottom-up, never
 * built; the first repetition found over the limit goes to `found`.
 */
function sizeOf(node: RegexNode, found: Oversized[]): number {
  switch (node.kind) {
    case 'empty':
      return 0;
    case 'literal':
    case 'set':
    case 'assert':
      return 1;
    case 'concat':
      return node.items.reduce((sum, item) => sum + sizeOf(item, found), 0);
    case 'alternate':
      return node.options.reduce((sum, option) => sum + sizeOf(option, found), 0) + 2 * (node.options.length - 1);
    case 'repeat': {
      const item = sizeOf(node.item, found);
      let size: number;
      if (node.max === Infinity) size = node.min === 0 ? item + 2 : node.min * item + 1;
      else size = node.min * item + (node.max - node.min) * (item + 1);
      if (size + 1 > MAX_PROGRAM_SIZE && found.length === 0) found.push({ size: size + 1, position: node.position });
      return size;
    }
  }
}

function formatSize(size: number): string {
  return size < 1e9 ? `${size}` : `about ${size.toExponential(1)}`;
}

class Emitter {
  private readonly ops: number[] = [];
  private readonly arg1: number[] = [];
  private readonly arg2: number[] = [];
  private readonly classes: CharSet[] = [];

  get next(): number {
    return this.ops.length;
  }

  push(op: number, a: number, b: number): number {
    this.ops.push(op);
    this.arg1.push(a);
    this.arg2.push(b);
    return this.ops.length - 1;
  }

  patch(pc: number, a: number, b: number): void {
    this.arg1[pc] = a;
    this.arg2[pc] = b;
  }

  emit(node: RegexNode): void {
    switch (node.kind) {
      case 'empty':
        return;
      case 'literal':
        this.push(Op.CHAR, node.code, 0);
        return;
      case 'set':
        this.emitSet(node.set);
        return;
      case 'assert':
        this.push(ASSERTION_OPS[node.assertion], 0, 0);
        return;
      case 'concat':
        for (const item of node.items) this.emit(item);
        return;
      case 'alternate':
        this.emitAlternate(node.options);
        return;
      case 'repeat':
        this.emitRepeat(node.item, node.min, node.max);
        return;
    }
  }

  /** `SPLIT L1, L2; L1: a; JUMP end; L2: SPLIT ...; b; end:` */
  private emitAlternate(options: readonly RegexNode[]): void {
    const jumps: number[] = [];
    options.forEach((option, i) => {
      if (i === options.length - 1) {
        this.emit(option);
        return;
      }
      const split = this.push(Op.SPLIT, 0, 0);
      this.emit(option);
      jumps.push(this.push(Op.JUMP, 0, 0));
      this.patch(split, split + 1, this.next);
    });
    for (const jump of jumps) this.patch(jump, this.next, 0);
  }

  private emitRepeat(item: RegexNode, min: number, max: number): void {
    const copies = max === Infinity && min > 0 ? min - 1 : min;
    for (let i = 0; i < copies; i++) this.emit(item);
    if (max === Infinity) {
      if (min > 0) {
        // x+: L: x; SPLIT L, next
        const loop = this.next;
        this.emit(item);
        this.push(Op.SPLIT, loop, this.next + 1);
      } else {
        // x*: L: SPLIT body, end; body: x; JUMP L; end:
        const split = this.push(Op.SPLIT, 0, 0);
        this.emit(item);
        this.push(Op.JUMP, split, 0);
        this.patch(split, split + 1, this.next);
      }
      return;
    }
    // (x(x(x)?)?)?: each optional copy may skip straight to the end.
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.push(Op.SPLIT, 0, 0));
      this.emit(item);
    }
    for (const split of splits) this.patch(split, split + 1, this.next);
  }

  /** The cheapest instruction that tests membership in `set`. */
  private emitSet(set: CharSet): void {
    const [lo0, hi0, lo1, hi1] = set;
    if (set.length === 0) this.push(Op.RANGE, 1, 0);
    else if (set.length === 2 && lo0 === hi0) this.push(Op.CHAR, lo0!, 0);
    else if (set.length === 2) this.push(Op.RANGE, lo0!, hi0!);
    else if (set.length === 4 && lo0 === hi0 && lo1 === hi1) this.push(Op.CHAR_EITHER, lo0!, lo1!);
    else if (set.length === 4 && lo0 === 0 && hi1 === MAX_CODE_UNIT && lo1 === hi0! + 2) this.push(Op.NOT_CHAR, hi0! + 1, 0);
    else {
      this.classes.push(set);
      this.push(Op.CLASS, this.classes.length - 1, 0);
    }
  }

  finish(): Program {
    const classLatin1 = new Uint8Array(this.classes.length * 256);
    const ranges: number[] = [];
    const classRangeStart = new Int32Array(this.classes.length + 1);
    this.classes.forEach((set, k) => {
      classRangeStart[k] = ranges.length;
      for (let i = 0; i < set.length; i += 2) {
        const lo = set[i]!;
        const hi = set[i + 1]!;
        for (let code = lo; code <= Math.min(hi, 255); code++) classLatin1[k * 256 + code] = 1;
        if (hi >= 256) ranges.push(Math.max(lo, 256), hi);
      }
    });
    classRangeStart[this.classes.length] = ranges.length;
    return {
      ops: Uint8Array.from(this.ops),
      arg1: Int32Array.from(this.arg1),
      arg2: Int32Array.from(this.arg2),
      classLatin1,
      classRanges: Int32Array.from(ranges),
      classRangeStart,
      start: 0,
    };
  }
}

const ASSERTION_OPS = {
  'begin-text': Op.BEGIN_TEXT,
  'end-text': Op.END_TEXT,
  'word-boundary': Op.WORD_BOUNDARY,
  'not-word-boundary': Op.NOT_WORD_BOUNDARY,
} as const;
