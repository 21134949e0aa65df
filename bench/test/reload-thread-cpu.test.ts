import { readlinkSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parseSchedstat, threadCpuNs } from '../src/reload/thread-cpu.js';

test('a schedstat line gives its on-CPU nanoseconds; anything else is an error naming the file', () => {
  expect(parseSchedstat('123456789 2345 67\n')).toBe(123456789);
  expect(() => parseSchedstat('', '/proc/1/task/1/schedstat')).toThrow(/\/proc\/1\/task\/1\/schedstat: expected a count of nanoseconds/);
  expect(() => parseSchedstat('abc 1 2')).toThrow(/expected a count of nanoseconds/);
});

test('the thread running this test has used some CPU, and more after some work', () => {
  // The test may run on a worker thread: its own id, from /proc/thread-self (`PID/task/TID`).
  const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  const before = threadCpuNs(process.pid, tid);
  expect(before).toBeGreaterThan(0);
  let spin = 0;
  for (const end = performance.now() + 20; performance.now() < end; ) spin++;
  expect(spin).toBeGreaterThan(0);
  expect(threadCpuNs(process.pid, tid)).toBeGreaterThan(before);
});
