import { Op, classContains, type Program } from './program.js';

/** Past these a pattern is left to the Pike VM: they bound the DFA's memory and its construction time. */
export const MAX_DFA_STATES = 512;
export const MAX_DFA_TABLE = 1 << 16;
export const MAX_DFA_BUILD_WORK = 200_000;

/**
 * A DFA built from a program at compile time by subset construction, when it is small:
 * a match then costs one table read per code unit. Built eagerly and never grown, so a
 * match allocates nothing; a program whose DFA would pass `MAX_DFA_STATES`, `MAX_DFA_TABLE`
 * entries or `MAX_DFA_BUILD_WORK` closure steps, or that has `\b`/`\B` (which look at the
 * next code unit), gets none and runs on the Pike VM, whose time is just as linear.
 *
 * Code units are grouped into classes that no instruction tells apart (the interval
 * boundaries of every set the program tests), so the table has one column per class, not
 * per code unit. A state is the set of instructions live after the closure: consuming ones,
 * MATCH, and END_TEXT, which holds only when no code unit follows (decided at the end).
 */
export class Dfa {
  private constructor(
    /** `transitions[state * classCount + class]`. */
    private readonly transitions: Uint16Array,
    private readonly classCount: number,
    /** The class of each code unit below 256. */
    private readonly latin1Classes: Uint16Array,
    /** The first code unit of each class interval at or above 256, and its class. */
    private readonly highStarts: Int32Array,
    private readonly highClasses: Uint16Array,
    /** A MATCH is live: a search may stop. */
    private readonly acceptsNow: Uint8Array,
    /** A match ends here if the input ends here. */
    private readonly acceptsAtEnd: Uint8Array,
    /** The state with no live instruction (-1 when unreachable). */
    private readonly dead: number,
  ) {}

  /**
   * Whether the input matches: the whole of it when `stopAtMatch` is false (full match,
   * from the DFA's start), else a match ending anywhere.
   */
  run(input: string, stopAtMatch: boolean): boolean {
    const transitions = this.transitions;
    const classCount = this.classCount;
    const latin1 = this.latin1Classes;
    const acceptsNow = this.acceptsNow;
    const dead = this.dead;
    const length = input.length;
    let state = 0;
    for (let i = 0; i < length; i++) {
      if (stopAtMatch && acceptsNow[state] === 1) return true;
      const code = input.charCodeAt(i);
      state = transitions[state * classCount + (code < 256 ? latin1[code]! : this.highClassOf(code))]!;
      if (state === dead) return false;
    }
    return this.acceptsAtEnd[state] === 1;
  }

  private highClassOf(code: number): number {
    const starts = this.highStarts;
    // The last interval starting at or before `code`; starts[0] is 256.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= code) lo = mid;
      else hi = mid - 1;
    }
    return this.highClasses[lo]!;
  }

  /**
   * The DFA of `program`, or undefined when it has word boundaries or is over the limits.
   * `anchored`: threads start at offset 0 only; else a new one starts at every offset.
   */
  static build(program: Program, anchored: boolean): Dfa | undefined {
    const ops = program.ops;
    if (ops.some((op) => op === Op.WORD_BOUNDARY || op === Op.NOT_WORD_BOUNDARY)) return undefined;
    const classes = codeUnitClasses(program);
    if (classes.count > 0xffff) return undefined;
    const builder = new ClosureBuilder(program);

    const keys = new Map<string, number>();
    const states: number[][] = [];
    const accepts: { now: boolean; atEnd: boolean }[] = [];
    const intern = (leaves: number[], initial: boolean): number => {
      // The initial state is apart: at offset 0, `^` after a `$` still holds on empty input.
      const key = (initial ? 'S' : '') + leaves.join(',');
      let id = keys.get(key);
      if (id === undefined) {
        id = states.length;
        keys.set(key, id);
        states.push(leaves);
        accepts.push({ now: leaves.some((pc) => ops[pc] === Op.MATCH), atEnd: builder.acceptsAtEnd(leaves, initial) });
      }
      return id;
    };
    intern(builder.closure([program.start], true), true);
    const restart = anchored ? [] : builder.closure([program.start], false);

    const table: number[] = [];
    for (let state = 0; state < states.length; state++) {
      if (states.length > MAX_DFA_STATES || states.length * classes.count > MAX_DFA_TABLE || builder.work > MAX_DFA_BUILD_WORK) return undefined;
      const leaves = states[state]!;
      for (let k = 0; k < classes.count; k++) {
        if (builder.work > MAX_DFA_BUILD_WORK) return undefined;
        const code = classes.representatives[k]!;
        const next: number[] = [];
        for (const pc of leaves) if (consumes(program, pc, code)) next.push(pc + 1);
        const closed = builder.closure(next, false);
        table.push(intern(anchored ? closed : union(closed, restart), false));
      }
    }
    const dead = states.findIndex((leaves, id) => id > 0 && leaves.length === 0);
    return new Dfa(
      Uint16Array.from(table),
      classes.count,
      classes.latin1,
      classes.highStarts,
      classes.highClasses,
      Uint8Array.from(accepts, (a) => (a.now ? 1 : 0)),
      Uint8Array.from(accepts, (a) => (a.atEnd ? 1 : 0)),
      dead,
    );
  }
}

