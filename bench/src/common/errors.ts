import { SwitchyardError, type ErrorSubject } from '@switchyard/core';

/**
 * Every error code the benchmarks (match, proxy, compare) throw, in one registry. The README
 * explains what a run that stops with one of them means.
 */
export const BENCH_ERROR_CODES = {
  SWY_BENCH_BAD_OPTION: 'A command-line option has a value the harness cannot use (the field names the option).',
  SWY_BENCH_WRONG_ANSWER:
    'A subject or target answered a correctness-check request wrongly: a route other than the reference matcher’s; not from the upstream, another path forwarded, a wrong status, body or echo (the field names what differed).',
  SWY_BENCH_PROCESS_FAILED: 'A target, upstream or load process could not start, or exited or failed during the run.',
  SWY_BENCH_BASE_FAILED: 'The base ref of `bench:compare` could not be checked out or installed, or lacks what the compare runs from it.',
} as const;

export type BenchErrorCode = keyof typeof BENCH_ERROR_CODES;

/** An error of the benchmarks: core's `SwitchyardError` with a `SWY_BENCH_*` code; `subject` names the target. */
export class BenchError extends SwitchyardError<BenchErrorCode> {
  constructor(code: BenchErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The subject of an error about one benchmark target. */
export function targetSubject(id: string): ErrorSubject {
  return { kind: 'BenchTarget', name: id };
}
