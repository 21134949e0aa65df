import { normalizePath } from '../request/normalize-path.js';
import type { PathType } from '../model.js';
import type { PathMatchKind } from '../path-matcher/path-matcher.js';

/** A rule path as the compiler uses it, or why it can never match a request. */
export type RulePath =
  | { readonly ok: true; readonly path: string; readonly kind: PathMatchKind; readonly matchKey: string; readonly elements: number }
  | { readonly ok: false; readonly reason: string };

const NON_ASCII = /[^\x00-\x7F]+/g;

/**
 * Normalizes a validated rule path with the same function requests go through, so a rule
 * and a request compare in one form. Characters beyond ASCII (a YAML file's `/café`) are
 * written as UTF-8 escapes first, as a client would send them. ImplementationSpecific
 * behaves as Prefix and its omitted path is `/`.
 */
export function readRulePath(path: string | undefined, pathType: PathType): RulePath {
  const written = path === undefined || path === '' ? '/' : path;
  if (written.includes('?') || written.includes('#')) {
    return { ok: false, reason: `${JSON.stringify(written)} holds "?" or "#", which never reach the path of a request` };
  }
  let normalized: string;
  try {
    normalized = normalizePath(written.replace(NON_ASCII, encodeURI));
  } catch {
    return { ok: false, reason: `${JSON.stringify(written)} holds an invalid percent-encoding, which no valid request can match` };
  }
  const kind: PathMatchKind = pathType === 'Exact' ? 'exact' : 'prefix';
  const matchKey = kind === 'exact' || normalized === '/' ? normalized : normalized.replace(/\/$/, '');
  return { ok: true, path: normalized, kind, matchKey, elements: countElements(normalized) };
}

/** Path elements of a normalized path: a trailing slash adds none. */
export function countElements(path: string): number {
  let count = 0;
  for (let i = 0; i < path.length; i++) {
    if (path.charCodeAt(i) === 47 && i + 1 < path.length) count++;
  }
  return count;
}
