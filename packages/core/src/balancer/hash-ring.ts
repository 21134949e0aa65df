import { FNV_OFFSET, fmix32, fnv1a, fnv1aCode } from './hash.js';
import type { EndpointView } from './endpoint-view.js';

/** Ring points per unit of weight (ketama's 160): about ±8% spread of each endpoint's share. */
const RING_POINTS_PER_WEIGHT = 160;
/**
 * Ring size bound (512 KiB of typed arrays). Past it every endpoint's points scale down (at
 * least one each), which, unlike the unscaled ring, also moves some keys of endpoints that stay.
 */
const MAX_RING_POINTS = 65_536;

/**
 * A consistent-hash ring (Karger et al.; ketama) over one view: each endpoint owns points, as
 * many as its weight times RING_POINTS_PER_WEIGHT, point i at the hash of `address:port#`
 * followed by i, and a key goes to the owner of the first point at or after the key's hash.
 *
 * Why a ring and not Maglev: an endpoint's points depend only on its own key and weight, so
 * removing one endpoint moves exactly the keys it owned (Maglev's table also reshuffles a few
 * others), and adding one takes about 1/N of the keys and nothing else. Points do not depend on
 * the array's order either, and ties between equal hashes go to the smaller key, so every
 * replica builds the same ring from the same set.
 */
export class HashRing {
  /** Point hashes, ascending. */
  readonly hashes: Uint32Array;
  /** `owners[j]` is the view position owning point j. */
  readonly owners: Uint32Array;

  constructor(view: EndpointView) {
    // One owner per distinct key (the first position holding it), in key order for tie-breaks.
    const firstAt = new Map<string, number>();
    view.states.forEach((state, i) => {
      if (!firstAt.has(state.key)) firstAt.set(state.key, i);
    });
    const keys = [...firstAt.keys()].sort();
    const positions = keys.map((key) => firstAt.get(key)!);
    const wanted = positions.reduce((sum, position) => sum + pointsFor(view.weights[position]!, 1), 0);
    const scale = wanted > MAX_RING_POINTS ? MAX_RING_POINTS / wanted : 1;
    const counts = positions.map((position) => pointsFor(view.weights[position]!, scale));
    const size = counts.reduce((sum, count) => sum + count, 0);

    // Filled in key order; the stable sort below keeps that order among equal hashes.
    const hashes = new Uint32Array(size);
    const owners = new Uint32Array(size);
    let j = 0;
    keys.forEach((key, rank) => {
      const prefix = fnv1a(FNV_OFFSET, `${key}#`);
      for (let point = 0; point < counts[rank]!; point++) {
        hashes[j] = fmix32(fnv1aCode(fnv1aCode(prefix, point & 0xffff), point >>> 16));
        owners[j++] = positions[rank]!;
      }
    });
    [this.hashes, this.owners] = radixSort(hashes, owners);
  }

  /** The index of the first point at or after `hash`, wrapping to 0. O(log points). */
  pointAt(hash: number): number {
    const hashes = this.hashes;
    let low = 0;
    let high = hashes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (hashes[mid]! < hash) low = mid + 1;
      else high = mid;
    }
    return low === hashes.length ? 0 : low;
  }
}

function pointsFor(weight: number, scale: number): number {
  return Math.max(1, Math.round(weight * RING_POINTS_PER_WEIGHT * scale));
}

/**
 * Sorts `keys` ascending, carrying `values` along: a stable LSD radix sort, a byte per pass.
 * Linear, and several times faster than a comparison sort of packed pairs at ring sizes.
 */
function radixSort(keys: Uint32Array, values: Uint32Array): [Uint32Array, Uint32Array] {
  let fromKeys: Uint32Array = keys;
  let fromValues: Uint32Array = values;
  let toKeys: Uint32Array = new Uint32Array(keys.length);
  let toValues: Uint32Array = new Uint32Array(values.length);
  const counts = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < fromKeys.length; i++) counts[(fromKeys[i]! >>> shift) & 0xff]!++;
    let offset = 0;
    for (let b = 0; b < 256; b++) {
      const count = counts[b]!;
      counts[b] = offset;
      offset += count;
    }
    for (let i = 0; i < fromKeys.length; i++) {
      const key = fromKeys[i]!;
      const at = counts[(key >>> shift) & 0xff]!++;
      toKeys[at] = key;
      toValues[at] = fromValues[i]!;
    }
    [fromKeys, toKeys] = [toKeys, fromKeys];
    [fromValues, toValues] = [toValues, fromValues];
  }
  return [fromKeys, fromValues];
}
