import { SwitchyardError, defineErrorCodes, type ErrorSubject } from '@switchyard/core';

/** How every benchmark error reaches the user: the run stops with one line and exit status 1. */
const ABORTS_THE_RUN = { as: 'thrown', exitCode: 1, note: 'the run stops with one line, `aborted [SWY_BENCH_...] <target> (<field>): <message>`' } as const;

/**
 * Every error code the benchmarks (match, proxy, compare) throw, in one registry (core's
 * `defineErrorCodes` shape). `docs/errors.md` is generated from it; the README explains what a
 * run that stops with one of them means.
 */
export const BENCH_ERROR_CODES = defineErrorCodes({
  SWY_BENCH_BAD_OPTION: {
    summary: 'A command-line option has a value the harness cannot use (the field names the option).',
    reaches: { ...ABORTS_THE_RUN, field: '`field` names the option' },
    cause: 'a command-line option has a value the harness cannot use.',
    fix: 'correct the value of the option `field` names.',
  },
  SWY_BENCH_WRONG_ANSWER: {
    summary: 'A subject or target answered a correctness-check request wrongly: a route other than the reference matcher’s; not from the upstream, another path forwarded, a wrong status, body or echo (the field names what differed).',
    reaches: { ...ABORTS_THE_RUN, field: '`field` names what differed, `subject` the target' },
    cause: 'a subject or target answered a correctness-check request wrongly: a route other than the reference matcher’s; not from the upstream, another path forwarded, a wrong status, body or echo. It stops the run before any timing.',
    fix: 'make the named subject or target answer as the reference (or the upstream) does; only those that answer right are timed.',
  },
  SWY_BENCH_PROCESS_FAILED: {
    summary: 'A target, upstream or load process could not start, or exited or failed during the run.',
    reaches: ABORTS_THE_RUN,
    cause: 'a target, upstream or load process could not start, or exited or failed during the run.',
    fix: "read the process's last stderr lines, which the message quotes (`subject` names the process or target), and fix what stopped it.",
  },
  SWY_BENCH_BASE_FAILED: {
    summary: 'The base ref of `bench:compare` could not be checked out or installed, or lacks what the compare runs from it.',
    reaches: ABORTS_THE_RUN,
    cause: 'the base ref of `bench:compare` could not be checked out (`git worktree add`) or installed (`pnpm install --offline`), or it lacks the Switchyard server or core entry the compare starts from it.',
    fix: 'name a commit of this repository that has `bench/src/proxy/servers/switchyard.ts` and `packages/core`, with its dependencies in the pnpm store (run an install of it once online).',
  },
});

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
