import { createBackendBalancer, type BackendBalancer, type Endpoint } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runBalancerConformance } from './balancer.case.js';
import { FakeClock, endpoint, endpoints, keyOf, pushed, seededRandom, tally, times } from './fixtures.js';

const POLICY = { kind: 'consistent-hash', on: { header: 'x-user' } } as const;
runBalancerConformance('consistent-hash', POLICY);

const KEYS = times(10_000, (i) => `user-${i}`);
const make = (options: { now?: () => number } = {}) => createBackendBalancer(POLICY, { random: seededRandom(11), ...options });
const assign = (balancer: BackendBalancer, eligible: readonly Endpoint[], keys = KEYS) => keys.map((k) => keyOf(balancer.pick(eligible, k)));

describe('consistent-hash', () => {
  test('the same key goes to the same endpoint: repeated, after a push of an equal set, in any order, on another replica', () => {
    const eligible = endpoints(10);
    const balancer = make();
    const first = assign(balancer, eligible, KEYS.slice(0, 2_000));
    expect(assign(balancer, eligible, KEYS.slice(0, 2_000))).toEqual(first);
    expect(assign(balancer, pushed(eligible), KEYS.slice(0, 2_000))).toEqual(first);
    expect(assign(balancer, Object.freeze([...pushed(eligible)].reverse()), KEYS.slice(0, 2_000))).toEqual(first);
    expect(assign(make(), eligible, KEYS.slice(0, 2_000))).toEqual(first);
  });

  test('keys spread evenly: each of 10 endpoints gets 10% ± 4% of 10,000 keys', () => {
    const counts = new Map<string | undefined, number>();
    for (const owner of assign(make(), endpoints(10))) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    expect(counts.size).toBe(10);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(600);
      expect(count).toBeLessThan(1_400);
    }
  });

  test('removing 1 of 10 endpoints moves only its own keys, about a tenth of them', () => {
    const all = endpoints(10);
    const before = assign(make(), all);
    const removed = keyOf(all[4]);
    const after = assign(make(), Object.freeze(all.filter((_, i) => i !== 4)));
    const moved = before.filter((owner, i) => owner !== after[i]);
    expect(moved.every((owner) => owner === removed)).toBe(true);
    expect(moved.length).toBe(before.filter((owner) => owner === removed).length);
    expect(moved.length / KEYS.length).toBeGreaterThan(0.05);
    expect(moved.length / KEYS.length).toBeLessThan(0.2);
  });

  test('adding an 11th endpoint moves keys only to it, about an eleventh of them', () => {
    const ten = endpoints(10);
    const eleven = endpoints(11);
    const before = assign(make(), ten);
    const after = assign(make(), eleven);
    const moved = after.filter((owner, i) => owner !== before[i]);
    expect(moved.every((owner) => owner === keyOf(eleven[10]))).toBe(true);
    expect(moved.length / KEYS.length).toBeGreaterThan(0.04);
    expect(moved.length / KEYS.length).toBeLessThan(0.2);
  });

  test('removing any endpoint of any set moves only the keys it owned (property)', () => {
    const keys = KEYS.slice(0, 500);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 65_535 })), { minLength: 2, maxLength: 12, selector: ([a, p]) => `${a}:${p}` }),
        fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 12 }),
        fc.nat(),
        (addresses, weights, which) => {
          const all = Object.freeze(addresses.map(([a, p], i) => endpoint(`192.168.0.${a}`, p, weights[i])));
          const gone = which % all.length;
          const before = assign(make(), all, keys);
          const after = assign(make(), Object.freeze(all.filter((_, i) => i !== gone)), keys);
          before.forEach((owner, i) => {
            if (owner !== keyOf(all[gone])) expect(after[i]).toBe(owner);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  test('weights set the share of keys', () => {
    const eligible = endpoints(2, [3, 1]);
    const share = assign(make(), eligible).filter((owner) => owner === keyOf(eligible[0])).length / KEYS.length;
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.85);
  });

  test("an ejected endpoint's keys spread over the others and come back after the ejection", () => {
    const clock = new FakeClock();
    const eligible = endpoints(5);
    const balancer = make({ now: clock.now });
    const keys = KEYS.slice(0, 2_000);
    const before = assign(balancer, eligible, keys);
    for (let i = 0; i < 5; i++) balancer.finished(eligible[2]!, 'failure');
    const during = assign(balancer, eligible, keys);
    const moved = during.filter((owner, i) => owner !== before[i]);
    expect(before.filter((owner, i) => owner !== during[i]).every((owner) => owner === keyOf(eligible[2]))).toBe(true);
    expect(moved).not.toContain(keyOf(eligible[2]));
    expect(new Set(moved).size).toBeGreaterThan(1);
    clock.advance(30_000);
    expect(assign(balancer, eligible, keys)).toEqual(before);
  });

  test('a tried endpoint sends the retry to the next one on the ring, the same for every replica', () => {
    const eligible = endpoints(6);
    const balancer = make();
    for (const key of KEYS.slice(0, 200)) {
      const first = balancer.pick(eligible, key)!;
      const retry = balancer.pick(eligible, key, [first]);
      expect(retry).not.toBe(first);
      expect(keyOf(make().pick(pushed(eligible), key, [first]))).toBe(keyOf(retry));
    }
  });

  test('without a key the pick is random', () => {
    const eligible = endpoints(4);
    const balancer = make();
    expect(new Set(times(200, () => balancer.pick(eligible))).size).toBe(4);
  });
});
