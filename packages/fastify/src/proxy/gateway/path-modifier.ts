import type { PathModifier } from '@switchyard/core';

const SLASH = 0x2f;

/**
 * The path a `URLRewrite` forwards, or a `RequestRedirect` points at, instead of `requestPath`.
 *
 * - `ReplaceFullPath`: the modifier's value.
 * - `ReplacePrefixMatch`: the matched `PathPrefix` (`matchedPrefix`, the rule's value, not the
 *   request's spelling) is replaced by the value, in whole path elements, a trailing `/` on
 *   either ignored; the rest of the path is kept as it was, and an empty result is `/`. This is
 *   the table of HTTPPathModifier's doc comment: `/foo/bar` with `/foo` → `/xyz/` is
 *   `/xyz/bar`, `/foo/` with `/foo` → `` is `/`, `/foo` with `/foo` → `/xyz` is `/xyz`. The
 *   request's trailing slash is kept (`/foo/` with `/foo` → `/xyz` is `/xyz/`), but `/` alone is
 *   the root, not a trailing slash: `/` with `/` → `/xyz` is `/xyz`.
 *   Without a prefix (`matchedPrefix` undefined: a rule matched in another way, which the
 *   spec does not accept with ReplacePrefixMatch) or when `requestPath` does not start with it
 *   element-wise, the path is left as it was.
 *
 * `requestPath` is the normalized path without its query: the query is the caller's to add,
 * and rewrites and redirects both keep it. The modifiers replace the path, the URI component;
 * conformance pins the query of neither (its rewrite and redirect checks compare paths only),
 * and Envoy and NGINX keep it in both.
 */
export function replacePath(modifier: PathModifier, requestPath: string, matchedPrefix: string | undefined): string {
  if (modifier.type === 'ReplaceFullPath') return modifier.value;
  if (matchedPrefix === undefined) return requestPath;
  const prefixLength = withoutTrailingSlashes(matchedPrefix);
  // Whole elements: the request goes on with `/` (or ends) where the prefix ends.
  if (!startsWithElements(requestPath, matchedPrefix, prefixLength)) return requestPath;
  const value = modifier.value;
  const valueLength = withoutTrailingSlashes(value);
  const replacement = valueLength === value.length ? value : value.slice(0, valueLength);
  // The request `/` is the root, not a trailing slash: under the prefix `/` nothing is left of it.
  const rest = prefixLength === 0 ? (requestPath.length === 1 ? '' : requestPath) : requestPath.slice(prefixLength);
  if (replacement.length === 0) return rest.length === 0 ? '/' : rest;
  return rest.length === 0 ? replacement : replacement + rest;
}

/** `path` starts with the first `length` characters of `prefix`, followed by `/` or its end. */
function startsWithElements(path: string, prefix: string, length: number): boolean {
  if (path.length < length) return false;
  if (path.length !== length && path.charCodeAt(length) !== SLASH) return false;
  for (let i = 0; i < length; i++) {
    if (path.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

/** The length of `path` without its trailing slashes (`/` and `` are 0). */
function withoutTrailingSlashes(path: string): number {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--;
  return end;
}
