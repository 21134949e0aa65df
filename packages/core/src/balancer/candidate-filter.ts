import type { EndpointState } from './endpoint-state.js';

/**
 * Which endpoints one pick may return. A single instance per balancer, reset on every pick, so a
 * pick allocates nothing. When `all` is set (nothing ejected, nothing excluded: the common case)
 * pickers skip the filter entirely and never read ejection state.
 */
export class CandidateFilter {
  all = true;
  /** Leave ejected endpoints out (false only when that would leave nothing). */
  skipEjected = false;
  /** The states of the endpoints this request already tried, without duplicates. */
  readonly excluded: EndpointState[] = [];

  admits(state: EndpointState): boolean {
    if (this.skipEjected && state.ejected) return false;
    const excluded = this.excluded;
    for (let i = 0; i < excluded.length; i++) if (excluded[i] === state) return false;
    return true;
  }
}
