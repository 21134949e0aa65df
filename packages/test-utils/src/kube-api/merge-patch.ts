/**
 * Applies a JSON merge patch (RFC 7386) to `target` and returns the result; neither argument is
 * changed. An object patch merges key by key, `null` deletes a key, anything else replaces.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * Turns a strategic merge patch into the merge patch the fixture applies: its `$`-directives
 * (`$patch`, `$retainKeys`, `$setElementOrder/...`, `$deleteFromPrimitiveList/...`) are dropped,
 * and lists are replaced whole where the real server merges a list that has a merge key (a
 * Service's `ports`) element by element: such a patch keeps only the elements it names. Exact
 * for every map field and every list without a merge key, which covers the Gateway API kinds
 * (served as CRDs, so kubectl sends them merge patches anyway) and Leases.
 */
export function strategicToMergePatch(patch: unknown): unknown {
  if (Array.isArray(patch)) return patch.map(strategicToMergePatch);
  if (!isPlainObject(patch)) return patch;
  return Object.fromEntries(Object.entries(patch).filter(([key]) => !key.startsWith('$')).map(([key, value]) => [key, strategicToMergePatch(value)]));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
