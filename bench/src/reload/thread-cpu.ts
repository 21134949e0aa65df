import { readFileSync } from 'node:fs';
import { BenchError } from '../common/errors.js';

/**
 * CPU time of one thread in nanoseconds, from the first field of Linux's
 * `/proc/PID/task/TID/schedstat` (time spent on a CPU). A process's main thread has the
 * process's id as its thread id: that is the thread serving requests.
 */
export function threadCpuNs(pid: number, tid: number = pid): number {
  const path = `/proc/${pid}/task/${tid}/schedstat`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new BenchError('SWY_BENCH_PROCESS_FAILED', `cannot read ${path}: bench:reload measures a thread's CPU through Linux's /proc`, { subject: { kind: 'BenchProcess', name: String(pid) }, cause });
  }
  return parseSchedstat(text, path);
}

/** The on-CPU nanoseconds of a schedstat line (`on-cpu-ns wait-ns timeslices`). */
export function parseSchedstat(text: string, where = 'schedstat'): number {
  const first = text.trim().split(/\s+/)[0];
  const ns = Number(first);
  if (first === undefined || first === '' || !Number.isSafeInteger(ns) || ns < 0) {
    throw new BenchError('SWY_BENCH_PROCESS_FAILED', `${where}: expected a count of nanoseconds first, got ${JSON.stringify(text.slice(0, 60))}`, { subject: { kind: 'BenchProcess', name: where } });
  }
  return ns;
}
