import type { Diagnostic } from '../diagnostics.js';

/**
 * What a Gateway API validator returns for one object. `object` is a new object with the CRD
 * defaults applied, or undefined when the API server would have refused the input (then
 * `diagnostics` says why: one `error` per problem). `original` is the input as given, for
 * `manifestSourceOf(original, field)` in later diagnostics about the object.
 */
export interface Validated<T> {
  readonly object: T | undefined;
  readonly original: unknown;
  readonly diagnostics: Diagnostic[];
}

/** A valid object with its defaults applied, beside the input it came from. */
export interface ValidObject<T> {
  readonly object: T;
  readonly original: unknown;
}
