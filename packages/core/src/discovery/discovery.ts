import type { BackendRef } from '../backend-ref.js';
import type { EndpointSet } from './endpoint-set.js';

/**
 * Turns a backend into live endpoints. The one interface a user implements to plug in a
 * service registry of their own.
 */
export interface Discovery {
  /**
   * Pushes the full current endpoint set of `backend` now (or as soon as it is known) and
   * again on every change; bursts coalesce to the latest set and an unchanged set is not
   * pushed again. Returns the function that stops the watch.
   */
  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void;
  /** Resolves once the first complete load is done. */
  ready(): Promise<void>;
  /** Stops every watch and frees what the source holds. */
  close(): Promise<void>;
}
