/**
 * Work that can stop between units: a generator that yields after each unit (one Ingress
 * validated, one host's matcher built, one route attached) and returns its result at the end.
 * `compile` runs one to the end at once (`runSteps`); `compileInSlices` runs it a few
 * milliseconds at a time, giving the event loop back in between. One implementation, two
 * schedules: both give the same result because they run the same steps in the same order.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to the end, synchronously, and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
