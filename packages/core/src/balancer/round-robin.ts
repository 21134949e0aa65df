import type { CandidateFilter } from './candidate-filter.js';
import type { EndpointView } from './endpoint-view.js';
import type { Picker } from './picker.js';

/**
 * Smooth weighted round robin, nginx's algorithm (ngx_http_upstream_get_peer): every pick adds
 * each candidate's weight to its running `current`, takes the largest (the first on a tie) and
 * takes the total back off it. Weights 5,1,1 give a a b a c a a: heavy endpoints are spread out
 * rather than served in bursts. Candidates left out (tried, ejected) neither gain nor lose, as
 * nginx skips its tried and down peers.
 *
 * Equal weights reduce to a plain rotation, done with a counter in O(1); the weighted path is
 * O(n) per pick, as in nginx. Running weights live in the endpoint states, so a push of an equal
 * set continues the sequence.
 */
export class RoundRobinPicker implements Picker {
  /** The next position of the unweighted rotation; kept across pushes. */
  private next = 0;

  pick(view: EndpointView, filter: CandidateFilter): number {
    return view.uniform ? this.rotate(view, filter) : smoothWeighted(view, filter);
  }

  private rotate(view: EndpointView, filter: CandidateFilter): number {
    const n = view.endpoints.length;
    let index = this.next < n ? this.next : this.next % n;
    if (!filter.all) index = view.nextAdmitted(index, filter);
    if (index >= 0) this.next = index + 1;
    return index;
  }
}

function smoothWeighted(view: EndpointView, filter: CandidateFilter): number {
  const { states, weights } = view;
  let best = -1;
  let bestCurrent = 0;
  let total = 0;
  for (let i = 0; i < states.length; i++) {
    const state = states[i]!;
    if (!filter.all && !filter.admits(state)) continue;
    const weight = weights[i]!;
    state.current += weight;
    total += weight;
    if (best < 0 || state.current > bestCurrent) {
      best = i;
      bestCurrent = state.current;
    }
  }
  if (best >= 0) states[best]!.current -= total;
  return best;
}
