import Router from 'find-my-way';
import type { Route } from '../../route.js';
import type { PathMatcher, PathRule } from '../path-matcher.js';

/** What one registered find-my-way pattern stands for. */
interface PatternStore {
  exact: Route | undefined;
  prefix: Route | undefined;
}

// find-my-way percent-decodes lookups and reads ":" and "*" as parameter and wildcard.
// Normalized paths hold "%" only in escapes we must compare as written, so both are
// swapped for lone surrogates, which no decoded URL and no normalized path can hold.
const PERCENT_STAND_IN = '\uD801';
const STAR_STAND_IN = '\uD800';
const NEEDS_STAND_IN = /[%*]/;
const PERCENT = /%/g;
const STAR = /\*/g;
const COLON = /:/g;

function standIn(path: string): string {
  return NEEDS_STAND_IN.test(path) ? path.replace(PERCENT, PERCENT_STAND_IN).replace(STAR, STAR_STAND_IN) : path;
}

/**
 * The find-my-way peer of `SegmentTrieMatcher`, kept for the match benchmark and held to
 * the same conformance suite. A Prefix rule `/a` is the static route `/a` plus the
 * wildcard `/a/*` (the root: `/` and `/*`); an Exact rule is its static route; find-my-way
 * prefers static over wildcard and backtracks to the deepest wildcard, which is the
 * longest-element match with Exact first.
 */
export class FindMyWayMatcher implements PathMatcher {
  private readonly router = Router({ caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false });

  constructor(rules: readonly PathRule[]) {
    const stores = new Map<string, PatternStore>();
    const storeFor = (pattern: string): PatternStore => {
      let store = stores.get(pattern);
      if (store === undefined) {
        store = { exact: undefined, prefix: undefined };
        stores.set(pattern, store);
      }
      return store;
    };
    for (const rule of rules) {
      const pattern = standIn(rule.path);
      if (rule.kind === 'exact') {
        storeFor(pattern).exact = rule.route;
      } else {
        storeFor(pattern).prefix = rule.route;
        storeFor(pattern === '/' ? '/*' : `${pattern}/*`).prefix = rule.route;
      }
    }
    const handler = () => undefined;
    for (const [pattern, store] of stores) {
      const escaped = pattern.endsWith('/*') ? pattern.slice(0, -1).replace(COLON, '::') + '*' : pattern.replace(COLON, '::');
      this.router.on('GET', escaped, handler, store);
    }
    this.router.compile();
  }

  match(path: string): Route | undefined {
    const found = this.router.find('GET', standIn(path));
    if (found === null) return undefined;
    const store = found.store as PatternStore;
    return store.exact ?? store.prefix;
  }
}

export function createFindMyWayMatcher(rules: readonly PathRule[]): PathMatcher {
  return new FindMyWayMatcher(rules);
}
