import { executionAsyncResource } from 'node:async_hooks';

/**
 * One of Node's `process.nextTick` queue entries, kept alive for the life of the process.
 *
 * Why: every nextTick builds its entry as an object literal with two computed symbol keys.
 * V8 holds the hidden classes that literal transitions through only weakly, so a major GC
 * that runs while no entry is alive (compiling a large route table at startup does several)
 * frees them, and the next entry gets new ones. After a few such GCs the literal's feedback
 * is megamorphic for good, and every nextTick (about eight per proxied request, inside Node's
 * streams and http) defines its properties through the runtime. Measured on the 10,000-path
 * proxy benchmark: 9 µs of CPU per request in that runtime path, against 2 µs for a process
 * that kept the entry alive (perf, bench/README.md). One live entry keeps the classes alive.
 */
let retained: object | undefined;

/** Retains a nextTick entry once; later calls do nothing. Called when this package loads. */
export function retainTickObjectShape(): void {
  if (retained !== undefined) return;
  process.nextTick(keepCurrentResource);
}

function keepCurrentResource(): void {
  // Inside a nextTick callback the current async resource is the queue entry itself.
  retained = executionAsyncResource();
}

/** The retained entry (undefined until the first tick has run), for tests. */
export function retainedTickObject(): object | undefined {
  return retained;
}
