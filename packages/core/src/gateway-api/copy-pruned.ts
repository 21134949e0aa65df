/**
 * A deep copy of parsed YAML or JSON without its `null` fields, as the API server prunes them
 * from custom resources before defaulting (a `null` list item stays). Shared and cyclic
 * references (YAML aliases) are copied once and stay shared, so the copy always ends. Keys are
 * defined as own data properties, so a `__proto__` key stays a plain key.
 */
export function copyPruned<T>(value: T): T {
  return copyValue(value, new Map()) as T;
}

function copyValue(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    copies.set(value, list);
    for (const item of value) list.push(copyValue(item, copies));
    return list;
  }
  const record: Record<string, unknown> = {};
  copies.set(value, record);
  for (const [key, field] of Object.entries(value)) {
    if (field === null || field === undefined) continue;
    Object.defineProperty(record, key, { value: copyValue(field, copies), enumerable: true, writable: true, configurable: true });
  }
  return record;
}
