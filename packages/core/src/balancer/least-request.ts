import type { CandidateFilter } from './candidate-filter.js';
import type { EndpointView } from './endpoint-view.js';
import type { Picker } from './picker.js';

/** Random candidates a least-request pick compares when the policy does not say. */
export const DEFAULT_LEAST_REQUEST_CHOICES = 2;

/**
 * Least request by the power of N random choices (Mitzenmacher; Envoy's LEAST_REQUEST): draw
 * `choices` endpoints at random, with replacement as Envoy does, and take the one with the
 * fewest requests in flight per unit of weight (the first drawn on a tie). Draws are weighted,
 * so with nothing in flight traffic splits by weight, and under load the in-flight/weight
 * comparison keeps heavier endpoints proportionally busier. Two choices already avoid the
 * herd behaviour of a global least-loaded pick; more choices cost a draw each.
 *
 * A set no larger than `choices` is compared whole, starting from one random draw, so a busy
 * endpoint is never picked while an idler one exists.
 */
export class LeastRequestPicker implements Picker {
  constructor(
    private readonly choices: number,
    private readonly random: () => number,
  ) {}

  pick(view: EndpointView, filter: CandidateFilter): number {
    const n = view.endpoints.length;
    const { states, weights } = view;
    let best = -1;
    let bestLoad = Infinity;
    if (n <= this.choices) {
      const start = view.sample(this.random);
      for (let step = 0, i = start; step < n; step++, i = i + 1 === n ? 0 : i + 1) {
        const state = states[i]!;
        if (!filter.all && !filter.admits(state)) continue;
        const load = state.inFlight / weights[i]!;
        if (load < bestLoad) {
          best = i;
          bestLoad = load;
        }
      }
      return best;
    }
    for (let choice = 0; choice < this.choices; choice++) {
      let i = view.sample(this.random);
      // A drawn endpoint the filter refuses stands for the next admitted one.
      if (!filter.all) i = view.nextAdmitted(i, filter);
      if (i < 0) return -1;
      const load = states[i]!.inFlight / weights[i]!;
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    return best;
  }
}
