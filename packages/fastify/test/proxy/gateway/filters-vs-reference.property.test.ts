import fc from 'fast-check';
import type { HeaderModifier } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { modifyRequestHeaders, modifyResponseHeaders } from '../../../src/proxy/gateway/header-modifier.js';
import { replacePath } from '../../../src/proxy/gateway/path-modifier.js';

/**
 * The one-pass header modifier and the prefix replacement against references written straight
 * from the spec's words, on random inputs from small alphabets (so names collide often).
 * Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 2_000);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);

const NAMES = ['x-a', 'X-A', 'x-b', 'X-B', 'x-cc', 'accept', 'Accept', 'user-agent'];
const name = fc.constantFrom(...NAMES);
const value = fc.constantFrom('1', '2', 'v', 'w,z');
const headerList = fc.array(fc.tuple(name, value), { maxLength: 8 }).map((pairs) => pairs.flat());
const uniqueByName = (entries: Array<[string, string]>) => {
  const seen = new Set<string>();
  return entries.filter(([entryName]) => !seen.has(entryName.toLowerCase()) && seen.add(entryName.toLowerCase()));
};
// One action per name, as the spec requires of a valid filter.
const modifier = fc.array(fc.tuple(name, value, fc.constantFrom('set', 'add', 'remove')), { maxLength: 5 }).map((actions): HeaderModifier => {
  const unique = uniqueByName(actions.map(([n, v]) => [n, v] as [string, string]));
  const kinds = new Map(actions.map(([n, , kind]) => [n.toLowerCase(), kind]));
  const set = unique.filter(([n]) => kinds.get(n.toLowerCase()) === 'set').map(([n, v]) => [n.toLowerCase(), v] as const);
  const add = unique.filter(([n]) => kinds.get(n.toLowerCase()) === 'add').map(([n, v]) => [n.toLowerCase(), v] as const);
  const remove = unique.filter(([n]) => kinds.get(n.toLowerCase()) === 'remove').map(([n]) => n.toLowerCase());
  return { set, add, remove, names: new Set([...set.map(([n]) => n), ...add.map(([n]) => n), ...remove]) };
});

/** The headers by lowercase name, every line's value joined with `,` (how the conformance suite reads them). */
function joined(list: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (let i = 0; i < list.length; i += 2) {
    const lower = list[i]!.toLowerCase();
    const before = byName.get(lower);
    byName.set(lower, before === undefined ? list[i + 1]! : `${before},${list[i + 1]!}`);
  }
  return byName;
}

/** HTTPHeaderFilter's words: remove the names, set (overwrite) the values, add (append to any existing value). */
function referenceModify(mod: HeaderModifier, list: readonly string[]): Map<string, string> {
  const headers = joined(list);
  for (const removed of mod.remove) headers.delete(removed);
  for (const [setName, setValue] of mod.set) headers.set(setName, setValue);
  for (const [addName, addValue] of mod.add) {
    const before = headers.get(addName);
    headers.set(addName, before === undefined ? addValue : `${before},${addValue}`);
  }
  return headers;
}

/** The names the modifier does not touch, line by line, in order. */
function untouchedLines(mod: HeaderModifier, list: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < list.length; i += 2) if (!mod.names.has(list[i]!.toLowerCase())) kept.push(list[i]!, list[i + 1]!);
  return kept;
}

describe('header modifier vs the spec’s words', () => {
  test.each([
    ['request', modifyRequestHeaders],
    ['response', modifyResponseHeaders],
  ] as const)('%s headers', (_direction, modify) => {
    fc.assert(
      fc.property(modifier, headerList, (mod, list) => {
        const modified = [...list];
        modify(mod, modified);
        expect(joined(modified)).toEqual(referenceModify(mod, list));
        expect(untouchedLines(mod, modified)).toEqual(untouchedLines(mod, list));
        // A name the modifier sets is on one line only.
        for (const [setName] of mod.set) expect(modified.filter((n, i) => i % 2 === 0 && n.toLowerCase() === setName)).toHaveLength(1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

const SEGMENTS = ['a', 'b', 'ab', 'c'];
const elements = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 3 });
const withSlash = (parts: string[], slash: boolean) => '/' + parts.join('/') + (slash && parts.length > 0 ? '/' : '');

/**
 * ReplacePrefixMatch in elements: the prefix's elements swapped for the value's, the rest kept,
 * and the request's trailing slash with it (`/` alone is the root, not a trailing slash).
 */
function referenceReplace(path: string, prefix: string, value: string): string {
  const elementsOf = (text: string) => text.split('/').filter((part) => part.length > 0);
  const prefixCount = elementsOf(prefix).length;
  const parts = [...elementsOf(value), ...elementsOf(path).slice(prefixCount)];
  const trailing = path.length > 1 && path.endsWith('/') ? '/' : '';
  return parts.length === 0 ? '/' : '/' + parts.join('/') + trailing;
}

describe('ReplacePrefixMatch vs element-wise reference', () => {
  test('any path under any of its prefixes, any value', () => {
    fc.assert(
      fc.property(elements, elements, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean(), fc.boolean(), (pathParts, valueParts, cut, pathSlash, prefixSlash, valueSlash) => {
        const path = withSlash(pathParts, pathSlash);
        const prefix = withSlash(pathParts.slice(0, Math.min(cut, pathParts.length)), prefixSlash);
        const value = valueParts.length === 0 && !valueSlash ? '' : withSlash(valueParts, valueSlash);
        expect(replacePath({ type: 'ReplacePrefixMatch', value }, path, prefix)).toBe(referenceReplace(path, prefix, value));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
