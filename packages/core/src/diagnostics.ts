import type { ErrorCode } from './errors.js';
import type { ManifestSource } from './manifests/manifest-source.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in a user's object. Problems are reported, not thrown: an invalid
 * Ingress is left out and every other one still compiles.
 */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly severity: Severity;
  /** `namespace/name` of the object, or the manifest's name for a document that is no object. */
  readonly object: string;
  /** The field path, as the API server writes it: `spec.rules[0].http.paths[1].path`. */
  readonly field?: string;
  readonly message: string;
  /** The other object of a conflict. */
  readonly related?: { readonly object: string; readonly field?: string };
  readonly source?: ManifestSource;
}
