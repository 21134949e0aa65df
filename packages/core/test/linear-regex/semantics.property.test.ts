import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileLinearRegex } from '../../src/linear-regex/index.js';
import { enginesOf } from '../../src/linear-regex/linear-regex.js';
import { jsFullMatch, jsSearch } from './js-oracle.js';

/**
 * Random patterns from the supported grammar (the part JS RegExp reads the same way)
 * against random inputs over a small alphabet, compared with JS RegExp. Patterns stay
 * small (depth 3, counts up to 3, inputs up to 12) so that RegExp's backtracking stays
 * fast on them. Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 5_000);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);

const ALPHABET = ['a', 'b', 'c', 'A', 'B', '1', ' ', '-', '.', '\n'];

const CHARACTERS = ['a', 'b', 'c', 'A', '1', ' ', '\\.', '\\-', '-', '\\n', '\\x61', '.', '[ab]', '[^a]', '[a-c]', '[^a-bA]', '[\\d.]', '[-a]', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S'];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['*', '+', '?', '{2}', '{1,}', '{0,2}', '{1,3}', '*?', '+?', '??', '{0,2}?'];

const pattern = fc.letrec<{ node: string; group: string; repeat: string; concat: string; alternate: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...CHARACTERS),
    fc.constantFrom(...ASSERTIONS),
    tie('repeat'),
    tie('concat'),
    tie('alternate'),
    tie('group'),
  ),
  group: fc.tuple(fc.constantFrom('(', '(?:'), tie('node')).map(([open, inner]) => `${open}${inner})`),
  // A quantifier applies to one character or a group: never to an assertion or another quantifier.
  repeat: fc.tuple(fc.oneof(fc.constantFrom(...CHARACTERS), tie('group')), fc.constantFrom(...QUANTIFIERS)).map(([item, quantifier]) => item + quantifier),
  concat: fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((items) => items.join('')),
  alternate: fc.array(fc.oneof(tie('node'), fc.constant('')), { minLength: 2, maxLength: 3 }).map((options) => options.join('|')),
}));

const flagged = fc.tuple(fc.boolean(), pattern.node).map(([caseInsensitive, body]) => (caseInsensitive ? '(?i)' : '') + body);
const inputs = fc.array(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((chars) => chars.join('')), { minLength: 1, maxLength: 8 });

describe('linear regex against JS RegExp', () => {
  test(`agrees on ${RUNS} random patterns (seed ${SEED})`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(flagged, inputs, (source, samples) => {
        const result = compileLinearRegex(source);
        expect(result.ok ? 'ok' : result).toBe('ok');
        if (!result.ok) return;
        const { vm } = enginesOf(result.regex);
        for (const input of samples) {
          const full = jsFullMatch(source, input);
          const anywhere = jsSearch(source, input);
          // The public methods (literal, DFA or VM, whichever the pattern got) and the Pike VM alone.
          expect(result.regex.fullMatch(input), `fullMatch ${JSON.stringify(input)}`).toBe(full);
          expect(result.regex.search(input), `search ${JSON.stringify(input)}`).toBe(anywhere);
          expect(vm.run(input, true, true), `Pike VM, anchored, ${JSON.stringify(input)}`).toBe(full);
          expect(vm.run(input, false, false), `Pike VM, unanchored, ${JSON.stringify(input)}`).toBe(anywhere);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
