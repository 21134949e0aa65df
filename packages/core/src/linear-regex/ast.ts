import type { CharSet } from './char-set.js';

/** Zero-width assertions: `^`/`\A`, `$`/`\z`, `\b`, `\B`. */
export type Assertion = 'begin-text' | 'end-text' | 'word-boundary' | 'not-word-boundary';

/**
 * The parsed pattern. Groups leave no node of their own (captures are only grouping here:
 * nothing reads submatches), and `(?i)` is applied while parsing (a folded letter is a
 * `set`), so the compiler sees only these shapes.
 */
export type RegexNode =
  | { readonly kind: 'empty' }
  /** One code unit, compared exactly. */
  | { readonly kind: 'literal'; readonly code: number }
  | { readonly kind: 'set'; readonly set: CharSet }
  | { readonly kind: 'assert'; readonly assertion: Assertion }
  | { readonly kind: 'concat'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'alternate'; readonly options: readonly RegexNode[] }
  /** `max` is `Infinity` for `*`, `+` and `{n,}`; `position` is where the operator starts, for errors. */
  | { readonly kind: 'repeat'; readonly item: RegexNode; readonly min: number; readonly max: number; readonly position: number };

export const EMPTY: RegexNode = { kind: 'empty' };
