import { createBackendBalancer, isSwitchyardError, type BackendBalancer, type BackendBalancerOptions, type Endpoint } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { FakeClock, endpoints, keyOf, times } from './fixtures.js';
import { thrown } from '@switchyard/test-utils';

function setup(n: number, outlierDetection?: BackendBalancerOptions['outlierDetection']) {
  const clock = new FakeClock();
  const eligible = endpoints(n);
  const balancer = createBackendBalancer({ kind: 'round-robin' }, { now: clock.now, ...(outlierDetection === undefined ? {} : { outlierDetection }) });
  balancer.pick(eligible);
  return { clock, eligible, balancer };
}

function report(balancer: BackendBalancer, e: Endpoint, outcome: 'success' | 'failure', n = 1): void {
  for (let i = 0; i < n; i++) {
    balancer.started(e);
    balancer.finished(e, outcome);
  }
}

const picked = (balancer: BackendBalancer, eligible: readonly Endpoint[]) => new Set(times(eligible.length * 4, () => keyOf(balancer.pick(eligible))));

describe('outlier detection', () => {
  test('four failures in a row do not eject; the fifth does, for 30 s', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 4);
    expect(balancer.ejected()).toEqual([]);
    report(balancer, eligible[0]!, 'failure');
    expect(balancer.ejected()).toEqual([{ endpoint: '10.0.0.1:8080', until: clock.time + 30_000 }]);
  });

  test('a success resets the count', () => {
    const { eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 4);
    report(balancer, eligible[0]!, 'success');
    report(balancer, eligible[0]!, 'failure', 4);
    expect(balancer.ejected()).toEqual([]);
  });

  test('consecutiveFailures sets the threshold', () => {
    const { eligible, balancer } = setup(3, { consecutiveFailures: 2 });
    report(balancer, eligible[1]!, 'failure', 2);
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[1])]);
  });

  test('the endpoint returns when its time is up, with its failure count reset', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 5);
    clock.advance(29_999);
    expect(picked(balancer, eligible)).not.toContain(keyOf(eligible[0]));
    clock.advance(1);
    expect(picked(balancer, eligible)).toContain(keyOf(eligible[0]));
    expect(balancer.ejected()).toEqual([]);
    report(balancer, eligible[0]!, 'failure', 4);
    expect(balancer.ejected()).toEqual([]);
  });

  test('ejected() alone notices the end of an ejection', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 5);
    clock.advance(30_000);
    expect(balancer.ejected()).toEqual([]);
  });

  test('each ejection lasts longer (30 s, 60 s, 90 s, ...) up to maxEjectionMs', () => {
    const { clock, eligible, balancer } = setup(3, { maxEjectionMs: 100_000 });
    const lengths: number[] = [];
    for (let round = 0; round < 5; round++) {
      report(balancer, eligible[0]!, 'failure', 5);
      const [ejection] = balancer.ejected();
      lengths.push(ejection!.until - clock.time);
      clock.time = ejection!.until;
    }
    expect(lengths).toEqual([30_000, 60_000, 90_000, 100_000, 100_000]);
  });

  test('the default cap is 300 s', () => {
    const { clock, eligible, balancer } = setup(3);
    let last = 0;
    for (let round = 0; round < 12; round++) {
      report(balancer, eligible[0]!, 'failure', 5);
      const [ejection] = balancer.ejected();
      last = ejection!.until - clock.time;
      clock.time = ejection!.until;
    }
    expect(last).toBe(300_000);
  });

  test('baseEjectionMs sets the step', () => {
    const { clock, eligible, balancer } = setup(3, { baseEjectionMs: 1_000 });
    report(balancer, eligible[0]!, 'failure', 5);
    expect(balancer.ejected()[0]!.until - clock.time).toBe(1_000);
  });

  test('the multiplier decays by one per baseEjectionMs back in rotation', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 5); // 30 s
    clock.advance(30_000);
    report(balancer, eligible[0]!, 'failure', 5); // 60 s
    clock.advance(60_000);
    // Back for 30 s: 2 decays to 1, so the next ejection is the second step again.
    clock.advance(30_000);
    report(balancer, eligible[0]!, 'failure', 5);
    expect(balancer.ejected()[0]!.until - clock.time).toBe(60_000);
    // Back for 5 minutes: the slate is clean.
    clock.advance(60_000 + 300_000);
    report(balancer, eligible[0]!, 'failure', 5);
    expect(balancer.ejected()[0]!.until - clock.time).toBe(30_000);
  });

  test('failures of requests that end while the endpoint is ejected neither extend the ejection nor count after it', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 5);
    const [ejection] = balancer.ejected();
    clock.advance(10_000);
    report(balancer, eligible[0]!, 'failure', 20);
    expect(balancer.ejected()).toEqual([ejection]);
    clock.advance(20_000);
    report(balancer, eligible[0]!, 'failure', 4);
    expect(balancer.ejected()).toEqual([]);
  });

  test.each([
    [10, undefined, 5],
    [10, 20, 2],
    [4, 25, 1],
    [3, 10, 1], // below one endpoint's worth, a non-zero percent still allows one
    [4, 0, 0],
    [4, 100, 3], // never the last one
    [1, 100, 0],
  ])('of %i failing endpoints, maxEjectedPercent %s ejects %i', (n, maxEjectedPercent, expected) => {
    const { eligible, balancer } = setup(n, maxEjectedPercent === undefined ? undefined : { maxEjectedPercent });
    for (const e of eligible) report(balancer, e, 'failure', 5);
    expect(balancer.ejected()).toHaveLength(expected);
    expect(picked(balancer, eligible).size).toBe(n - expected);
  });

  test('an endpoint held back by the percent is ejected by its next failure once room is made', () => {
    const { clock, eligible, balancer } = setup(2);
    report(balancer, eligible[0]!, 'failure', 5);
    clock.advance(10_000);
    report(balancer, eligible[1]!, 'failure', 5);
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[0])]);
    clock.advance(20_000);
    report(balancer, eligible[1]!, 'failure');
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[1])]);
  });

  test('outlierDetection: false never ejects', () => {
    const { eligible, balancer } = setup(3, false);
    report(balancer, eligible[0]!, 'failure', 50);
    expect(balancer.ejected()).toEqual([]);
    expect(picked(balancer, eligible).size).toBe(3);
  });

  test('an ejected endpoint that leaves the set is listed until its time is up, then forgotten', () => {
    const { clock, eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 5);
    const rest = Object.freeze(eligible.slice(1));
    balancer.pick(rest);
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[0])]);
    clock.advance(30_000);
    expect(balancer.ejected()).toEqual([]);
    // Back in the set it starts afresh: the next ejection is a first one (30 s, not 60 s).
    balancer.pick(eligible);
    report(balancer, eligible[0]!, 'failure', 5);
    expect(balancer.ejected()[0]!.until - clock.time).toBe(30_000);
  });

  test('an endpoint that left the set is not ejected, and loses its failure count when it leaves', () => {
    const { eligible, balancer } = setup(3);
    report(balancer, eligible[0]!, 'failure', 4);
    const rest = Object.freeze(eligible.slice(1));
    balancer.pick(rest);
    report(balancer, eligible[0]!, 'failure', 3);
    expect(balancer.ejected()).toEqual([]);
    balancer.pick(eligible);
    report(balancer, eligible[0]!, 'failure', 4);
    expect(balancer.ejected()).toEqual([]);
    report(balancer, eligible[0]!, 'failure');
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[0])]);
  });

  test.each([
    [{ outlierDetection: 5 }, 'outlierDetection'],
    [{ outlierDetection: { consecutive: 5 } }, 'outlierDetection.consecutive'],
    [{ outlierDetection: { consecutiveFailures: 0 } }, 'outlierDetection.consecutiveFailures'],
    [{ outlierDetection: { consecutiveFailures: 2.5 } }, 'outlierDetection.consecutiveFailures'],
    [{ outlierDetection: { baseEjectionMs: -1 } }, 'outlierDetection.baseEjectionMs'],
    [{ outlierDetection: { baseEjectionMs: Infinity } }, 'outlierDetection.baseEjectionMs'],
    [{ outlierDetection: { baseEjectionMs: 60_000, maxEjectionMs: 30_000 } }, 'outlierDetection.maxEjectionMs'],
    [{ outlierDetection: { maxEjectionMs: '300s' } }, 'outlierDetection.maxEjectionMs'],
    [{ outlierDetection: { maxEjectedPercent: 101 } }, 'outlierDetection.maxEjectedPercent'],
    [{ outlierDetection: { maxEjectedPercent: Number.NaN } }, 'outlierDetection.maxEjectedPercent'],
    [{ now: 5 }, 'now'],
    [{ random: 'seeded' }, 'random'],
  ])('createBackendBalancer(policy, %j) throws SWY_BALANCER_INVALID_OPTIONS at %s', (options, field) => {
    const error = thrown(() => createBackendBalancer({ kind: 'round-robin' }, options as unknown as BackendBalancerOptions));
    expect(isSwitchyardError(error, 'SWY_BALANCER_INVALID_OPTIONS')).toBe(true);
    expect(error).toMatchObject({ field });
  });

  test('a long baseEjectionMs with no maxEjectionMs is accepted: the cap follows it', () => {
    const { clock, eligible, balancer } = setup(3, { baseEjectionMs: 600_000 });
    report(balancer, eligible[0]!, 'failure', 5);
    expect(balancer.ejected()[0]!.until - clock.time).toBe(600_000);
  });
});
