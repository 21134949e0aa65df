import type { Endpoint } from '../discovery/endpoint-set.js';
import type { CandidateFilter } from './candidate-filter.js';
import type { EndpointState } from './endpoint-state.js';

/**
 * The weight an endpoint is balanced with: `Endpoint.weight`, 1 when absent. Discovery is
 * expected to hand over positive finite weights; anything else (0, negative, NaN) counts as 1
 * rather than starving or flooding the endpoint, since a balancer has no way to report it.
 */
export function weightOf(endpoint: Endpoint): number {
  const weight = endpoint.weight;
  return weight !== undefined && Number.isFinite(weight) && weight > 0 ? weight : 1;
}

/**
 * What a balancer derives from one `eligible` array, built once when the array is first seen
 * (the router hands the same frozen array until discovery pushes a new set) and then read by
 * every pick: each position's state and weight, and cumulative weights for weighted sampling.
 */
export class EndpointView {
  /** `states[i]` is the state of `endpoints[i]`. */
  readonly states: readonly EndpointState[];
  readonly weights: Float64Array;
  /** `cumulative[i]` = weights[0] + ... + weights[i]. */
  readonly cumulative: Float64Array;
  readonly totalWeight: number;
  /** Every weight equal: pickers take their cheaper unweighted paths. */
  readonly uniform: boolean;
  /** Distinct states (an array holding one `address:port` twice counts it once). */
  readonly distinct: number;

  constructor(
    readonly endpoints: readonly Endpoint[],
    states: readonly EndpointState[],
    distinct: number,
    /** Marks the states of this view (EndpointState.generation), so membership is O(1). */
    readonly generation: number,
  ) {
    const n = endpoints.length;
    this.states = states;
    this.distinct = distinct;
    this.weights = new Float64Array(n);
    this.cumulative = new Float64Array(n);
    let total = 0;
    let uniform = true;
    for (let i = 0; i < n; i++) {
      const weight = weightOf(endpoints[i]!);
      this.weights[i] = weight;
      total += weight;
      this.cumulative[i] = total;
      if (weight !== this.weights[0]) uniform = false;
    }
    this.totalWeight = total;
    this.uniform = uniform;
  }

  /** A random position, each with probability weight / total. O(log n), allocates nothing. */
  sample(random: () => number): number {
    const n = this.endpoints.length;
    if (this.uniform) return Math.min(n - 1, Math.floor(random() * n));
    const target = random() * this.totalWeight;
    const cumulative = this.cumulative;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** The first position at or after `from` (wrapping) the filter admits, or -1. */
  nextAdmitted(from: number, filter: CandidateFilter): number {
    const n = this.endpoints.length;
    for (let step = 0, i = from; step < n; step++, i = i + 1 === n ? 0 : i + 1) {
      if (filter.admits(this.states[i]!)) return i;
    }
    return -1;
  }
}
