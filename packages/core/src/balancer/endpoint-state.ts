/**
 * What a balancer remembers about one `address:port`. Discovery re-creates endpoint objects
 * on every push, so this lives apart from them, found through the key, and outlives pushes.
 */
export class EndpointState {
  /** Requests started and not yet finished (least-request). */
  inFlight = 0;
  /** Smooth weighted round robin's running weight (nginx's `current_weight`). */
  current = 0;
  /** Failures in a row since the last success. */
  failures = 0;
  /** Times ejected, the multiplier of the next ejection time (decays while healthy). */
  ejections = 0;
  /** Ejected by outlier detection right now. */
  ejected = false;
  /** When the current (or last) ejection ends, in ms of the balancer's clock. */
  ejectedUntil = 0;
  /** When the last ejection ended; undefined if never ejected. */
  returnedAt: number | undefined = undefined;
  /** The generation of the last eligible array holding this endpoint (see EndpointView). */
  generation = 0;
  /** Set once the balancer has forgotten this state; objects still pointing here must look again. */
  retired = false;

  constructor(readonly key: string) {}
}
