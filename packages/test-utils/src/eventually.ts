/** How long `eventually` waits, and how often it looks. */
export interface EventuallyOptions {
  /** Give up after this long (default 5 s: generous on purpose, tests assert what happens, not how fast). */
  readonly timeoutMs?: number;
  /** Pause between checks (default 10 ms). */
  readonly intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_INTERVAL_MS = 10;

/**
 * Polls `check` (sync or async) until it returns true. Fails after the timeout with an error
 * that names `what` was awaited, so a failing test says what never happened.
 *
 *   await eventually('the slice change', () => seen.last?.version === 2);
 *   await eventually('the router to answer', async () => (await fetch(url)).ok, { timeoutMs: 15_000, intervalMs: 50 });
 */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, options: number | EventuallyOptions = {}): Promise<void> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = DEFAULT_INTERVAL_MS } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
