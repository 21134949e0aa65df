import type { EndpointState } from './endpoint-state.js';
import type { EndpointView } from './endpoint-view.js';
import type { OutlierDetectionSettings } from './outlier-detection.js';

/**
 * Passive outlier detection for one backend, as Envoy's consecutive-5xx detector: an endpoint
 * failing `consecutiveFailures` times in a row is ejected for `baseEjectionMs` times the number of
 * times it has been ejected, capped at `maxEjectionMs`. The multiplier decays by one for every
 * `baseEjectionMs` the endpoint then stays in rotation (Envoy decrements it each healthy
 * interval), so a rare failure long after is not punished as a repeat offence.
 *
 * Expiry is lazy: nothing runs on a timer; `expire(now)` is called by picks while anything is
 * ejected, and costs one comparison until the earliest ejection is due.
 */
export class OutlierDetector {
  private readonly ejectedStates = new Set<EndpointState>();
  private nextExpiry = Infinity;
  private generation = 0;
  /** The most ejections a multiplier may count (more would only hit the cap). */
  private readonly maxMultiplier: number;
  /** Ejected endpoints of the current view. */
  ejectedInView = 0;

  constructor(
    readonly settings: OutlierDetectionSettings,
    /** Told of each endpoint coming back, so the balancer can forget one that left the set. */
    private readonly onReturn: (state: EndpointState) => void,
  ) {
    this.maxMultiplier = Math.ceil(settings.maxEjectionMs / settings.baseEjectionMs);
  }

  /** Endpoints ejected now (including ones that left the set meanwhile). */
  get size(): number {
    return this.ejectedStates.size;
  }

  /** A new view is current: count its ejected endpoints. */
  recount(view: EndpointView): void {
    this.generation = view.generation;
    let count = 0;
    for (const state of this.ejectedStates) if (state.generation === view.generation) count++;
    this.ejectedInView = count;
  }

  /** Brings back every endpoint whose ejection has ended by `now`. */
  expire(now: number): void {
    if (now < this.nextExpiry) return;
    let next = Infinity;
    for (const state of this.ejectedStates) {
      if (state.ejectedUntil <= now) {
        this.ejectedStates.delete(state);
        state.ejected = false;
        state.returnedAt = state.ejectedUntil;
        state.failures = 0;
        if (state.generation === this.generation) this.ejectedInView--;
        this.onReturn(state);
      } else if (state.ejectedUntil < next) {
        next = state.ejectedUntil;
      }
    }
    this.nextExpiry = next;
  }

  success(state: EndpointState): void {
    state.failures = 0;
  }

  /** Counts a failure; ejects the endpoint if it reached the threshold and room is left. True when it ejected. */
  failure(state: EndpointState, view: EndpointView | undefined, now: () => number): boolean {
    let time: number | undefined;
    if (state.ejected) {
      this.expire((time = now()));
      // Failures of requests sent before the ejection add nothing to it.
      if (state.ejected) return false;
    }
    state.failures++;
    if (state.failures < this.settings.consecutiveFailures) return false;
    // Only endpoints of the current set are ejected: one that left it gets no traffic anyway.
    if (view === undefined || state.generation !== view.generation) return false;
    time ??= now();
    // Ejections that have run out make room, even before a pick notices them.
    if (this.ejectedStates.size !== 0) this.expire(time);
    // At the limit the count stays at the threshold, so the next failure tries again.
    if (this.ejectedInView >= this.allowed(view.distinct)) return false;
    this.eject(state, time);
    return true;
  }

  /**
   * How many of `distinct` endpoints may be ejected at once: maxEjectedPercent of them rounded
   * down, but at least one when the percent is above 0 (so small sets still shed a bad
   * endpoint), and never the last one left in rotation whatever the percent.
   */
  allowed(distinct: number): number {
    const percent = this.settings.maxEjectedPercent;
    const byPercent = percent > 0 ? Math.max(1, Math.floor((percent * distinct) / 100)) : 0;
    return Math.min(byPercent, distinct - 1);
  }

  /** `address:port` and return time of every ejected endpoint, by address. */
  list(now: number): Array<{ readonly endpoint: string; readonly until: number }> {
    if (this.ejectedStates.size !== 0) this.expire(now);
    return [...this.ejectedStates]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((state) => ({ endpoint: state.key, until: state.ejectedUntil }));
  }

  private eject(state: EndpointState, now: number): void {
    const { baseEjectionMs, maxEjectionMs } = this.settings;
    let multiplier = state.ejections;
    if (state.returnedAt !== undefined) multiplier = Math.max(0, multiplier - Math.floor((now - state.returnedAt) / baseEjectionMs));
    multiplier = Math.min(multiplier + 1, this.maxMultiplier);
    state.ejections = multiplier;
    state.ejected = true;
    state.ejectedUntil = now + Math.min(baseEjectionMs * multiplier, maxEjectionMs);
    state.failures = 0;
    this.ejectedStates.add(state);
    this.ejectedInView++;
    if (state.ejectedUntil < this.nextExpiry) this.nextExpiry = state.ejectedUntil;
  }
}
