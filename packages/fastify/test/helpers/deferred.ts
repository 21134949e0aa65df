/** A promise with its resolve function at hand: a signal one side of a test gives the other. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let settled = false;
  const promise = new Promise<T>((done) => (resolve = done));
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve: (value) => {
      settled = true;
      resolve(value);
    },
  };
}

/**
 * `promise`, or a rejection naming `what` after `ms`. A guard, not a timing assertion: it turns
 * a test that would hang (say, a proxy that buffers a body the other side waits on) into a
 * failure that says what never happened. Keep `ms` generous.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
