import { createBackendBalancer, type BackendBalancer, type BackendBalancerOptions, type BalancerPolicy, type Endpoint } from '@switchyard/core';

/**
 * A picker of our own: prefer endpoints in the gateway's zone (cheaper and faster than
 * crossing zones), fall back to the others when none is left there. Picking among the
 * chosen ones, outlier detection and in-flight counts are core's, delegated to an inner
 * balancer of the backend's policy.
 */
export class ZoneAwareBalancer implements BackendBalancer {
  private readonly inner: BackendBalancer;
  // The same-zone subset of each eligible array, made once per pushed set, not per request;
  // a stable array also lets the inner balancer keep its per-array state.
  private readonly local = new WeakMap<readonly Endpoint[], readonly Endpoint[]>();

  constructor(
    readonly zone: string,
    policy: BalancerPolicy,
    options: BackendBalancerOptions,
  ) {
    this.inner = createBackendBalancer(policy, options);
  }

  get policy(): BalancerPolicy {
    return this.inner.policy;
  }

  pick(eligible: readonly Endpoint[], hashKey?: string, exclude?: readonly Endpoint[]): Endpoint | undefined {
    let local = this.local.get(eligible);
    if (local === undefined) {
      local = Object.freeze(eligible.filter((endpoint) => endpoint.zone === this.zone));
      this.local.set(eligible, local);
    }
    return (local.length === 0 ? undefined : this.inner.pick(local, hashKey, exclude)) ?? this.inner.pick(eligible, hashKey, exclude);
  }

  started(endpoint: Endpoint): void {
    this.inner.started(endpoint);
  }

  finished(endpoint: Endpoint, outcome: 'success' | 'failure'): boolean {
    return this.inner.finished(endpoint, outcome);
  }

  ejected(): ReturnType<BackendBalancer['ejected']> {
    return this.inner.ejected();
  }
}
