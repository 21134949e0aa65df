import { createBackendBalancer } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { runBalancerConformance } from './balancer.case.js';
import { endpoints, keyOf, pushed, seededRandom, tally, times } from './fixtures.js';

runBalancerConformance('least-request', { kind: 'least-request' });
runBalancerConformance('least-request, 3 choices', { kind: 'least-request', choices: 3 });

const make = (choices = 2, seed = 3) => createBackendBalancer({ kind: 'least-request', choices }, { random: seededRandom(seed) });

describe('least-request', () => {
  test('an endpoint with requests in flight is avoided while another is idle', () => {
    const eligible = endpoints(2);
    const balancer = make();
    balancer.pick(eligible);
    balancer.started(eligible[0]!);
    expect(new Set(times(100, () => balancer.pick(eligible)))).toEqual(new Set([eligible[1]]));
    balancer.finished(eligible[0]!, 'success');
    expect(new Set(times(100, () => balancer.pick(eligible)))).toEqual(new Set(eligible));
  });

  test('with more endpoints than choices, a busy endpoint wins only when every draw is it (about 1 in 25 of 5)', () => {
    const eligible = endpoints(5);
    const balancer = make();
    balancer.pick(eligible);
    for (let i = 0; i < 10; i++) balancer.started(eligible[0]!);
    const busy = tally(times(2_000, () => balancer.pick(eligible))).get(keyOf(eligible[0])) ?? 0;
    expect(busy).toBeGreaterThan(0);
    expect(busy / 2_000).toBeLessThan(0.1);
  });

  test('as many choices as endpoints never picks the busy one', () => {
    const eligible = endpoints(5);
    const balancer = make(5);
    balancer.pick(eligible);
    balancer.started(eligible[3]!);
    expect(times(500, () => balancer.pick(eligible))).not.toContain(eligible[3]);
  });

  test('in flight is weighed against weight: 2 in flight on weight 3 is less loaded than 1 on weight 1', () => {
    const eligible = endpoints(2, [3, 1]);
    const balancer = make();
    balancer.pick(eligible);
    balancer.started(eligible[0]!);
    balancer.started(eligible[0]!);
    balancer.started(eligible[1]!);
    expect(new Set(times(100, () => balancer.pick(eligible)))).toEqual(new Set([eligible[0]]));
    balancer.started(eligible[0]!); // 3/3 = 1/1: a tie, broken by the weighted draw
    const counts = tally(times(1_000, () => balancer.pick(eligible)));
    expect(counts.get(keyOf(eligible[0]))! / 1_000).toBeGreaterThan(0.65);
    expect(counts.get(keyOf(eligible[1]))).toBeGreaterThan(0);
  });

  test('with nothing in flight traffic splits by weight', () => {
    const eligible = endpoints(3, [6, 3, 1]);
    const balancer = make();
    const counts = tally(times(10_000, () => balancer.pick(eligible)));
    expect(counts.get(keyOf(eligible[0]))! / 10_000).toBeCloseTo(0.6, 1);
    expect(counts.get(keyOf(eligible[1]))! / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.get(keyOf(eligible[2]))! / 10_000).toBeCloseTo(0.1, 1);
  });

  test('under steady load, requests in flight settle in proportion to weight', () => {
    const eligible = endpoints(4, [4, 2, 1, 1]);
    const balancer = make();
    // 40 requests open at any time; each new one replaces the oldest.
    const open: (typeof eligible)[number][] = [];
    for (let i = 0; i < 4_000; i++) {
      const picked = balancer.pick(eligible)!;
      balancer.started(picked);
      open.push(picked);
      if (open.length > 40) balancer.finished(open.shift()!, 'success');
    }
    const inFlight = tally(open);
    expect(inFlight.get(keyOf(eligible[0]))).toBeGreaterThanOrEqual(16);
    expect(inFlight.get(keyOf(eligible[0]))).toBeLessThanOrEqual(24);
    expect(inFlight.get(keyOf(eligible[2]))).toBeLessThanOrEqual(8);
  });

  test('in-flight counts survive a push of an equal set', () => {
    const first = endpoints(2);
    const balancer = make();
    balancer.pick(first);
    balancer.started(first[0]!);
    const second = pushed(first);
    expect(new Set(times(50, () => keyOf(balancer.pick(second))))).toEqual(new Set([keyOf(first[1])]));
    // The request started on the old object ends through it; the count drops all the same.
    balancer.finished(first[0]!, 'success');
    expect(new Set(times(100, () => keyOf(balancer.pick(second))))).toEqual(new Set(second.map(keyOf)));
  });

  test('a request in flight on an endpoint that leaves the set still counts when it comes back', () => {
    const both = endpoints(2);
    const balancer = make();
    balancer.pick(both);
    balancer.started(both[0]!);
    balancer.pick(Object.freeze([both[1]!]));
    const again = pushed(both);
    expect(new Set(times(50, () => keyOf(balancer.pick(again))))).toEqual(new Set([keyOf(both[1])]));
  });

  test('finished without started does not drive the count below zero', () => {
    const eligible = endpoints(2);
    const balancer = make();
    balancer.pick(eligible);
    for (let i = 0; i < 3; i++) balancer.finished(eligible[0]!, 'success');
    balancer.started(eligible[0]!);
    expect(new Set(times(50, () => balancer.pick(eligible)))).toEqual(new Set([eligible[1]]));
  });
});
