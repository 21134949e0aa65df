import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The V8 flags `switchyard` sets for its own process before it serves (each worker sets them
 * too, as it runs the same entry).
 *
 * `--no-allocation-site-pretenuring`: V8 allocates the objects of an allocation site straight
 * into the old generation once most of them outlive a young-generation GC, and keeps doing so.
 * undici's HTTP/1.1 parser holds each upstream connection's response-header array until that
 * connection's next response, so a gateway whose upstream connections sit idle at times (many
 * backends, a round of health checks) gets that array's site pretenured; from then on every
 * response's header buffers are written into an old-space array and outlive the young GC that
 * should have freed them. Measured on the 1,000-rule Gateway API table (`pnpm bench:proxy`):
 * about 1 MB promoted per young GC instead of 0.1 MB, and young-GC time per request 4.6 µs
 * instead of 1.6 µs. Nothing of a request otherwise outlives it, so the proxy loses nothing
 * by allocating every object young.
 */
export const SWITCHYARD_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** Sets `SWITCHYARD_V8_FLAGS` on this process: call before the first request is served. */
export function setSwitchyardV8Flags(): void {
  for (const flag of SWITCHYARD_V8_FLAGS) setFlagsFromString(flag);
}

/** V8's `gc` function, which `--expose-gc` installs in every context made after it is set. */
type GcFunction = (options: { readonly type: 'minor' }) => void;
let gc: GcFunction | undefined;

/** New space in use past which `collectYoungGeneration` collects it. */
export const YOUNG_GENERATION_COLLECT_BYTES = 4 * 1024 * 1024;

/**
 * Collects the young generation now (a scavenge) when it holds more than 4 MiB: what `serve`
 * does between two slices of a compile (core's `compileInSlices`, `betweenSlices`). A compile's
 * objects outlive it, so a scavenge that falls inside a compile copies every one of them: a new
 * space full of them (16 MiB a semi-space) is a pause of about 5 ms on these machines, longer
 * than the slices. Collected between slices, it holds a few of them. The threshold, against
 * collecting after every slice (each scavenge has a fixed cost) and never: `bench:compile`'s
 * tables of 10,000 routes compiled from scratch in a fresh process, `--no-allocation-site-pretenuring`
 * as `serve` runs, 20 rounds each, the longest event-loop block (median): Ingresses 6.8 ms never,
 * 3.3 every slice, 2.5 past 4 MiB (2.1 past 2 MiB, 4.3 past 8 MiB); HTTPRoutes 7.6, 4.8, 3.4.
 * The compile's wall time grew 16 % and 6 % past 4 MiB, 38 % and 15 % every slice. In
 * `bench:compile` itself, whose old generation hundreds of compiles have grown, the gain is
 * smaller: 6.3 to 4.9 ms and 8.1 to 4.8 ms.
 * `--expose-gc` set at run time reaches only contexts made afterwards: the one made here, not
 * the global object users' code sees.
 */
export function collectYoungGeneration(): void {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  // A V8 without a space of that name would make this a no-op: test/v8-flags.test.ts fails then.
  if (newSpace === undefined || newSpace.space_used_size <= YOUNG_GENERATION_COLLECT_BYTES) return;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as GcFunction;
  }
  gc({ type: 'minor' });
}
