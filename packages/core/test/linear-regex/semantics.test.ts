import { describe, expect, test } from 'vitest';
import { compileLinearRegex, type LinearRegex } from '../../src/linear-regex/index.js';
import { enginesOf } from '../../src/linear-regex/linear-regex.js';
import { jsFullMatch, jsSearch } from './js-oracle.js';

function compiled(pattern: string): LinearRegex {
  const result = compileLinearRegex(pattern);
  if (!result.ok) throw new Error(`${pattern}: ${result.reason} at ${result.position}`);
  return result.regex;
}

/** Patterns where RE2 and JS agree, each against every input below. */
const PATTERNS = [
  '',
  'a',
  'abc',
  '^abc$',
  '^abc',
  'abc$',
  '^$',
  '^',
  '$',
  'a^b',
  'a$b',
  'a|b',
  'ab|cd|',
  '(a|ab)(c|bcd)(d*)',
  'a*',
  'a+',
  'a?',
  'a*?b',
  'a+?',
  'a{2}',
  'a{2,}',
  'a{1,3}',
  'a{0}',
  'a{0,1}b',
  '(ab){2}',
  '(?:ab)+c',
  '(a*)*b',
  '(a|a)*b',
  '(a+)+$',
  '(a*)+$',
  '(?:a?){3}a{3}',
  '(|a)+',
  '.',
  '.+',
  '^.*$',
  'a.c',
  '[abc]+',
  '[^abc]',
  '[a-c]{2}',
  '[^a-c]+$',
  '[a-]',
  '[-a]+',
  '[\\]a]',
  '[\\d.]+',
  '[^\\d\\s]',
  '\\d+',
  '\\D',
  '\\w+',
  '\\W',
  '\\s',
  '\\S+',
  '\\.',
  '\\/',
  '\\-',
  '\\\\',
  '\\t',
  '\\n',
  '\\x41',
  '\\bab',
  'ab\\b',
  '\\Bb',
  '\\b\\w+\\b',
  '(?P<first>a)(?<second>b)',
  '(?i)abc',
  '(?i)[a-c]+',
  '(?i)[^a]',
  '(?i)^A.C$',
  '(?i)\\w+',
  'a{',
  'a{,2}',
  '}',
  ']',
  '^/api/v[0-9]+/users/[a-z0-9-]+$',
  '^v[0-9]+\\.[0-9]+$',
];

const INPUTS = ['', 'a', 'b', 'c', 'A', 'aa', 'aaa', 'aaaa', 'ab', 'abc', 'ABC', 'aBc', 'abcd', 'bcd', 'xabcx', 'a\nb', 'a\tb', '\n', ' ', 'a b', 'a.c', 'a-c', 'a]', '1.2', 'v12.3', 'v1.', '/api/v2/users/ab-9', '/api/v2/users/', 'a{', 'a{,2}', '}', '\\', '/', 'é', 'aaab', 'aaaaaaaaaaaaaaaaaaaaac'];

describe.each(PATTERNS)('%j agrees with JS RegExp', (pattern) => {
  const regex = compiled(pattern);
  const { vm } = enginesOf(regex);
  test.each(INPUTS)('on %j', (input) => {
    const full = jsFullMatch(pattern, input);
    const anywhere = jsSearch(pattern, input);
    expect(regex.fullMatch(input), 'fullMatch').toBe(full);
    expect(regex.search(input), 'search').toBe(anywhere);
    // The Pike VM alone, for the patterns a DFA or a literal answers.
    expect(vm.run(input, true, true), 'Pike VM, anchored').toBe(full);
    expect(vm.run(input, false, false), 'Pike VM, unanchored').toBe(anywhere);
  });
});

