import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { compileInSlices, type CompileOptions, type SliceOptions } from '@switchyard/core';

/** One compile in slices, as the event loop saw it. */
export interface SlicedRound {
  /** Wall time from the call to the result, turns given to the event loop included. */
  readonly totalMs: number;
  /** The largest gap between two turns of a setImmediate ticker running beside the compile. */
  readonly longestMs: number;
  /** The same, less the garbage collection pauses that fell in it. */
  readonly longestWithoutGcMs: number;
  readonly longestGcMs: number;
  readonly turns: number;
}

/**
 * Compiles `options` with `compileInSlices` (default slice; `slicing` as given) while a setImmediate ticker records
 * every event-loop turn; garbage collection pauses (perf_hooks `gc` entries) are matched to the
 * gaps they fell in, as a pause lands in whichever slice allocated last.
 */
export async function slicedRound(options: CompileOptions, slicing: SliceOptions = {}): Promise<SlicedRound> {
  const collections: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const ticks: number[] = [];
  let running = true;
  const tick = () => {
    ticks.push(performance.now());
    if (running) setImmediate(tick);
  };
  const started = performance.now();
  ticks.push(started);
  setImmediate(tick);
  await compileInSlices(options, slicing);
  const totalMs = performance.now() - started;
  running = false;
  ticks.push(performance.now());
  await new Promise((resolve) => setTimeout(resolve, 5));
  collections.push(...observer.takeRecords());
  observer.disconnect();
  let longestMs = 0;
  let longestWithoutGcMs = 0;
  for (let i = 1; i < ticks.length; i++) {
    const from = ticks[i - 1]!;
    const to = ticks[i]!;
    const gc = collections.filter((entry) => entry.startTime >= from && entry.startTime < to).reduce((sum, entry) => sum + entry.duration, 0);
    longestMs = Math.max(longestMs, to - from);
    longestWithoutGcMs = Math.max(longestWithoutGcMs, to - from - gc);
  }
  const during = collections.filter((entry) => entry.startTime >= started && entry.startTime < started + totalMs);
  return { totalMs, longestMs, longestWithoutGcMs, longestGcMs: Math.max(0, ...during.map((entry) => entry.duration)), turns: ticks.length - 1 };
}
