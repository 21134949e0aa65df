import type { RuleTimeouts } from '@switchyard/core';

/**
 * How long the next attempt on an upstream may wait for its response's head, in ms, under an
 * HTTPRoute rule's `timeouts`: the smaller of `backendRequestMs` (per attempt) and what is left
 * of `requestMs` (per request, counted from its arrival, `elapsedMs` ago; retries spend it too).
 *
 * Returns undefined when the rule sets neither (the proxy's own first-byte timeout applies), and
 * 0 when the request's time is already up: answer 504 without sending another attempt. A limit
 * of 0 in `timeouts` means none (the spec's "0s" disables the timeout), should the compiler pass
 * it on rather than leave it undefined. The time left is rounded up to a whole millisecond, so
 * a fraction of a millisecond left is still a chance, not a 504.
 */
export function attemptTimeoutMs(timeouts: RuleTimeouts, elapsedMs: number): number | undefined {
  const left = requestTimeLeftMs(timeouts, elapsedMs);
  const backend = timeouts.backendRequestMs;
  if (backend === undefined || backend === 0) return left;
  return left === undefined || backend < left ? backend : left;
}

/**
 * What is left of the rule's `requestMs` after `elapsedMs`, in whole ms (rounded up, never below
 * 0); undefined when the rule sets none. For a timer over the parts of a request outside an
 * attempt (reading the client's body before the first one).
 */
export function requestTimeLeftMs(timeouts: RuleTimeouts, elapsedMs: number): number | undefined {
  const request = timeouts.requestMs;
  if (request === undefined || request === 0) return undefined;
  const left = Math.ceil(request - elapsedMs);
  return left > 0 ? left : 0;
}
