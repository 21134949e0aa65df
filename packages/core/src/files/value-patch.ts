/**
 * A value told as its difference from one the other side already holds: how the parse worker
 * sends a changed file's objects (`ManifestParser`), so the serving thread makes only the objects
 * and arrays along the fields that changed and shares every other part with the value it had.
 * A one-path edit to an Ingress of 100 paths then makes seven objects there, and the structured
 * clone between the threads copies a small patch, not the whole Ingress again.
 *
 * For values as manifests read: plain objects, arrays and primitives. Key order counts (two
 * objects with the same entries in another order differ), as it does for field lines.
 */
export type ValuePatch =
  /** The value before, as it is. */
  | typeof SAME
  /** A new value, whole. */
  | { readonly v: unknown }
  /** A plain object: each of its keys in order, and each key's value as a patch of that key's value before. */
  | { readonly k: readonly string[]; readonly p: readonly ValuePatch[] }
  /** An array: each item as a patch of the item at the same index before. */
  | { readonly a: readonly ValuePatch[] };

export const SAME = 0;

/** `next` as a patch of `before`: `SAME` when they hold the same (`Object.is` for primitives, the same keys in the same order). */
export function diffValue(next: unknown, before: unknown): ValuePatch {
  if (Object.is(next, before)) return SAME;
  if (Array.isArray(next)) return Array.isArray(before) ? diffArray(next, before) : { v: next };
  if (isPlainObject(next) && isPlainObject(before)) return diffObject(next, before);
  return { v: next };
}

function diffArray(next: readonly unknown[], before: readonly unknown[]): ValuePatch {
  const patches = new Array<ValuePatch>(next.length);
  let same = next.length === before.length;
  for (let i = 0; i < next.length; i++) {
    const patch = i < before.length ? diffValue(next[i], before[i]) : { v: next[i] };
    if (patch !== SAME) same = false;
    patches[i] = patch;
  }
  return same ? SAME : { a: patches };
}

function diffObject(next: Record<string, unknown>, before: Record<string, unknown>): ValuePatch {
  const keys = Object.keys(next);
  const beforeKeys = Object.keys(before);
  const patches = new Array<ValuePatch>(keys.length);
  let same = keys.length === beforeKeys.length;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const patch = Object.hasOwn(before, key) ? diffValue(next[key], before[key]) : { v: next[key] };
    if (patch !== SAME || key !== beforeKeys[i]) same = false;
    patches[i] = patch;
  }
  return same ? SAME : { k: keys, p: patches };
}

/** A patch that makes a new object of `value`'s keys, each value shared: another identity, the same content. */
export function copyPatch(value: object): ValuePatch {
  if (Array.isArray(value)) return { a: value.map(() => SAME) };
  const keys = Object.keys(value);
  return { k: keys, p: keys.map(() => SAME) };
}

/**
 * The value `patch` tells, made from `before` (what `diffValue` was given as `before`, or a
 * structured clone of it): the parts marked `SAME` are `before`'s own, not copies.
 */
export function applyPatch(before: unknown, patch: ValuePatch): unknown {
  if (patch === SAME) return before;
  if ('v' in patch) return patch.v;
  if ('a' in patch) {
    const items = patch.a;
    const base = before as readonly unknown[];
    const value = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) value[i] = applyPatch(base[i], items[i]!);
    return value;
  }
  const { k: keys, p: patches } = patch;
  const base = before as Record<string, unknown>;
  const value: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = applyPatch(base[key], patches[i]!);
    // A key named __proto__ is an own property of the value read, never its prototype.
    if (key === '__proto__') Object.defineProperty(value, key, { value: item, enumerable: true, writable: true, configurable: true });
    else value[key] = item;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
