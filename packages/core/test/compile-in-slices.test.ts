import { compile, compileInSlices, type Ingress, type PathMatcherFactory } from '@switchyard/core';
import { createSegmentTrieMatcher } from '@switchyard/core/path-matchers';
import { httpPath, ingress, rule, thrown } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';

/**
 * `compileInSlices` gives the event loop back between units of work. Asserted by structure,
 * not by the clock: a ticker that re-arms itself with setImmediate runs once per event-loop
 * turn, so the work done between two of its runs is what one slice did.
 */

const INGRESSES = 100;
const PATHS_PER_INGRESS = 100;
const HOSTS = 100;

/** 10,000 paths: 100 Ingresses of 100 paths in 5 blocks, each block on a host four other Ingresses share (as bench:compile's churn table). */
function largeConfiguration(): Ingress[] {
  return Array.from({ length: INGRESSES }, (_, i) =>
    ingress(`team-${i}`, {
      namespace: 'churn',
      created: '2026-01-01T00:00:00Z',
      rules: Array.from({ length: 5 }, (_, block) =>
        rule(
          `app-${(i + block * 20) % HOSTS}.churn.test`,
          ...Array.from({ length: PATHS_PER_INGRESS / 5 }, (_, j) => httpPath(`/team-${i}/svc-${block}/ep-${j}`, j % 4 === 3 ? 'Exact' : 'Prefix', `team-${i}`, 80)),
        ),
      ),
    }),
  );
}

