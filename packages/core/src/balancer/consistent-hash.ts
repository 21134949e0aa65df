import type { CandidateFilter } from './candidate-filter.js';
import type { EndpointView } from './endpoint-view.js';
import { hash32 } from './hash.js';
import { HashRing } from './hash-ring.js';
import type { Picker } from './picker.js';

/**
 * Consistent hashing on a ring (see HashRing). The ring is built once per view, on the first
 * pick that needs it. A key whose endpoint is tried or ejected walks on clockwise to the next
 * endpoint that is not, so its keys spread over several others instead of piling onto one.
 * A pick without a key (the header, cookie or address is missing) goes to a random endpoint,
 * weighted.
 */
export class ConsistentHashPicker implements Picker {
  private view: EndpointView | undefined;
  private ring: HashRing | undefined;

  constructor(private readonly random: () => number) {}

  pick(view: EndpointView, filter: CandidateFilter, hashKey: string | undefined): number {
    if (hashKey === undefined) {
      const drawn = view.sample(this.random);
      return filter.all ? drawn : view.nextAdmitted(drawn, filter);
    }
    const ring = this.ringFor(view);
    const { hashes, owners } = ring;
    let point = ring.pointAt(hash32(hashKey));
    if (filter.all) return owners[point]!;
    for (let step = 0; step < hashes.length; step++) {
      const owner = owners[point]!;
      if (filter.admits(view.states[owner]!)) return owner;
      point = point + 1 === hashes.length ? 0 : point + 1;
    }
    return -1;
  }

  private ringFor(view: EndpointView): HashRing {
    if (this.view !== view || this.ring === undefined) {
      this.ring = new HashRing(view);
      this.view = view;
    }
    return this.ring;
  }
}
