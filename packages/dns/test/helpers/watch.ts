import type { EndpointSet } from '@switchyard/core';

/** Every set pushed to one watcher, in order. */
export class Pushed {
  readonly sets: EndpointSet[] = [];
  /** When each set arrived (ms since the epoch). */
  readonly times: number[] = [];
  readonly onChange = (set: EndpointSet): void => {
    this.sets.push(set);
    this.times.push(Date.now());
  };

  get last(): EndpointSet | undefined {
    return this.sets.at(-1);
  }

  /** The addresses of the last set. */
  get addresses(): string[] {
    return this.last?.endpoints.map((e) => e.address) ?? [];
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
