import { createBackendBalancer, type Endpoint } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runBalancerConformance } from './balancer.case.js';
import { endpoints, keyOf, pushed, tally, times } from './fixtures.js';

runBalancerConformance('round-robin', { kind: 'round-robin' });

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
function named(eligible: readonly Endpoint[], picks: readonly (Endpoint | undefined)[]): string {
  return picks.map((p) => NAMES[eligible.findIndex((e) => keyOf(e) === keyOf(p))] ?? '?').join(' ');
}

describe('round-robin', () => {
  test("weights 5,1,1 give nginx's smooth sequence a a b a c a a, period after period", () => {
    const eligible = endpoints(3, [5, 1, 1]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    expect(named(eligible, times(14, () => balancer.pick(eligible)))).toBe('a a b a c a a a a b a c a a');
  });

  test('equal weights rotate in order', () => {
    const eligible = endpoints(3);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    expect(named(eligible, times(7, () => balancer.pick(eligible)))).toBe('a b c a b c a');
  });

  test('the sequence carries on across a push of an equal set', () => {
    const first = endpoints(3, [5, 1, 1]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    const before = named(first, times(3, () => balancer.pick(first)));
    const second = pushed(first);
    const after = named(second, times(4, () => balancer.pick(second)));
    expect(`${before} ${after}`).toBe('a a b a c a a');
  });

  test('one period of picks gives every endpoint exactly its weight (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }), fc.nat(20), (weights, warmup) => {
        const eligible = endpoints(weights.length, weights);
        const balancer = createBackendBalancer({ kind: 'round-robin' });
        // Any starting point: smooth WRR's running weights return to zero at each period's end.
        const period = weights.reduce((a, b) => a + b, 0);
        times(warmup * period, () => balancer.pick(eligible));
        const counts = tally(times(period, () => balancer.pick(eligible)));
        eligible.forEach((e, i) => expect(counts.get(keyOf(e))).toBe(weights[i]));
      }),
      { numRuns: 100 },
    );
  });

  test('weights 3,2,1 interleave as nginx does: a b a c b a', () => {
    const eligible = endpoints(3, [3, 2, 1]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    const sequence = named(eligible, times(12, () => balancer.pick(eligible)));
    // nginx: a b a c b a, repeated; never a a a as a plain weighted rotation would give.
    expect(sequence).toBe('a b a c b a a b a c b a');
  });

  test('fractional weights balance by ratio', () => {
    const eligible = endpoints(2, [1.5, 0.5]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    const counts = tally(times(400, () => balancer.pick(eligible)));
    expect(counts.get(keyOf(eligible[0]))).toBe(300);
  });

  test('a weight that is not a positive number counts as 1', () => {
    const eligible = endpoints(3, [0, -2, Number.NaN]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    expect(named(eligible, times(6, () => balancer.pick(eligible)))).toBe('a b c a b c');
  });

  test('new weights pushed for the same endpoints take over', () => {
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    const first = endpoints(2, [1, 1]);
    times(10, () => balancer.pick(first));
    const reweighted = endpoints(2, [3, 1]);
    const counts = tally(times(400, () => balancer.pick(reweighted)));
    expect(counts.get(keyOf(reweighted[0]))).toBe(300);
  });

  test('an excluded endpoint neither gains nor loses its turn: the rest keep their ratio', () => {
    const eligible = endpoints(3, [2, 1, 4]);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    const counts = tally(times(300, () => balancer.pick(eligible, undefined, [eligible[2]!])));
    expect(counts.get(keyOf(eligible[0]))).toBe(200);
    expect(counts.get(keyOf(eligible[1]))).toBe(100);
    expect(counts.has(keyOf(eligible[2]))).toBe(false);
  });

  test('equal weights with one excluded rotate over the others', () => {
    const eligible = endpoints(4);
    const balancer = createBackendBalancer({ kind: 'round-robin' });
    expect(named(eligible, times(6, () => balancer.pick(eligible, undefined, [eligible[1]!])))).toBe('a c d a c d');
  });
});
