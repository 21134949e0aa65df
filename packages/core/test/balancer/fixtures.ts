import { toEndpoint, type Endpoint } from '@switchyard/core';

/** A frozen eligible array, as the router hands it over: `10.0.0.<i>:8080` for i = 1..n. */
export function endpoints(n: number, weights: readonly (number | undefined)[] = []): readonly Endpoint[] {
  return Object.freeze(Array.from({ length: n }, (_, i) => endpoint(`10.0.0.${i + 1}`, 8080, weights[i])));
}

export function endpoint(address: string, port = 8080, weight?: number): Endpoint {
  return Object.freeze(toEndpoint(weight === undefined ? { address, port } : { address, port, weight }));
}

/** The same endpoints as new objects in a new array: what a discovery push of an equal set gives. */
export function pushed(eligible: readonly Endpoint[]): readonly Endpoint[] {
  return Object.freeze(eligible.map((e) => Object.freeze({ ...e })));
}

/** `address:port`, as balancers key endpoints. */
export function keyOf(e: Endpoint | undefined): string | undefined {
  return e === undefined ? undefined : `${e.address}:${e.port}`;
}

/** A seeded PRNG (mulberry32), so random draws repeat from run to run. */
export function seededRandom(seed = 1): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public time = 1_000_000) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** How many times each `address:port` was picked. */
export function tally(picks: Iterable<Endpoint | undefined>): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const e of picks) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
  return counts;
}

export function times<T>(n: number, fn: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => fn(i));
}
