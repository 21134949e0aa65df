import { describe, expect, test } from 'vitest';
import { compileLinearRegex, MAX_NESTING_DEPTH, MAX_PROGRAM_SIZE } from '../../src/linear-regex/index.js';
import { parseRegex } from '../../src/linear-regex/parse-regex.js';

/** [pattern, position, what the reason must say] */
const REFUSED: Array<[string, number, RegExp]> = [
  // backtracking-only constructs
  ['(a)\\1', 3, /backreference/],
  ['(?P<x>a)(?P=x)', 8, /backreference/],
  ['(?<x>a)\\k<x>', 7, /backreference/],
  ['a(?=b)', 1, /lookaround/],
  ['a(?!b)', 1, /lookaround/],
  ['(?<=a)b', 0, /lookaround/],
  ['(?<!a)b', 0, /lookaround/],
  ['(?>a+)b', 0, /atomic/],
  ['a*+', 2, /possessive/],
  ['a++b', 2, /possessive/],
  ['a?+', 2, /possessive/],
  ['a{2}+', 4, /possessive/],
  ['a*?+', 3, /possessive/],
  // escapes
  ['\\q', 0, /unknown escape "\\q"/],
  ['ab\\y', 2, /unknown escape/],
  ['[\\q]', 1, /unknown escape/],
  ['a\\', 1, /trailing backslash/],
  ['\\p{L}', 0, /Unicode classes/],
  ['[\\P{L}]', 1, /Unicode classes/],
  ['\\Qa.b\\E', 0, /\\Q/],
  ['\\C', 0, /any byte/],
  ['a\\Z', 1, /\\z/],
  ['\\0', 0, /octal/],
  ['\\u0041', 0, /\\x\{HHHH\}/],
  ['\\xG1', 0, /hex escape/],
  ['\\x4', 0, /hex escape/],
  ['\\x{}', 0, /hex escape/],
  ['\\x{12', 0, /hex escape/],
  ['\\x{10000}', 0, /beyond U\+FFFF/],
  ['\\x{D800}', 0, /surrogate/],
  ['a😀', 1, /surrogate/],
  ['[\\b]', 1, /assertion/],
  ['[a\\A]', 2, /assertion/],
  // groups and flags
  ['(a', 0, /missing closing "\)"/],
  ['a(b(c)', 1, /missing closing "\)"/],
  ['a)', 1, /unmatched "\)"/],
  ['(a))', 3, /unmatched "\)"/],
  ['(?P<>a)', 0, /group name/],
  ['(?P<a-b>x)', 0, /group name/],
  ['(?<n>a)(?<n>b)', 7, /duplicate group name "n"/],
  ['a(?i)b', 1, /flags .*start/],
  ['(?i)(?i)a', 4, /flags/],
  ['(?s).', 0, /flags/],
  ['(?m)^a', 0, /flags/],
  ['(?i:a)', 0, /flags/],
  ['(?-i)a', 0, /flags/],
  ['(?#note)a', 0, /unknown group syntax/],
  ['(?', 0, /unknown group syntax/],
  // classes
  ['[abc', 0, /missing closing "\]"/],
  ['x[]', 1, /missing closing "\]"/],
  ['[^]', 0, /missing closing "\]"/],
  ['a[z-a]', 2, /bad class range "z-a"/],
  ['[\\d-z]', 1, /cannot start a range/],
  ['[a-\\w]', 1, /cannot end a range/],
  ['[[:word:][:nope:]]', 9, /unknown POSIX class/],
  // repetition
  ['*a', 0, /missing argument/],
  ['a|+', 2, /missing argument/],
  ['(?)', 0, /unknown group syntax/],
  ['(*)', 1, /missing argument/],
  ['{2}', 0, /missing argument/],
  ['a**', 2, /repetition of a repetition/],
  ['a{2}{3}', 4, /repetition of a repetition/],
  ['a*??', 3, /repetition of a repetition/],
  ['a{1001}', 1, /over 1000/],
  ['a{2,1001}', 1, /over 1000/],
  ['a{99999999999999999999}', 1, /over 1000/],
  ['a{3,2}', 1, /minimum is over the maximum/],
  // size
  ['(ab){1000}(cd){1000}(ef){1000}', 0, /more than 5000 instructions/],
  ['x(a{1000}){1000}', 10, /more than 5000 instructions/],
  ['((a{100}){100}){100}', 9, /more than 5000 instructions/],
  ['a'.repeat(MAX_PROGRAM_SIZE), 0, /more than 5000 instructions/],
];