/** Where RE2 is the reference and JS differs or lacks the syntax: [pattern, input, fullMatch, search]. */
const RE2_ONLY: Array<[string, string, boolean, boolean]> = [
  // `.` leaves out only "\n"; JS also leaves out "\r", U+2028 and U+2029.
  ['.', '\r', true, true],
  ['.', '\u2028', true, true],
  ['.', '\n', false, false],
  // `\s` is [\t\n\f\r ]: not \v, not U+00A0 (JS has both).
  ['\\s', '\v', false, false],
  ['\\s', '\u00a0', false, false],
  ['\\s', '\f', true, true],
  ['\\S', '\v', true, true],
  // `]` first in a class is a literal.
  ['[]a]', ']', true, true],
  ['[]a]+', 'a]a', true, true],
  ['[^]a]', 'b', true, true],
  ['[^]a]', ']', false, false],
  // POSIX classes.
  ['[[:alpha:]]+', 'abZ', true, true],
  ['[[:alpha:]]', '1', false, false],
  ['[[:^alpha:]]', '1', true, true],
  ['[[:xdigit:]]{4}', 'bEeF', true, true],
  ['[[:punct:]]', '!', true, true],
  ['[[:space:][:digit:]]+', ' 1\t2', true, true],
  ['[[:upper:]]', 'a', false, false],
  ['(?i)[[:upper:]]', 'a', true, true],
  // `[` inside a class is a literal; `[:` that opens no POSIX class too.
  ['[[]', '[', true, true],
  ['[[:a]', ':', true, true],
  // RE2 escapes JS lacks.
  ['\\x{41}\\x{00e9}', 'Aé', true, true],
  ['\\a', '\x07', true, true],
  ['\\Aab\\z', 'ab', true, true],
  ['\\Aab', 'xab', false, false],
  ['ab\\z', 'abx', false, false],
  ['ab\\z', 'xab', false, true],
  // `$` is the end of the text only, never before a final "\n" (as Perl's `$` is).
  ['a$', 'a\n', false, false],
  // ASCII-only case folding.
  ['(?i)k', '\u212a', false, false],
  ['(?i)é', 'É', false, false],
  ['(?i)é', 'é', true, true],
  // Code units: a character beyond U+FFFF is two.
  ['^.$', '😀', false, false],
  ['^..$', '😀', true, true],
  ['[^a]', '😀', false, true],
  // A repeated assertion, which RE2 accepts (JS only inside a group).
  ['^*a', 'ba', false, true],
  ['x\\b+', 'xy', false, false],
  ['x\\b*', 'xy', false, true],
  // Counted repetition at the limit.
  ['a{1000}', 'a'.repeat(1000), true, true],
  ['a{1000}', 'a'.repeat(999), false, false],
  ['^a{2,1000}$', 'a'.repeat(1001), false, false],
  // Literal fast paths and their anchors.
  ['^/healthz$', '/healthz', true, true],
  ['^/healthz$', '/healthz/', false, false],
  ['^/static', '/static/app.js', false, true],
  ['\\.js$', '/static/app.js', false, true],
  ['\\.js$', '/static/app.jsx', false, false],
  ['^(?:/a)', '/ab', false, true],
  ['^^a$$', 'a', true, true],
  ['(?:^a)|(?:^b)', 'xb', false, false],
  ['(?:^a)|(?:^b)', 'bx', false, true],
];

test.each(RE2_ONLY)('%j on %j: fullMatch %s, search %s', (pattern, input, full, anywhere) => {
  const regex = compiled(pattern);
  expect(regex.fullMatch(input)).toBe(full);
  expect(regex.search(input)).toBe(anywhere);
  const { vm } = enginesOf(regex);
  expect(vm.run(input, true, true), 'Pike VM, anchored').toBe(full);
  expect(vm.run(input, false, false), 'Pike VM, unanchored').toBe(anywhere);
});

test('a compiled regex can be run again and again, on any input, with the same answers', () => {
  const regex = compiled('^/api/v[0-9]+/(users|orders)/[a-z0-9-]{1,36}$');
  const inputs = ['/api/v1/users/ab-9', '/api/v1/users/', '/api/v12/orders/' + 'a'.repeat(36), '/api/v12/orders/' + 'a'.repeat(37), ''];
  const first = inputs.map((input) => [regex.fullMatch(input), regex.search(input)]);
  for (let round = 0; round < 3; round++) expect(inputs.map((input) => [regex.fullMatch(input), regex.search(input)])).toEqual(first);
  expect(first).toEqual([
    [true, true],
    [false, false],
    [true, true],
    [false, false],
    [false, false],
  ]);
});
