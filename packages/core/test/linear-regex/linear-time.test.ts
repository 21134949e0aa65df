import { describe, expect, test } from 'vitest';
import { compileLinearRegex, type LinearRegex } from '../../src/linear-regex/index.js';
import { enginesOf } from '../../src/linear-regex/linear-regex.js';

/**
 * The Pike VM, the engine every pattern can fall back on, run directly (compiled patterns
 * small enough get a DFA, linear by construction: one table read per code unit).
 * Linear time shown by counting VM steps (instructions visited), not by timing: on the
 * classic catastrophic-backtracking cases, steps grow by 10× when the input grows by 10×,
 * and never exceed (input length + 1) × program size.
 *
 * JS RegExp on the same inputs backtracks exponentially: `/(a+)+$/.test('a'.repeat(26) + 'b')`
 * takes about 5 s (Node 20, measured once), and each further `a` doubles it; `(a|a)*b`, `(a*)*b` and
 * `(x+x+)+y` behave alike, and `(.*a){12}$` takes time polynomial of degree 12. It is not run here on the long inputs: it would not finish.
 */
const CASES: Array<[pattern: string, input: (n: number) => string]> = [
  ['(a+)+$', (n) => 'a'.repeat(n) + 'b'],
  ['(a|a)*b', (n) => 'a'.repeat(n)],
  ['(a*)*b', (n) => 'a'.repeat(n)],
  ['(x+x+)+y', (n) => 'x'.repeat(n)],
  ['^(a|aa)+$', (n) => 'a'.repeat(n) + '!'],
  // Polynomial (n^12) for a backtracker; `.` stops at the "\n", so `$` is never reached.
  ['(.*a){12}$', (n) => 'a'.repeat(n) + '\n'],
];
const LENGTHS = [1_000, 10_000, 100_000];

function compiled(pattern: string): LinearRegex {
  const result = compileLinearRegex(pattern);
  if (!result.ok) throw new Error(result.reason);
  return result.regex;
}

describe.each(CASES)('%s', (pattern, inputOf) => {
  test.each(['fullMatch', 'search'] as const)('%s steps grow linearly with the input', (mode) => {
    const regex = compiled(pattern);
    const { vm } = enginesOf(regex);
    const anchored = mode === 'fullMatch';
    const steps = LENGTHS.map((length) => {
      const input = inputOf(length);
      expect(vm.run(input, anchored, anchored)).toBe(false);
      expect(vm.steps).toBeGreaterThan(0);
      expect(vm.steps).toBeLessThanOrEqual((input.length + 1) * vm.programSize);
      // The public methods (on a DFA, for these) agree.
      expect(regex[mode](input)).toBe(false);
      return vm.steps;
    });
    // 10× the input, 10× the steps (give or take the constant part): linear, not worse.
    for (let i = 1; i < steps.length; i++) {
      const ratio = steps[i]! / steps[i - 1]!;
      expect(ratio, `steps ${steps.join(', ')}`).toBeGreaterThan(9);
      expect(ratio, `steps ${steps.join(', ')}`).toBeLessThan(11);
    }
  });
});

test('a search stops at the first match, a full match at the first position no thread survives', () => {
  const { vm } = enginesOf(compiled('(a|a)*b'));
  expect(vm.run('b' + 'a'.repeat(100_000), false, false)).toBe(true);
  expect(vm.steps).toBeLessThan(20);
  expect(vm.run('c' + 'a'.repeat(100_000), true, true)).toBe(false);
  expect(vm.steps).toBeLessThan(20);
});
