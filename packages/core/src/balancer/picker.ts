import type { CandidateFilter } from './candidate-filter.js';
import type { EndpointView } from './endpoint-view.js';

/**
 * One balancing policy's choice, made over a prepared view. Called only when the filter admits
 * at least one position; returns a position of `view.endpoints`, or -1 if none is admitted.
 * When `filter.all` is set every position is admitted and the filter need not be read.
 */
export interface Picker {
  pick(view: EndpointView, filter: CandidateFilter, hashKey: string | undefined): number;
}
