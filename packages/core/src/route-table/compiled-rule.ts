import type { PathMatchKind } from '../path-matcher/path-matcher.js';
import type { Route } from '../route.js';

/** Where in the host index a rule sits. */
export type Tier = 'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend';

/** A rule as the compiler and `explain` see it: the route plus how it compares. */
export interface CompiledRule {
  readonly route: Route;
  readonly kind: PathMatchKind;
  /** The path the matcher compares: Prefix without its trailing slash. */
  readonly matchKey: string;
  /** Path elements of the rule, the length that decides precedence. */
  readonly elements: number;
  /** Set when an older rule with the same host, path and type took its place. */
  readonly shadowedBy?: Route;
}
