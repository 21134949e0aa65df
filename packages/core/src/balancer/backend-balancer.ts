import type { Endpoint } from '../discovery/endpoint-set.js';
import { SwitchyardError } from '../errors.js';
import { parseBalancerPolicy, type BalancerPolicy } from './balancer-policy.js';
import { CandidateFilter } from './candidate-filter.js';
import { ConsistentHashPicker } from './consistent-hash.js';
import { endpointKey } from '../discovery/endpoint-key.js';
import { EndpointState } from './endpoint-state.js';
import { EndpointView } from './endpoint-view.js';
import { DEFAULT_LEAST_REQUEST_CHOICES, LeastRequestPicker } from './least-request.js';
import { resolveOutlierDetection, type OutlierDetectionOptions } from './outlier-detection.js';
import { OutlierDetector } from './outlier-detector.js';
import type { Picker } from './picker.js';
import { RoundRobinPicker } from './round-robin.js';

/** How a proxied request ended: `failure` is a connection failure, reset or timeout, or a 5xx answer. */
export type Outcome = 'success' | 'failure';

/** One backend's balancing state. Created once per backend by the adapter; lives across endpoint-set pushes. */
export interface BackendBalancer {
  /** The policy, validated and normalized (see parseBalancerPolicy). */
  readonly policy: BalancerPolicy;
  /**
   * One endpoint of `eligible`, or undefined when it is empty or every endpoint is in `exclude`.
   * `hashKey` is what hashKeyOf read for a consistent-hash policy; without one the pick is a
   * random endpoint (weighted), and other policies ignore it. `exclude` lists endpoints this
   * request already tried (retries), from this or an earlier array: they are never returned.
   * Ejected endpoints are skipped unless that would leave nothing.
   *
   * Pass the router's `eligible` array itself: what the balancer derives from it (weights, the
   * hash ring) is built when a new array is first seen and reused while it stays the same.
   */
  pick(eligible: readonly Endpoint[], hashKey?: string, exclude?: readonly Endpoint[]): Endpoint | undefined;
  /**
   * A request to `endpoint` started (least-request counts in-flight). `started` and `finished`
   * take endpoints of arrays given to `pick`; others are ignored (no state is made for them).
   */
  started(endpoint: Endpoint): void;
  /** It ended; `failure` counts toward ejection, `success` resets the count. True when this report ejected the endpoint (for metrics). */
  finished(endpoint: Endpoint, outcome: Outcome): boolean;
  /** Endpoints ejected right now, as `address:port` with the time they return (for /metrics and tests). */
  ejected(): ReadonlyArray<{ readonly endpoint: string; readonly until: number }>;
}

export interface BackendBalancerOptions {
  /** Passive outlier detection settings; `false` turns it off. On by default. */
  readonly outlierDetection?: OutlierDetectionOptions | false;
  /** The clock ejections are timed by (ms). Default `Date.now`. */
  readonly now?: () => number;
  /** Random numbers in [0, 1) for least-request draws and keyless hash picks. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Makes the balancer of one backend. Throws `SWY_BALANCER_INVALID_POLICY` for a bad policy and
 * `SWY_BALANCER_INVALID_OPTIONS` for bad options, with `field` naming it.
 */
export function createBackendBalancer(policy: BalancerPolicy, options: BackendBalancerOptions = {}): BackendBalancer {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  if (typeof now !== 'function') throw invalidOption('now', 'must be a function returning milliseconds');
  if (typeof random !== 'function') throw invalidOption('random', 'must be a function returning a number in [0, 1)');
  const parsed = parseBalancerPolicy(policy, 'policy');
  return new Balancer(parsed, pickerFor(parsed, random), now, options.outlierDetection);
}

function pickerFor(policy: BalancerPolicy, random: () => number): Picker {
  switch (policy.kind) {
    case 'round-robin':
      return new RoundRobinPicker();
    case 'least-request':
      return new LeastRequestPicker(policy.choices ?? DEFAULT_LEAST_REQUEST_CHOICES, random);
    case 'consistent-hash':
      return new ConsistentHashPicker(random);
  }
}

function invalidOption(field: string, problem: string): SwitchyardError {
  return new SwitchyardError('SWY_BALANCER_INVALID_OPTIONS', `createBackendBalancer: ${field} ${problem}`, { field });
}

/**
 * Per-endpoint state lives in `states`, keyed by `address:port`, so it outlives the endpoint
 * objects discovery re-creates on every push; a WeakMap from endpoint objects to their state
 * saves building that key per request. Memory stays bounded: when a new array arrives, state of
 * endpoints no longer in it is dropped unless they are ejected or have requests in flight, and
 * those are dropped when they come back or their last request ends.
 */
class Balancer implements BackendBalancer {
  private readonly states = new Map<string, EndpointState>();
  private readonly stateByEndpoint = new WeakMap<Endpoint, EndpointState>();
  private readonly detector: OutlierDetector | undefined;
  private readonly filter = new CandidateFilter();
  private view: EndpointView | undefined;
  private generation = 0;

