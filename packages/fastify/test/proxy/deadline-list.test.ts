import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { DeadlineList, type DeadlineItem } from '../../src/proxy/deadline-list.js';

class Waiting implements DeadlineItem {
  deadlineAt = 0;
  deadlinePrev: DeadlineItem | undefined = undefined;
  deadlineNext: DeadlineItem | undefined = undefined;
  deadlineList: object | undefined = undefined;
  passedAt = 0;
  constructor(readonly name: string) {}
}

function listOf(ms: number, passed: Waiting[], then?: (item: Waiting) => void): DeadlineList<Waiting> {
  return new DeadlineList<Waiting>(ms, (item) => {
    item.passedAt = performance.now();
    passed.push(item);
    then?.(item);
  });
}

test('items pass in the order their waits started, each once, never before its deadline; removed ones never pass', async () => {
  const passed: Waiting[] = [];
  const list = listOf(50, passed);
  const [a, b, c] = [new Waiting('a'), new Waiting('b'), new Waiting('c')];
  const addedAt = new Map<Waiting, number>();
  for (const item of [a, b, c]) {
    addedAt.set(item, performance.now());
    list.add(item, performance.now());
    await sleep(10);
  }
  list.remove(b);
  await sleep(150);
  expect(passed.map((item) => item.name)).toEqual(['a', 'c']);
  for (const item of passed) expect(item.passedAt - addedAt.get(item)!).toBeGreaterThanOrEqual(50);
  expect(b.deadlineList).toBeUndefined();
  expect(a.deadlineList).toBeUndefined();
});

test('adding an item again starts its wait again (it moves behind the others)', async () => {
  const passed: Waiting[] = [];
  const list = listOf(60, passed);
  const [a, b] = [new Waiting('a'), new Waiting('b')];
  list.add(a, performance.now());
  list.add(b, performance.now());
  await sleep(40);
  list.add(a, performance.now());
  await sleep(40);
  expect(passed.map((item) => item.name)).toEqual(['b']);
  await sleep(60);
  expect(passed.map((item) => item.name)).toEqual(['b', 'a']);
});

test('an item moves between lists: in one list at a time', async () => {
  const passed: Waiting[] = [];
  const short = listOf(30, passed);
  const long = listOf(120, passed);
  const a = new Waiting('a');
  short.add(a, performance.now());
  long.add(a, performance.now());
  expect(a.deadlineList).toBe(long);
  await sleep(60);
  expect(passed).toEqual([]);
  // Removing it from a list it is not in does nothing.
  short.remove(a);
  expect(a.deadlineList).toBe(long);
  await sleep(120);
  expect(passed.map((item) => item.name)).toEqual(['a']);
});

test('an item added while items pass (a retry after a timeout) waits its whole time; the list keeps working after it', async () => {
  const passed: Waiting[] = [];
  const retries: Waiting[] = [];
  let list: DeadlineList<Waiting>;
  list = listOf(40, passed, (item) => {
    if (item.name !== 'first') return;
    const retry = new Waiting(`retry of ${item.name}`);
    retries.push(retry);
    list.add(retry, performance.now());
  });
  const first = new Waiting('first');
  const startedAt = performance.now();
  list.add(first, startedAt);
  await sleep(200);
  expect(passed.map((item) => item.name)).toEqual(['first', 'retry of first']);
  expect(retries[0]!.passedAt - first.passedAt).toBeGreaterThanOrEqual(40);
  // The list's timer was set again after that pass: an item added later still passes, once.
  const late = new Waiting('late');
  list.add(late, performance.now());
  await sleep(100);
  expect(passed.map((item) => item.name)).toEqual(['first', 'retry of first', 'late']);
});

test('a wait longer than Node timers take (2^31 - 1 ms) neither passes early nor spins', async () => {
  const passed: Waiting[] = [];
  const list = listOf(30 * 24 * 3600 * 1000, passed);
  const warnings: Error[] = [];
  const onWarning = (warning: Error): number => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    list.add(new Waiting('a month'), performance.now());
    await sleep(50);
    expect(passed).toEqual([]);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
