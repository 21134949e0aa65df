import { executionAsyncResource } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import '@switchyard/fastify';
import { retainedTickObject } from '../../src/proxy/tick-shape.js';

// V8's natives, enabled at run time for this worker only: the hidden-class comparison and a full GC.
setFlagsFromString('--allow-natives-syntax');
setFlagsFromString('--expose-gc');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const fullGc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-allow-natives-syntax');

function nextTickEntry(): Promise<object> {
  return new Promise((resolve) => process.nextTick(() => resolve(executionAsyncResource())));
}

test('loading the package keeps one of Node’s nextTick entries alive', async () => {
  await nextTickEntry();
  const retained = retainedTickObject();
  expect(retained).toBeDefined();
  // The shape of Node's tick entry, which the retention exists for: a Node that builds it otherwise fails here.
  expect(Object.getOwnPropertyNames(retained)).toEqual(['callback', 'args']);
  expect(Object.getOwnPropertySymbols(retained).map(String)).toEqual(['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)']);
});

// Without a live entry, V8 frees the entry's hidden classes at a major GC and the next tick
// gets new ones (checked by hand with %DebugPrint; not assertable without holding an entry).
test('after major GCs with no tick queued, a new nextTick entry has the retained entry’s hidden class', async () => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    fullGc();
  }
  expect(haveSameMap(await nextTickEntry(), retainedTickObject()!)).toBe(true);
});
