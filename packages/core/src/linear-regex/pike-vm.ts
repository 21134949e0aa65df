import { isWordCode } from './char-set.js';
import { Op, classContains, type Program } from './program.js';
import { SparseSet } from './sparse-set.js';

/**
 * Runs a `Program` over a string as a Thompson NFA simulation (a Pike VM without
 * captures, since nothing reads submatches): the set of live instructions advances one
 * code unit at a time, each instruction at most once per position, so a run costs
 * O(input length × program size) whatever the pattern, and never backtracks.
 *
 * One VM per compiled pattern owns its thread lists and stack, sized to the program: a
 * run allocates nothing. A run calls no user code and JS runs it to completion, so the
 * buffers are never shared by two runs at once.
 */
export class PikeVm {
  /** Instructions visited by the last `run` (each add to a thread list), for tests of linear time. */
  steps = 0;
  private current: SparseSet;
  private next: SparseSet;
  /** Pending instructions of one epsilon closure: each pc is added once and pushes at most two. */
  private readonly stack: Int32Array;

  constructor(private readonly program: Program) {
    const size = program.ops.length;
    this.current = new SparseSet(size);
    this.next = new SparseSet(size);
    this.stack = new Int32Array(2 * size + 1);
  }

  /** The number of instructions: the most steps a run takes per code unit of input, about. */
  get programSize(): number {
    return this.program.ops.length;
  }

  /**
   * Whether the program matches `input`: starting at offset 0 only when `anchoredStart`
   * (else anywhere), and ending at the input's end only when `anchoredEnd` (else anywhere).
   */
  run(input: string, anchoredStart: boolean, anchoredEnd: boolean): boolean {
    const ops = this.program.ops;
    const arg1 = this.program.arg1;
    const arg2 = this.program.arg2;
    const length = input.length;
    let current = this.current;
    let next = this.next;
    current.clear();
    this.steps = 0;
    for (let pos = 0; ; pos++) {
      // Unanchored, a new thread starts at every position: RE2's implicit `.*?` prefix,
      // except that it also crosses "\n".
      if (pos === 0 || !anchoredStart) this.addThread(current, this.program.start, pos, input);
      else if (current.size === 0) return false;
      const code = pos < length ? input.charCodeAt(pos) : -1;
      next.clear();
      const dense = current.dense;
      for (let i = 0; i < current.size; i++) {
        const pc = dense[i]!;
        let matched: boolean;
        switch (ops[pc]) {
          case Op.MATCH:
            if (!anchoredEnd || pos === length) return true;
            continue;
          case Op.CHAR:
            matched = code === arg1[pc];
            break;
          case Op.CHAR_EITHER:
            matched = code === arg1[pc] || code === arg2[pc];
            break;
          case Op.RANGE:
            matched = code >= arg1[pc]! && code <= arg2[pc]!;
            break;
          case Op.NOT_CHAR:
            matched = code >= 0 && code !== arg1[pc];
            break;
          case Op.CLASS:
            matched = code >= 0 && classContains(this.program, arg1[pc]!, code);
            break;
          default:
            // SPLIT, JUMP and assertions were followed when the thread was added.
            continue;
        }
        if (matched) this.addThread(next, pc + 1, pos + 1, input);
      }
      if (pos === length) return false;
      const swap = current;
      current = next;
      next = swap;
    }
  }

  /** Adds `pc` and everything reachable from it without consuming input (the epsilon closure at `pos`). */
  private addThread(list: SparseSet, pc: number, pos: number, input: string): void {
    const ops = this.program.ops;
    const arg1 = this.program.arg1;
    const arg2 = this.program.arg2;
    const stack = this.stack;
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const at = stack[--top]!;
      if (list.has(at)) continue;
      list.add(at);
      this.steps++;
      switch (ops[at]) {
        case Op.JUMP:
          stack[top++] = arg1[at]!;
          break;
        case Op.SPLIT:
          // Order is irrelevant: only whether some thread matches is asked.
          stack[top++] = arg2[at]!;
          stack[top++] = arg1[at]!;
          break;
        case Op.BEGIN_TEXT:
          if (pos === 0) stack[top++] = at + 1;
          break;
        case Op.END_TEXT:
          if (pos === input.length) stack[top++] = at + 1;
          break;
        case Op.WORD_BOUNDARY:
          if (isWordBoundary(input, pos)) stack[top++] = at + 1;
          break;
        case Op.NOT_WORD_BOUNDARY:
          if (!isWordBoundary(input, pos)) stack[top++] = at + 1;
          break;
      }
    }
  }
}

function isWordBoundary(input: string, pos: number): boolean {
  const before = pos > 0 && isWordCode(input.charCodeAt(pos - 1));
  const after = pos < input.length && isWordCode(input.charCodeAt(pos));
  return before !== after;
}
