import { isWordCode } from './char-set.js';
import { classContains, type Op, type Program } from './program.js';

// The opcodes of program.ts's `Op` as literals, each typed as its `Op` so the compiler keeps
// them in step: V8 compiles a switch over literal cases to a jump table, over `Op.X` to
// property reads and compares (measured: a quarter of a match's time).
const MATCH: typeof Op.MATCH = 0;
const CHAR: typeof Op.CHAR = 1;
const CHAR_EITHER: typeof Op.CHAR_EITHER = 2;
const RANGE: typeof Op.RANGE = 3;
const NOT_CHAR: typeof Op.NOT_CHAR = 4;
const CLASS: typeof Op.CLASS = 5;
const SPLIT: typeof Op.SPLIT = 6;
const JUMP: typeof Op.JUMP = 7;
const BEGIN_TEXT: typeof Op.BEGIN_TEXT = 8;
const END_TEXT: typeof Op.END_TEXT = 9;
const WORD_BOUNDARY: typeof Op.WORD_BOUNDARY = 10;
const NOT_WORD_BOUNDARY: typeof Op.NOT_WORD_BOUNDARY = 11;

/**
 * Runs a `Program` over a string as a Thompson NFA simulation (a Pike VM without
 * captures, since nothing reads submatches): the set of live instructions advances one
 * code unit at a time, each instruction at most once per position, so a run costs
 * O(input length × program size) whatever the pattern, and never backtracks.
 *
 * The two thread lists are sparse sets (Briggs and Torczon, as RE2 uses): `dense[0, size)`
 * lists the members, `sparse[pc]` is pc's index in `dense`, so membership, add and clear
 * are O(1) and clearing touches no memory. One VM per compiled pattern owns the lists and
 * the closure stack, sized to the program: a run allocates nothing. A run calls no user
 * code and JS runs it to completion, so two runs never share the buffers at once.
 */
export class PikeVm {
  /** Instructions visited by the last `run` (adds to a thread list), for tests of linear time. */
  steps = 0;
  private readonly ops: Uint8Array;
  private readonly arg1: Int32Array;
  private readonly arg2: Int32Array;
  private currentDense: Int32Array;
  private currentSparse: Int32Array;
  private nextDense: Int32Array;
  private nextSparse: Int32Array;
  /** Pending instructions of one epsilon closure: each pc is added once and pushes at most two. */
  private readonly stack: Int32Array;

  constructor(private readonly program: Program) {
    const size = program.ops.length;
    this.ops = program.ops;
    this.arg1 = program.arg1;
    this.arg2 = program.arg2;
    this.currentDense = new Int32Array(size);
    this.currentSparse = new Int32Array(size);
    this.nextDense = new Int32Array(size);
    this.nextSparse = new Int32Array(size);
    this.stack = new Int32Array(2 * size + 1);
  }

  /** The number of instructions: a run visits at most this many per input position. */
  get programSize(): number {
    return this.ops.length;
  }

  /**
   * Whether the program matches `input`: starting at offset 0 only when `anchoredStart`
   * (else anywhere), and ending at the input's end only when `anchoredEnd` (else anywhere).
   */
  run(input: string, anchoredStart: boolean, anchoredEnd: boolean): boolean {
    const ops = this.ops;
    const arg1 = this.arg1;
    const arg2 = this.arg2;
    const start = this.program.start;
    const length = input.length;
    let dense = this.currentDense;
    let sparse = this.currentSparse;
    let nextDense = this.nextDense;
    let nextSparse = this.nextSparse;
    let size = 0;
    let steps = 0;
    let matched = false;
    for (let pos = 0; ; pos++) {
      // Unanchored, a new thread starts at every position: RE2's implicit `.*?` prefix,
      // except that it also crosses "\n".
      if (pos === 0 || !anchoredStart) size = this.addThread(dense, sparse, size, start, pos, input);
      else if (size === 0) break;
      steps += size;
      const code = pos < length ? input.charCodeAt(pos) : -1;
      let nextSize = 0;
      for (let i = 0; i < size; i++) {
        const pc = dense[i]!;
        let advance: boolean;
        switch (ops[pc]) {
          case MATCH:
            if (!anchoredEnd || pos === length) matched = true;
            continue;
          case CHAR:
            advance = code === arg1[pc];
            break;
          case CHAR_EITHER:
            advance = code === arg1[pc] || code === arg2[pc];
            break;
          case RANGE:
            advance = code >= arg1[pc]! && code <= arg2[pc]!;
            break;
          case NOT_CHAR:
            advance = code >= 0 && code !== arg1[pc];
            break;
          case CLASS:
            advance = code >= 0 && classContains(this.program, arg1[pc]!, code);
            break;
          default:
            // SPLIT, JUMP and assertions were followed when the thread was added.
            continue;
        }
        if (advance) nextSize = this.addThread(nextDense, nextSparse, nextSize, pc + 1, pos + 1, input);
      }
      if (matched || pos === length) break;
      const swapDense = dense;
      const swapSparse = sparse;
      dense = nextDense;
      sparse = nextSparse;
      nextDense = swapDense;
      nextSparse = swapSparse;
      size = nextSize;
    }
    this.steps = steps;
    return matched;
  }

  /**
   * Adds `pc` and everything reachable from it without consuming input (the epsilon
   * closure at `pos`) to the list `dense`/`sparse` of `size` members; returns the new size.
   */
  private addThread(dense: Int32Array, sparse: Int32Array, size: number, pc: number, pos: number, input: string): number {
    const ops = this.ops;
    const stack = this.stack;
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const at = stack[--top]!;
      const index = sparse[at]!;
      if (index < size && dense[index] === at) continue;
      sparse[at] = size;
      dense[size++] = at;
      switch (ops[at]) {
        case JUMP:
          stack[top++] = this.arg1[at]!;
          break;
        case SPLIT:
          // Order is irrelevant: only whether some thread matches is asked.
          stack[top++] = this.arg2[at]!;
          stack[top++] = this.arg1[at]!;
          break;
        case BEGIN_TEXT:
          if (pos === 0) stack[top++] = at + 1;
          break;
        case END_TEXT:
          if (pos === input.length) stack[top++] = at + 1;
          break;
        case WORD_BOUNDARY:
          if (isWordBoundary(input, pos)) stack[top++] = at + 1;
          break;
        case NOT_WORD_BOUNDARY:
          if (!isWordBoundary(input, pos)) stack[top++] = at + 1;
          break;
      }
    }
    return size;
  }
}

function isWordBoundary(input: string, pos: number): boolean {
  const before = pos > 0 && isWordCode(input.charCodeAt(pos - 1));
  const after = pos < input.length && isWordCode(input.charCodeAt(pos));
  return before !== after;
}
