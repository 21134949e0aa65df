import { describe, expect, test } from 'vitest';
import { compileLinearRegex, type LinearRegex } from '../../src/linear-regex/index.js';
import { enginesOf } from '../../src/linear-regex/linear-regex.js';
import { jsFullMatch, jsSearch } from './js-oracle.js';

function compiled(pattern: string): LinearRegex {
  const result = compileLinearRegex(pattern);
  if (!result.ok) throw new Error(`${pattern}: ${result.reason}`);
  return result.regex;
}

describe('which patterns get a DFA', () => {
  test.each(['^v[0-9]+\\.[0-9]+$', '^/api/v[0-9]+/(users|orders)/[a-z0-9-]+$', '(a+)+$', '(x+x+)+y', '(?i)^bearer [a-z0-9._~+/-]+=*$', '[^/]+\\.(png|jpe?g)$'])('%j gets one for full matches and searches', (pattern) => {
    const { anchoredDfa, searchDfa } = enginesOf(compiled(pattern));
    expect(anchoredDfa).toBeDefined();
    expect(searchDfa).toBeDefined();
  });

  test('word boundaries look at the next code unit: \\b and \\B run on the Pike VM', () => {
    expect(enginesOf(compiled('\\bid\\b')).anchoredDfa).toBeUndefined();
    expect(enginesOf(compiled('a\\Bb')).searchDfa).toBeUndefined();
  });

  test('a pattern whose DFA would be too large runs on the Pike VM, with the same answers', () => {
    // "the 13th character from the end is an a": 2^13 DFA states when searching.
    const pattern = '(a|b)*a(a|b){12}';
    const regex = compiled(pattern);
    expect(enginesOf(regex).searchDfa).toBeUndefined();
    for (const input of ['a' + 'b'.repeat(12), 'b'.repeat(13), 'ab'.repeat(20), 'ba'.repeat(7) + 'b'.repeat(12)]) {
      expect(regex.fullMatch(input)).toBe(jsFullMatch(pattern, input));
      expect(regex.search(input)).toBe(jsSearch(pattern, input));
    }
  });

  test('a pure literal needs no engine', () => {
    const { anchoredDfa, searchDfa } = enginesOf(compiled('^/healthz$'));
    expect(anchoredDfa).toBeUndefined();
    expect(searchDfa).toBeUndefined();
  });
});

/** The DFA against the Pike VM on code units above 255, which the DFA classes apart from latin1. */
const HIGH: Array<[string, string[]]> = [
  ['[^a]+', ['é', '\u4e00\uffff', '\u0100a', '\ud83d\ude00']],
  ['^[\\x{100}-\\x{200}]+$', ['\u0100', '\u0200\u0150', '\u0201', '\u00ff', '']],
  ['.', ['\u2028', '\uffff', '\n']],
  ['^(?:\\x{4e00}|\\x{4e01}b)+$', ['\u4e00\u4e01b', '\u4e01', '\u4e00\u4e00', '\u4e02']],
  ['[\\x{ff}-\\x{101}]x', ['\u00ffx', '\u0100x', '\u0101x', '\u0102x', '\u00fex']],
];

describe.each(HIGH)('%j above latin1', (pattern, inputs) => {
  test.each(inputs)('on %j the DFA and the Pike VM agree', (input) => {
    const regex = compiled(pattern);
    const { vm, anchoredDfa, searchDfa } = enginesOf(regex);
    expect(anchoredDfa).toBeDefined();
    expect(searchDfa).toBeDefined();
    expect(regex.fullMatch(input)).toBe(vm.run(input, true, true));
    expect(regex.search(input)).toBe(vm.run(input, false, false));
  });
});

/** End-of-text and start-of-text assertions in odd places, where the DFA decides `$` only at the end. */
test.each(['$^', 'a|$^', '(?:$|a)b', '^(?:a|$)', 'a$|b', '(a$)*', '(?:^|b)a', 'a(?:^|b)', '$a|a$'])('%j agrees with JS RegExp', (pattern) => {
  const regex = compiled(pattern);
  for (const input of ['', 'a', 'b', 'ab', 'ba', 'aa', 'bab']) {
    expect(regex.fullMatch(input), `fullMatch ${input}`).toBe(jsFullMatch(pattern, input));
    expect(regex.search(input), `search ${input}`).toBe(jsSearch(pattern, input));
  }
});