  constructor(
    readonly policy: BalancerPolicy,
    private readonly picker: Picker,
    private readonly now: () => number,
    outlierDetection: OutlierDetectionOptions | false | undefined,
  ) {
    const settings = resolveOutlierDetection(outlierDetection);
    this.detector = settings === undefined ? undefined : new OutlierDetector(settings, (state) => this.forgetIfIdle(state));
  }

  pick(eligible: readonly Endpoint[], hashKey?: string, exclude?: readonly Endpoint[]): Endpoint | undefined {
    if (eligible.length === 0) return undefined;
    const view = this.view !== undefined && this.view.endpoints === eligible ? this.view : this.rebuild(eligible);
    let ejected = 0;
    const detector = this.detector;
    if (detector !== undefined && detector.size !== 0) {
      detector.expire(this.now());
      ejected = detector.ejectedInView;
    }
    const filter = this.filter;
    let excludedInRotation = 0;
    if (exclude !== undefined && exclude.length !== 0) {
      for (let i = 0; i < exclude.length; i++) {
        const state = this.stateOf(exclude[i]!);
        if (state === undefined || state.generation !== view.generation || filter.excluded.includes(state)) continue;
        filter.excluded.push(state);
        if (!state.ejected) excludedInRotation++;
      }
    }
    let index = -1;
    if (filter.excluded.length < view.distinct) {
      filter.all = filter.excluded.length === 0 && ejected === 0;
      // Ejected endpoints are left out only while something else remains.
      filter.skipEjected = ejected !== 0 && view.distinct - ejected - excludedInRotation > 0;
      index = this.picker.pick(view, filter, hashKey);
    }
    filter.excluded.length = 0;
    return index < 0 ? undefined : eligible[index];
  }

  started(endpoint: Endpoint): void {
    const state = this.stateOf(endpoint);
    if (state !== undefined) state.inFlight++;
  }

  finished(endpoint: Endpoint, outcome: Outcome): boolean {
    const state = this.stateOf(endpoint);
    if (state === undefined) return false;
    if (state.inFlight > 0) state.inFlight--;
    let ejected = false;
    if (this.detector !== undefined) {
      if (outcome === 'success') this.detector.success(state);
      else ejected = this.detector.failure(state, this.view, this.now);
    }
    this.forgetIfIdle(state);
    return ejected;
  }

  ejected(): ReadonlyArray<{ readonly endpoint: string; readonly until: number }> {
    return this.detector === undefined ? [] : this.detector.list(this.now());
  }

  /** The state of an endpoint object of any array seen, or undefined if it is not known. */
  private stateOf(endpoint: Endpoint): EndpointState | undefined {
    // The usual case, an endpoint of the current array: a scan of a few elements beats a
    // WeakMap lookup, and touches memory the pick just touched.
    const view = this.view;
    if (view !== undefined) {
      const index = view.endpoints.indexOf(endpoint);
      if (index >= 0) return view.states[index];
    }
    let state = this.stateByEndpoint.get(endpoint);
    if (state !== undefined && !state.retired) return state;
    // An object of an older array whose state was dropped and made anew, or never seen.
    state = this.states.get(endpointKey(endpoint));
    if (state !== undefined) this.stateByEndpoint.set(endpoint, state);
    return state;
  }

  /** Derives the view of a newly pushed array; drops the state of endpoints that left it. */
  private rebuild(eligible: readonly Endpoint[]): EndpointView {
    const generation = ++this.generation;
    const states = new Array<EndpointState>(eligible.length);
    let distinct = 0;
    for (let i = 0; i < eligible.length; i++) {
      const endpoint = eligible[i]!;
      const key = endpointKey(endpoint);
      let state = this.states.get(key);
      if (state === undefined) this.states.set(key, (state = new EndpointState(key)));
      if (state.generation !== generation) {
        state.generation = generation;
        distinct++;
      }
      this.stateByEndpoint.set(endpoint, state);
      states[i] = state;
    }
    const view = new EndpointView(eligible, states, distinct, generation);
    this.view = view;
    for (const state of this.states.values()) this.forgetIfIdle(state);
    this.detector?.recount(view);
    return view;
  }

  private forgetIfIdle(state: EndpointState): void {
    if (state.generation === this.generation || state.inFlight !== 0 || state.ejected || state.retired) return;
    this.states.delete(state.key);
    state.retired = true;
  }
}