/** Epsilon closures over a program, counting their steps against the build budget. */
class ClosureBuilder {
  work = 0;

  constructor(private readonly program: Program) {}

  /** The sorted live instructions (consuming, MATCH, END_TEXT) reachable from `pcs` without consuming, at offset 0 when `atStart`. */
  closure(pcs: readonly number[], atStart: boolean): number[] {
    const { ops, arg1, arg2 } = this.program;
    const seen = new Set<number>();
    const leaves: number[] = [];
    const stack = [...pcs];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (seen.has(pc)) continue;
      seen.add(pc);
      this.work++;
      const op = ops[pc];
      if (op === Op.JUMP) stack.push(arg1[pc]!);
      else if (op === Op.SPLIT) stack.push(arg1[pc]!, arg2[pc]!);
      else if (op === Op.BEGIN_TEXT) {
        if (atStart) stack.push(pc + 1);
      } else leaves.push(pc);
    }
    return leaves.sort((a, b) => a - b);
  }

  /** Whether a MATCH is reachable from `leaves` when the input ends here (END_TEXT holds; BEGIN_TEXT only at offset 0). */
  acceptsAtEnd(leaves: readonly number[], atStart: boolean): boolean {
    const { ops } = this.program;
    let frontier = [...leaves];
    const seen = new Set<number>();
    while (frontier.length > 0) {
      const next: number[] = [];
      for (const pc of frontier) {
        if (seen.has(pc)) continue;
        seen.add(pc);
        if (ops[pc] === Op.MATCH) return true;
        if (ops[pc] === Op.END_TEXT) next.push(...this.closure([pc + 1], atStart));
      }
      frontier = next;
    }
    return false;
  }
}

/** Whether consuming instruction `pc` accepts code unit `code` (false for MATCH and END_TEXT). */
function consumes(program: Program, pc: number, code: number): boolean {
  const a = program.arg1[pc]!;
  const b = program.arg2[pc]!;
  switch (program.ops[pc]) {
    case Op.CHAR:
      return code === a;
    case Op.CHAR_EITHER:
      return code === a || code === b;
    case Op.RANGE:
      return code >= a && code <= b;
    case Op.NOT_CHAR:
      return code !== a;
    case Op.CLASS:
      return classContains(program, a, code);
    default:
      return false;
  }
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

interface CodeUnitClasses {
  count: number;
  /** One code unit of each class. */
  representatives: number[];
  latin1: Uint16Array;
  highStarts: Int32Array;
  highClasses: Uint16Array;
}

/** Splits code units 0-0xFFFF at every boundary of a set the program tests; each interval is a class. */
function codeUnitClasses(program: Program): CodeUnitClasses {
  const cuts = new Set<number>([0, 256]);
  const cut = (lo: number, hi: number) => {
    cuts.add(lo);
    cuts.add(hi + 1);
  };
  const { ops, arg1, arg2 } = program;
  for (let pc = 0; pc < ops.length; pc++) {
    const a = arg1[pc]!;
    const b = arg2[pc]!;
    switch (ops[pc]) {
      case Op.CHAR:
      case Op.NOT_CHAR:
        cut(a, a);
        break;
      case Op.CHAR_EITHER:
        cut(a, a);
        cut(b, b);
        break;
      case Op.RANGE:
        if (a <= b) cut(a, b);
        break;
      case Op.CLASS:
        for (let code = 1; code < 256; code++) {
          if (program.classLatin1[a * 256 + code] !== program.classLatin1[a * 256 + code - 1]) cuts.add(code);
        }
        for (let i = program.classRangeStart[a]!; i < program.classRangeStart[a + 1]!; i += 2) cut(program.classRanges[i]!, program.classRanges[i + 1]!);
        break;
    }
  }
  const starts = [...cuts].filter((code) => code <= 0xffff).sort((x, y) => x - y);
  const latin1 = new Uint16Array(256);
  const highStarts: number[] = [];
  const highClasses: number[] = [];
  starts.forEach((start, k) => {
    const end = (starts[k + 1] ?? 0x10000) - 1;
    for (let code = start; code <= Math.min(end, 255); code++) latin1[code] = k;
    if (start >= 256) {
      highStarts.push(start);
      highClasses.push(k);
    }
  });
  return { count: starts.length, representatives: starts, latin1, highStarts: Int32Array.from(highStarts), highClasses: Uint16Array.from(highClasses) };
}