/** A path matcher factory that counts the matchers built, and a count of event-loop turns with the matchers built in each. */
function turnCounter() {
  let built = 0;
  const pathMatcher: PathMatcherFactory = (rules) => {
    built++;
    return createSegmentTrieMatcher(rules);
  };
  const start = () => {
    const builtPerTurn: number[] = [];
    let running = true;
    built = 0;
    const tick = () => {
      builtPerTurn.push(built);
      built = 0;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    return () => {
      running = false;
      builtPerTurn.push(built);
      return builtPerTurn;
    };
  };
  return { pathMatcher, start };
}

describe('compileInSlices shares the event loop', () => {
  test('a 10,000-path compile from scratch yields between units: at least one turn per Ingress and per host, one host matcher per slice at most', async () => {
    const ingresses = largeConfiguration();
    const counter = turnCounter();
    const stop = counter.start();
    const result = await compileInSlices({ ingresses, pathMatcher: counter.pathMatcher }, { sliceMs: 0 });
    const builtPerTurn = stop();
    expect(result.table.routes()).toHaveLength(INGRESSES * PATHS_PER_INGRESS);
    // Each Ingress selected, each Ingress's part made, each host compiled: a turn of its own.
    expect(builtPerTurn.length).toBeGreaterThanOrEqual(2 * INGRESSES + HOSTS);
    expect(builtPerTurn.reduce((a, b) => a + b, 0)).toBe(HOSTS);
    expect(Math.max(...builtPerTurn)).toBe(1);
  });

  test('one host with 5,000 paths is many units, not one: its rules and its matcher are built a hundred paths a step', async () => {
    const paths = Array.from({ length: 5_000 }, (_, j) => httpPath(`/big/p-${j}`, j % 3 === 0 ? 'Exact' : 'Prefix', 'big', 80));
    const ingresses = [ingress('big', { namespace: 'churn', created: '2026-01-01T00:00:00Z', rules: [rule('big.churn.test', ...paths)] })];
    const turns = turnCounter();
    const stop = turns.start();
    const sliced = await compileInSlices({ ingresses }, { sliceMs: 0 });
    const turnCount = stop().length;
    // The Ingress's part (50 units), the host's rules (50) and its trie (50), each unit its own turn.
    expect(turnCount).toBeGreaterThanOrEqual(150);
    const whole = compile({ ingresses });
    for (const j of [0, 1, 2, 2_500, 4_999]) {
      const path = `/big/p-${j}`;
      expect(sliced.table.match('big.churn.test', path)?.route.path).toBe(path);
      expect(sliced.table.match('big.churn.test', `${path}/more`)?.route.path).toBe(whole.table.match('big.churn.test', `${path}/more`)?.route.path);
    }
    expect(sliced.table.routes().map((route) => route.path)).toEqual(whole.table.routes().map((route) => route.path));
  });

  test('with previous, only the changed work runs: a change to one Ingress takes a few turns', async () => {
    const ingresses = largeConfiguration();
    const counter = turnCounter();
    const first = compile({ ingresses, pathMatcher: counter.pathMatcher });
    const next = [...ingresses];
    next[7] = ingress('team-7', { namespace: 'churn', created: '2026-01-01T00:00:00Z', rules: [rule('app-7.churn.test', httpPath('/team-7/new', 'Prefix', 'team-7', 80))] });
    const stop = counter.start();
    const result = await compileInSlices({ ingresses: next, previous: first, pathMatcher: counter.pathMatcher }, { sliceMs: 0 });
    const builtPerTurn = stop();
    // The five hosts team-7 had rules on are rebuilt (it left four, changed one); the other 95 are kept.
    expect(builtPerTurn.reduce((a, b) => a + b, 0)).toBe(5);
    // Its selection, its part, five hosts: a handful of turns, not hundreds.
    expect(builtPerTurn.length).toBeLessThan(15);
    expect(result.table.lookup('app-7.churn.test', '/team-7/new/x')?.path).toBe('/team-7/new');
  });

  test('an aborted compile rejects with the reason at the next slice and takes no version', async () => {
    const ingresses = largeConfiguration();
    const before = compile({ ingresses: [] }).table.version;
    const controller = new AbortController();
    const pending = compileInSlices({ ingresses }, { sliceMs: 0, signal: controller.signal });
    const reason = new Error('superseded');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(compile({ ingresses: [] }).table.version).toBe(before + 1);
    await expect(compileInSlices({ ingresses }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  test('versions follow the rules of compile: one more than the last finished table, or the one given', async () => {
    const last = compile({ ingresses: [] }).table.version;
    expect((await compileInSlices({ ingresses: largeConfiguration().slice(0, 3) })).table.version).toBe(last + 1);
    expect((await compileInSlices({ ingresses: [], version: 7 })).table.version).toBe(7);
  });

  test('betweenSlices runs once between two slices, never within one or after the last; it can abort the compile', async () => {
    const ingresses = largeConfiguration().slice(0, 10);
    const counter = turnCounter();
    let builtSinceCall = 0;
    // Set while the task that built a matcher runs; cleared by an immediate queued then, which runs before any turn the compile asks for after it.
    let inBuildingTask = false;
    let callsInBuildingTask = 0;
    const pathMatcher: PathMatcherFactory = (rules) => {
      builtSinceCall++;
      inBuildingTask = true;
      setImmediate(() => (inBuildingTask = false));
      return counter.pathMatcher(rules);
    };
    const builtBetweenCalls: number[] = [];
    const betweenSlices = () => {
      if (inBuildingTask) callsInBuildingTask++;
      builtBetweenCalls.push(builtSinceCall, (builtSinceCall = 0));
    };
    const stop = counter.start();
    const result = await compileInSlices({ ingresses, pathMatcher }, { sliceMs: 0, betweenSlices });
    const turns = stop().length;
    // One unit a slice: at most one host built between two calls.
    expect(builtBetweenCalls.filter((_, i) => i % 2 === 0).every((built) => built <= 1)).toBe(true);
    // The same compile without it takes a turn per slice: one call per boundary between them, none after the last.
    const plain = turnCounter();
    const stopPlain = plain.start();
    await compileInSlices({ ingresses, pathMatcher: plain.pathMatcher }, { sliceMs: 0 });
    const plainTurns = stopPlain().length;
    expect(plainTurns).toBeGreaterThan(2 * 10 + 25);
    expect(builtBetweenCalls.length / 2).toBe(plainTurns - 1);
    // Each call has a turn of its own: never in the task of the slice before it, and about twice as many turns.
    expect(callsInBuildingTask).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(2 * plainTurns - 2);
    expect(result.table.routes()).toEqual(compile({ ingresses }).table.routes());
    // A compile that fits in one slice never calls it.
    let calls = 0;
    await compileInSlices({ ingresses: ingresses.slice(0, 1) }, { sliceMs: 60_000, betweenSlices: () => calls++ });
    expect(calls).toBe(0);
    // Aborted from within: the compile stops at the next boundary.
    const controller = new AbortController();
    const reason = new Error('superseded');
    await expect(compileInSlices({ ingresses }, { sliceMs: 0, signal: controller.signal, betweenSlices: () => controller.abort(reason) })).rejects.toBe(reason);
  });

  test('options of the wrong shape reject with SWY_COMPILE_INVALID_OPTIONS', async () => {
    await expect(compileInSlices({ ingresses: 1 } as never)).rejects.toMatchObject({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'ingresses' });
    await expect(compileInSlices({ ingresses: [] }, { sliceMs: -1 })).rejects.toMatchObject({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'sliceMs' });
    await expect(compileInSlices({ ingresses: [] }, { betweenSlices: 'gc' as never })).rejects.toMatchObject({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'betweenSlices' });
    expect(thrown(() => compile({ ingresses: 1 } as never))).toMatchObject({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'ingresses' });
  });
});
