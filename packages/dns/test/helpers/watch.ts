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

/**
 * Waits until `condition` holds, polling every 10 ms; fails after `timeoutMs` (generous on
 * purpose: tests assert what happens, never how fast).
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
