import { compileSteps, type CompileOptions, type CompileResult } from './compile.js';
import { SwitchyardError } from './errors.js';

/** How `compileInSlices` shares the event loop. */
export interface SliceOptions {
  /**
   * Work for about this long, then give the event loop a turn (requests, timers, I/O) before
   * going on. A slice ends after the unit of work that crosses it, so it lasts `sliceMs` plus at
   * most one unit (an Ingress, 100 of its paths, one host's path matcher, one route). Default 2.
   */
  readonly sliceMs?: number;
  /**
   * Abandons the compile at the next slice boundary: the promise rejects with the signal's
   * reason, no version is taken and nothing is kept. For a compile a newer change made moot.
   */
  readonly signal?: AbortSignal;
  /**
   * Called once between two slices, in an event-loop turn of its own (the turn after the one
   * the slice gave back), never after the last. For work better done in small pieces between
   * slices than in one long pause within one: `switchyard serve` collects the young generation
   * here once it holds 4 MiB, so that a collection copies the objects of a few slices (a
   * compile's objects outlive it) rather than a young generation full of them. Default none.
   */
  readonly betweenSlices?: () => void;
}

const DEFAULT_SLICE_MS = 2;

/**
 * `compile`, a slice at a time: gives the event loop back every `sliceMs` of work, so a compile
 * from scratch of a large configuration (startup, an IngressClass change, a relist) does not
 * hold up the requests being served for its whole length. The result is exactly what
 * `compile(options)` gives (the same steps in the same order: one implementation), and serves as
 * `previous` for either. The version is taken when the compile finishes. The input must not be
 * changed until the promise settles; a compile with `previous` that reuses most of the work
 * usually finishes within its first slice.
 *
 * @throws SwitchyardError `SWY_COMPILE_INVALID_OPTIONS` (as a rejection) when the options are
 *   not of the documented shape, `sliceMs` is not a non-negative number, or `betweenSlices` not a function.
 */
export async function compileInSlices(options: CompileOptions, slicing: SliceOptions = {}): Promise<CompileResult> {
  const sliceMs = slicing.sliceMs ?? DEFAULT_SLICE_MS;
  if (typeof sliceMs !== 'number' || !(sliceMs >= 0)) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compileInSlices(options, slicing): slicing.sliceMs must be a number of milliseconds, 0 or more', { field: 'sliceMs' });
  }
  const betweenSlices = slicing.betweenSlices;
  if (betweenSlices !== undefined && typeof betweenSlices !== 'function') {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compileInSlices(options, slicing): slicing.betweenSlices must be a function', { field: 'betweenSlices' });
  }
  const signal = slicing.signal;
  signal?.throwIfAborted();
  const steps = compileSteps(options);
  for (;;) {
    const started = performance.now();
    let next = steps.next();
    while (!next.done && performance.now() - started < sliceMs) next = steps.next();
    if (next.done) return next.value;
    await nextTurn();
    signal?.throwIfAborted();
    if (betweenSlices === undefined) continue;
    betweenSlices();
    await nextTurn();
    signal?.throwIfAborted();
  }
}

/** After the I/O and timers already due: setImmediate where there is one (Node), a zero timeout elsewhere. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
