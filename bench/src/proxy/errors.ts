import { SwitchyardError, type ErrorSubject } from '@switchyard/core';

/**
 * Every error code the proxy benchmark throws, in one registry. The README explains what a
 * run that stops with one of them means.
 */
export const PROXY_BENCH_ERROR_CODES = {
  SWY_BENCH_BAD_OPTION: 'A command-line option has a value the harness cannot use (the field names the option).',
  SWY_BENCH_WRONG_ANSWER: 'A target answered a correctness-check request wrongly: not from the upstream, another path forwarded, a wrong status, body or echo (the field names what differed).',
  SWY_BENCH_PROCESS_FAILED: 'A target, upstream or load process could not start, or exited or failed during the run.',
  SWY_BENCH_LOAD_ERRORS: 'A scenario that must be error-free (table swaps during load) saw errors or non-2xx answers, or fewer swaps than asked.',
} as const;

export type ProxyBenchErrorCode = keyof typeof PROXY_BENCH_ERROR_CODES;

/** An error of the proxy benchmark: core's `SwitchyardError` with a `SWY_BENCH_*` code; `subject` names the target. */
export class ProxyBenchError extends SwitchyardError<ProxyBenchErrorCode> {
  constructor(code: ProxyBenchErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The subject of an error about one benchmark target. */
export function targetSubject(id: string): ErrorSubject {
  return { kind: 'BenchTarget', name: id };
}
