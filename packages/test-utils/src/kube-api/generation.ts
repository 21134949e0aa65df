import type { KubeObject } from './types.js';

// What is not "spec" for generation purposes: identity, metadata and status. Everything else
// (`spec`, but also a Secret's `data` or an EndpointSlice's `endpoints`) is desired state.
const NOT_SPEC = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * Whether `next` differs from `previous` in its desired state, which is what moves
 * `metadata.generation` on the API server; label, annotation and status changes do not.
 */
export function specChanged(previous: KubeObject, next: KubeObject): boolean {
  return !sameJson(desiredState(previous), desiredState(next));
}

/** Deep equality of JSON values, ignoring the order of object keys (as the API server's semantic equality does). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, i) => sameJson(value, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  if (keys.length !== Object.keys(right).filter((k) => right[k] !== undefined).length) return false;
  return keys.every((k) => sameJson(left[k], right[k]));
}

function desiredState(object: KubeObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !NOT_SPEC.has(key)));
}
