import type { Route } from '../route.js';

/** How a path rule compares: Exact byte for byte, Prefix (and ImplementationSpecific) by whole elements. */
export type PathMatchKind = 'exact' | 'prefix';

/** One rule handed to a path matcher: unique per (path, kind) after conflicts are resolved. */
export interface PathRule {
  /**
   * The normalized rule path. For `prefix`, without a trailing slash (`/` for the root),
   * since Prefix ignores it; for `exact`, as written after normalization.
   */
  readonly path: string;
  readonly kind: PathMatchKind;
  readonly route: Route;
}

/**
 * Answers, for a normalized request path, the rule of one host tier that wins: the longest
 * match in path elements, Exact before Prefix at equal length. Built once, never changed.
 */
export interface PathMatcher {
  match(path: string): Route | undefined;
}

/** Builds a path matcher from the rules of one host tier. */
export type PathMatcherFactory = (rules: readonly PathRule[]) => PathMatcher;
