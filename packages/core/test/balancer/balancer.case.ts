import { createBackendBalancer, type BackendBalancerOptions, type BalancerPolicy, type Endpoint } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FakeClock, endpoint, endpoints, keyOf, pushed, seededRandom, times } from './fixtures.js';

/**
 * One conformance suite for every balancing policy (as Hono runs common.case.test.ts over its
 * routers): what `BackendBalancer.pick` promises whatever the policy. Picks pass a different
 * hash key each time, so a consistent-hash policy is exercised over many ring positions.
 */
export function runBalancerConformance(name: string, policy: BalancerPolicy): void {
  const key = (i: number): string => `user-${i}`;
  const make = (options: BackendBalancerOptions = {}) => createBackendBalancer(policy, { random: seededRandom(7), ...options });
  /**
   * Reports `n` failures in a row for `e`, as the adapter would after proxying. A balancer
   * learns a set from a pick, so the tests pick from a set before reporting outcomes.
   */
  const fail = (balancer: ReturnType<typeof make>, e: Endpoint, n = 5) => {
    for (let i = 0; i < n; i++) {
      balancer.started(e);
      balancer.finished(e, 'failure');
    }
  };
  const picks = (balancer: ReturnType<typeof make>, eligible: readonly Endpoint[], n = 300, exclude?: readonly Endpoint[]) =>
    times(n, (i) => balancer.pick(eligible, key(i), exclude));

  describe(`${name}: balancer conformance`, () => {
    test('an empty set gives undefined', () => {
      const balancer = make();
      expect(balancer.pick(Object.freeze([]))).toBeUndefined();
      expect(balancer.pick(Object.freeze([]), 'k', [endpoint('10.0.0.1')])).toBeUndefined();
    });

    test('a single endpoint is always the pick', () => {
      const eligible = endpoints(1);
      expect(new Set(picks(make(), eligible, 50))).toEqual(new Set([eligible[0]]));
    });

    test('picks only endpoints of the array, never an excluded one, undefined only when all are excluded (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 8 }),
          fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 8 }),
          fc.array(
            fc.record({
              key: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
              exclude: fc.array(fc.nat(7), { maxLength: 8 }),
              outcome: fc.constantFrom('success', 'failure', 'failure', 'none'),
            }),
            { minLength: 1, maxLength: 40 },
          ),
          (n, weights, steps) => {
            const clock = new FakeClock();
            const eligible = endpoints(n, weights);
            const balancer = make({ now: clock.now, outlierDetection: { consecutiveFailures: 2, maxEjectedPercent: 100 } });
            for (const step of steps) {
              const excluded = step.exclude.filter((i) => i < n).map((i) => eligible[i]!);
              const picked = balancer.pick(eligible, step.key, excluded);
              if (new Set(excluded).size === n) {
                expect(picked).toBeUndefined();
                continue;
              }
              expect(eligible).toContain(picked);
              expect(excluded).not.toContain(picked);
              if (step.outcome !== 'none') {
                balancer.started(picked!);
                balancer.finished(picked!, step.outcome);
              }
              // Never all ejected.
              expect(balancer.ejected().length).toBeLessThan(n);
              clock.advance(1_000);
            }
          },
        ),
        { numRuns: 100 },
      );
    });

    test('outcomes of endpoints never seen in a picked-from set are ignored', () => {
      const eligible = endpoints(2);
      const balancer = make();
      fail(balancer, eligible[0]!);
      expect(balancer.ejected()).toEqual([]);
      expect(new Set(picks(balancer, eligible))).toEqual(new Set(eligible));
    });

    test('an excluded endpoint is never picked, also when excluded through an object of an older array', () => {
      const first = endpoints(3);
      const balancer = make();
      expect(picks(balancer, first, 300, [first[1]!])).not.toContain(first[1]);
      const second = pushed(first);
      const fromSecond = picks(balancer, second, 300, [first[1]!]);
      expect(fromSecond.map(keyOf)).not.toContain(keyOf(first[1]));
      expect(new Set(fromSecond.map(keyOf))).toEqual(new Set([keyOf(first[0]), keyOf(first[2])]));
    });

    test('all excluded gives undefined, duplicates in exclude counted once', () => {
      const eligible = endpoints(3);
      const balancer = make();
      expect(balancer.pick(eligible, 'k', [...eligible])).toBeUndefined();
      expect(balancer.pick(eligible, 'k', [eligible[0]!, eligible[0]!, eligible[1]!])).toBe(eligible[2]);
      expect(balancer.pick(eligible, 'k', pushed(eligible))).toBeUndefined();
    });

    test('an ejected endpoint is skipped', () => {
      const eligible = endpoints(3);
      const balancer = make();
      balancer.pick(eligible);
      fail(balancer, eligible[0]!);
      expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[0])]);
      const picked = picks(balancer, eligible);
      expect(picked).not.toContain(eligible[0]);
      expect(new Set(picked)).toEqual(new Set([eligible[1], eligible[2]]));
    });

    test('never all ejected: the last endpoint in rotation stays, whatever the percent', () => {
      const eligible = endpoints(2);
      const balancer = make({ outlierDetection: { maxEjectedPercent: 100 } });
      balancer.pick(eligible);
      fail(balancer, eligible[0]!);
      fail(balancer, eligible[1]!);
      expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(eligible[0])]);
      expect(new Set(picks(balancer, eligible))).toEqual(new Set([eligible[1]]));
    });

    test('an ejected endpoint is picked when nothing else is left: a set of ejected endpoints only, or the rest excluded', () => {
      const eligible = endpoints(3);
      const balancer = make({ outlierDetection: { maxEjectedPercent: 100 } });
      balancer.pick(eligible);
      fail(balancer, eligible[0]!);
      fail(balancer, eligible[1]!);
      expect(balancer.ejected()).toHaveLength(2);
      expect(new Set(picks(balancer, eligible, 100, [eligible[2]!]))).toEqual(new Set([eligible[0], eligible[1]]));
      const onlyEjected = Object.freeze([eligible[0]!]);
      expect(new Set(picks(balancer, onlyEjected, 50))).toEqual(new Set([eligible[0]]));
    });

    test('state survives a push of an equal set: ejection and failure counts, by address:port', () => {
      const clock = new FakeClock();
      const first = endpoints(4);
      const balancer = make({ now: clock.now });
      balancer.pick(first, 'k');
      fail(balancer, first[0]!);
      fail(balancer, first[1]!, 4);
      const second = pushed(first);
      expect(picks(balancer, second).map(keyOf)).not.toContain(keyOf(first[0]));
      expect(balancer.ejected()).toEqual([{ endpoint: keyOf(first[0]), until: clock.time + 30_000 }]);
      // The fifth failure, reported through the new object, completes the four before the push.
      fail(balancer, second[1]!, 1);
      expect(balancer.ejected().map((e) => e.endpoint)).toEqual([keyOf(first[0]), keyOf(first[1])]);
    });

    test('what a pick needs is derived once per array: later picks read one element of it', () => {
      let reads = 0;
      const eligible = new Proxy(endpoints(6, [1, 2, 3, 1, 2, 3]), {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
          return Reflect.get(target, property, receiver);
        },
      });
      const balancer = make();
      balancer.pick(eligible, key(0));
      reads = 0;
      for (let i = 1; i <= 100; i++) balancer.pick(eligible, key(i));
      expect(reads).toBe(100);
    });

    test('an IPv6 endpoint is keyed with its address as is', () => {
      const eligible = Object.freeze([endpoint('::1', 8080), endpoint('fd00::2', 8080), endpoint('fd00::3', 8080)]);
      const balancer = make();
      balancer.pick(eligible);
      fail(balancer, eligible[1]!);
      expect(balancer.ejected().map((e) => e.endpoint)).toEqual(['fd00::2:8080']);
      expect(picks(balancer, eligible)).not.toContain(eligible[1]);
    });
  });
}
