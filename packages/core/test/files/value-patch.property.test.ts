import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applyPatch, copyPatch, diffValue, SAME } from '../../src/files/value-patch.js';

const RUNS = 300;
const SEED = 20261206;

/** Manifest-like values: objects, arrays, strings, numbers, booleans and null. */
const value = fc.jsonValue({ maxDepth: 4 });

/** A value and an edit of it somewhere deep: one field set, added or removed, or an item added or dropped. */
const edited = value.chain((before) => fc.tuple(fc.constant(before), editOf(before)));

function editOf(before: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(before) && before.length > 0) {
    return fc.oneof(
      fc.nat(before.length - 1).chain((i) => editOf(before[i]).map((item) => before.map((one, j) => (j === i ? item : one)))),
      fc.nat(before.length - 1).map((i) => before.filter((_, j) => j !== i)),
      value.map((item) => [...before, item]),
    );
  }
  if (typeof before === 'object' && before !== null && !Array.isArray(before) && Object.keys(before).length > 0) {
    const keys = Object.keys(before);
    const record = before as Record<string, unknown>;
    return fc.oneof(
      fc.constantFrom(...keys).chain((key) => editOf(record[key]).map((item) => ({ ...record, [key]: item }))),
      fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
      fc.tuple(fc.string(), value).map(([key, item]) => ({ ...record, [key]: item })),
    );
  }
  return value;
}

/** Key order counts: JSON text, not `toEqual`. */
const text = (x: unknown) => JSON.stringify(x);

describe('value patches', () => {
  test('a patch made against a value and applied to a structured clone of it gives the new value, keys in order', () => {
    fc.assert(
      fc.property(edited, ([before, next]) => {
        const patch = structuredClone(diffValue(next, before));
        const made = applyPatch(structuredClone(before), patch);
        expect(text(made)).toBe(text(next));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('every part the edit did not reach is the object held before, not a copy', () => {
    fc.assert(
      fc.property(edited, ([before, next]) => {
        const base = structuredClone(before);
        const made = applyPatch(base, diffValue(next, before));
        if (text(next) === text(before)) expect(made).toBe(base);
        expectSharedWhereEqual(made, base);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('the same value is SAME; another order of the same keys is not, and keeps its values', () => {
    const before = { a: { x: 1 }, b: [1, 2] };
    expect(diffValue(structuredClone(before), before)).toBe(SAME);
    const reordered = { b: [1, 2], a: { x: 1 } };
    const made = applyPatch(before, diffValue(reordered, before)) as typeof before;
    expect(Object.keys(made)).toEqual(['b', 'a']);
    expect(made.a).toBe(before.a);
    expect(made.b).toBe(before.b);
  });

  test('a copy patch makes another object holding the same fields', () => {
    const before = { metadata: { name: 'web' }, spec: { rules: [] } };
    const made = applyPatch(before, copyPatch(before)) as typeof before;
    expect(made).not.toBe(before);
    expect(made.metadata).toBe(before.metadata);
    expect(made.spec).toBe(before.spec);
  });

  test('a key named __proto__ is an own field of the value made, not its prototype', () => {
    const next = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const made = applyPatch({ a: 0 }, diffValue(next, { a: 0 })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(Object.hasOwn(made, '__proto__')).toBe(true);
    expect((made as { polluted?: unknown }).polluted).toBeUndefined();
    expect(text(made)).toBe(text(next));
  });
});

/** Each object or array in `made` that equals the one at the same place in `base` is that one. */
function expectSharedWhereEqual(made: unknown, base: unknown): void {
  if (typeof made !== 'object' || made === null || typeof base !== 'object' || base === null) return;
  if (Array.isArray(made) !== Array.isArray(base)) return;
  if (text(made) === text(base)) {
    expect(made).toBe(base);
    return;
  }
  for (const key of Object.keys(made)) {
    if (Object.hasOwn(base, key)) expectSharedWhereEqual((made as Record<string, unknown>)[key], (base as Record<string, unknown>)[key]);
  }
}
