import { compileProgram } from './compile-program.js';
import { Dfa } from './dfa.js';
import { literalPlanOf, type LiteralPlan } from './literal-plan.js';
import { parseRegex } from './parse-regex.js';
import { PikeVm } from './pike-vm.js';
import type { Program } from './program.js';

/** A compiled pattern; each call runs in O(input length × program size) and allocates nothing. */
export interface LinearRegex {
  /** The pattern as given to `compileLinearRegex`. */
  readonly source: string;
  /** Whether the whole input matches, as RE2::FullMatch and Envoy's `safe_regex` do. */
  fullMatch(input: string): boolean;
  /** Whether a match occurs anywhere in the input, as RE2::PartialMatch. */
  search(input: string): boolean;
}

export type LinearRegexResult =
  | { readonly ok: true; readonly regex: LinearRegex }
  /** What is refused, and the UTF-16 offset in the source where it is. */
  | { readonly ok: false; readonly reason: string; readonly position: number };

/**
 * Compiles `source`, a pattern in the RE2 subset described in this folder's index.ts,
 * once, for matching request input in linear time. Refuses (never throws) what the
 * subset leaves out, with the reason and where.
 */
export function compileLinearRegex(source: string): LinearRegexResult {
  if (typeof source !== 'string') return { ok: false, reason: 'the pattern is not a string', position: 0 };
  try {
    const parsed = parseRegex(source);
    if (!parsed.ok) return parsed;
    const compiled = compileProgram(parsed.node);
    if (!compiled.ok) return compiled;
    return { ok: true, regex: new CompiledLinearRegex(source, compiled.program, literalPlanOf(parsed.node)) };
  } catch (error) {
    // Not expected (nesting is bounded, so recursion is): kept so a bug refuses a pattern instead of failing a config load.
    return { ok: false, reason: `the pattern could not be compiled: ${String(error)}`, position: 0 };
  }
}

/**
 * Answers with the cheapest engine that fits: string comparisons for a pure literal, else
 * a DFA built at compile time when it is small, else the Pike VM. All three are linear.
 */
class CompiledLinearRegex implements LinearRegex {
  readonly vm: PikeVm;
  /** Anchored at offset 0: full matches, and searches of patterns starting with `^`. */
  readonly anchoredDfa: Dfa | undefined;
  /** The DFA searches use (the anchored one when every match starts at 0). */
  readonly searchDfa: Dfa | undefined;
  private readonly pureLiteral: boolean;
  private readonly literal: string;
  private readonly anchoredStart: boolean;
  private readonly anchoredEnd: boolean;

  constructor(
    readonly source: string,
    program: Program,
    plan: LiteralPlan,
  ) {
    this.vm = new PikeVm(program);
    this.pureLiteral = plan.pureLiteral;
    this.literal = plan.prefix;
    this.anchoredStart = plan.anchoredStart;
    this.anchoredEnd = plan.anchoredEnd;
    this.anchoredDfa = plan.pureLiteral ? undefined : Dfa.build(program, true);
    this.searchDfa = plan.pureLiteral ? undefined : plan.anchoredStart ? this.anchoredDfa : Dfa.build(program, false);
  }

  fullMatch(input: string): boolean {
    // Anchors at the ends of a full match always hold: `^abc$` fully matches only "abc".
    if (this.pureLiteral) return input === this.literal;
    if (!input.startsWith(this.literal)) return false;
    const dfa = this.anchoredDfa;
    return dfa !== undefined ? dfa.run(input, false) : this.vm.run(input, true, true);
  }

  search(input: string): boolean {
    if (this.pureLiteral) {
      if (this.anchoredStart) return this.anchoredEnd ? input === this.literal : input.startsWith(this.literal);
      return this.anchoredEnd ? input.endsWith(this.literal) : input.includes(this.literal);
    }
    if (this.anchoredStart && !input.startsWith(this.literal)) return false;
    const dfa = this.searchDfa;
    return dfa !== undefined ? dfa.run(input, true) : this.vm.run(input, this.anchoredStart, false);
  }
}

/**
 * Test-only (not exported from the package): the engines behind a regex, so tests can run
 * the Pike VM directly (and count its steps) and check which patterns get a DFA.
 */
export function enginesOf(regex: LinearRegex): { readonly vm: PikeVm; readonly anchoredDfa: Dfa | undefined; readonly searchDfa: Dfa | undefined } {
  if (!(regex instanceof CompiledLinearRegex)) throw new TypeError('not a regex from compileLinearRegex');
  return { vm: regex.vm, anchoredDfa: regex.anchoredDfa, searchDfa: regex.searchDfa };
}
