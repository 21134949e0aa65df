import { Backoff } from '../src/backoff.js';
import { expect, test } from 'vitest';

test('grows exponentially up to the cap, jittered between half and all of the ceiling, and resets', () => {
  const low = new Backoff({ initialMs: 100, maxMs: 1_000 }, () => 0);
  expect([low.next(), low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([50, 100, 200, 400, 500, 500]);
  low.reset();
  expect(low.next()).toBe(50);
  const high = new Backoff({ initialMs: 100, maxMs: 1_000, factor: 3 }, () => 0.999999);
  expect([high.next(), high.next(), high.next(), high.next()]).toEqual([100, 300, 900, 1_000]);
});