describe('refused patterns', () => {
  test.each(REFUSED)('%j is refused at %i', (pattern, position, reason) => {
    const result = compileLinearRegex(pattern);
    expect(result).toMatchObject({ ok: false, position });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test(`groups nest at most ${MAX_NESTING_DEPTH} deep`, () => {
    expect(compileLinearRegex('('.repeat(MAX_NESTING_DEPTH) + 'a' + ')'.repeat(MAX_NESTING_DEPTH)).ok).toBe(true);
    const deeper = '('.repeat(MAX_NESTING_DEPTH + 1) + 'a' + ')'.repeat(MAX_NESTING_DEPTH + 1);
    expect(compileLinearRegex(deeper)).toMatchObject({ ok: false, position: MAX_NESTING_DEPTH, reason: expect.stringMatching(/nested deeper/) });
  });

  test('a program at the size limit compiles, one instruction more does not', () => {
    // Each literal is one instruction, plus MATCH.
    expect(compileLinearRegex('a'.repeat(MAX_PROGRAM_SIZE - 1)).ok).toBe(true);
    expect(compileLinearRegex('a'.repeat(MAX_PROGRAM_SIZE)).ok).toBe(false);
  });

  test('never throws, whatever the string', () => {
    const nasty = ['', '\\', '(', ')', '[', ']', '[^', '{', '}', '{,}', '(?', '(?P', '(?P<', '\\x', '\\x{', '((((((((((', '\ud800', '\udc00a', 'a{1000}{', '[[:', '[[:]', '[a-', '[a-]', '(?<', '|||', '^$^$'];
    for (let i = 0; i < 2000; i++) {
      let pattern = '';
      for (let j = 0; j < 12; j++) pattern += '()[]{}\\^$.|?*+-:<>=!PpxX0123abAdDwWsSbBzZi,'[Math.floor(Math.random() * 46)];
      nasty.push(pattern);
    }
    nasty.push('('.repeat(100_000), ')'.repeat(100_000), '[' + 'a'.repeat(100_000), 'a'.repeat(100_000));
    for (const pattern of nasty) {
      const result = compileLinearRegex(pattern);
      if (!result.ok) {
        expect(result.position, pattern).toBeGreaterThanOrEqual(0);
        expect(result.position, pattern).toBeLessThanOrEqual(pattern.length);
        expect(result.reason).not.toMatch(/could not be compiled/);
      }
    }
  });
});

/** Every supported construct compiles; the semantics tests check what each matches. */
const SUPPORTED = [
  'abc',
  '\\.\\\\\\/\\-\\]\\[\\(\\)\\{\\}\\*\\+\\?\\|\\^\\$\\_\\ \\:\\<\\>',
  '\\t\\n\\r\\f\\v\\a',
  '\\x41\\x{42}\\x{00ff}\\x{FFFF}',
  '.',
  '[abc]',
  '[a-z0-9_]',
  '[^a-z]',
  '[\\d\\s\\w]',
  '[^\\D\\S\\W]',
  '[]a]',
  '[^]a]',
  '[a-]',
  '[-a]',
  '[a-c-e]',
  '[[:alpha:][:^digit:]]',
  '[[]',
  '[\\x00-\\x{FFFF}]',
  '\\d\\D\\w\\W\\s\\S',
  '^a$',
  '\\Aa\\z',
  '\\bword\\B',
  '(a)',
  '(?:a)',
  '(?P<name>a)',
  '(?<name>a)(?P<other_1>b)',
  '()',
  'a|b|',
  '|',
  'a*b+c?',
  'a{2}b{2,}c{2,5}d{0}e{0,0}',
  'a*?b+?c??d{2}?e{2,}?f{2,5}?',
  'a{',
  'a{x}',
  'a{,5}',
  '{',
  'a}',
  ']',
  '(?i)abc',
  '(?i)[a-c]',
  '',
  '(a*)*',
  '(?:)+',
  '^*a',
  '\\b+a',
  'a{1000}',
  'é',
];

test.each(SUPPORTED)('%j compiles', (pattern) => {
  const result = compileLinearRegex(pattern);
  expect(result.ok ? 'ok' : result).toBe('ok');
  if (result.ok) expect(result.regex.source).toBe(pattern);
});

describe('the tree the parser builds', () => {
  test('groups leave no node, alternatives and sequences nest as written', () => {
    expect(parseRegex('(?:ab)|c')).toEqual({
      ok: true,
      caseInsensitive: false,
      node: {
        kind: 'alternate',
        options: [
          { kind: 'concat', items: [{ kind: 'literal', code: 0x61 }, { kind: 'literal', code: 0x62 }] },
          { kind: 'literal', code: 0x63 },
        ],
      },
    });
  });

  test('quantifiers carry their bounds and position; lazy ones are the same', () => {
    const bounds = (pattern: string) => {
      const result = parseRegex(pattern);
      if (!result.ok || result.node.kind !== 'concat') throw new Error(pattern);
      return result.node.items.map((item) => (item.kind === 'repeat' ? [item.min, item.max, item.position] : item.kind));
    };
    expect(bounds('a*b+c?d{3}e{3,}f{3,7}')).toEqual([
      [0, Infinity, 1],
      [1, Infinity, 3],
      [0, 1, 5],
      [3, 3, 7],
      [3, Infinity, 11],
      [3, 7, 16],
    ]);
    expect(bounds('a*?b+?c??d{3}?e{3,}?f{3,7}?')).toEqual([
      [0, Infinity, 1],
      [1, Infinity, 4],
      [0, 1, 7],
      [3, 3, 10],
      [3, Infinity, 15],
      [3, 7, 21],
    ]);
  });

  test('(?i) folds ASCII letters into sets, before a class is negated', () => {
    expect(parseRegex('(?i)k1')).toEqual({
      ok: true,
      caseInsensitive: true,
      node: { kind: 'concat', items: [{ kind: 'set', set: [0x4b, 0x4b, 0x6b, 0x6b] }, { kind: 'literal', code: 0x31 }] },
    });
    expect(parseRegex('(?i)[^a]')).toMatchObject({ ok: true, node: { kind: 'set', set: [0, 0x40, 0x42, 0x60, 0x62, 0xffff] } });
    expect(parseRegex('(?i)é')).toMatchObject({ ok: true, node: { kind: 'literal', code: 0xe9 } });
  });

  test('anchors and word boundaries are assertions', () => {
    const result = parseRegex('^\\A\\b\\B\\z$');
    expect(result.ok && result.node.kind === 'concat' && result.node.items.map((item) => item.kind === 'assert' && item.assertion)).toEqual([
      'begin-text',
      'begin-text',
      'word-boundary',
      'not-word-boundary',
      'end-text',
      'end-text',
    ]);
  });
});
