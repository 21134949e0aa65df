import { SwitchyardError } from '@switchyard/core';

/**
 * Every error code `@switchyard/cli` throws, in one registry (the style of core's
 * `ERROR_CODES`). The README lists each with its cause and fix; a test keeps the two in step.
 * The command line prints any of them as one line, `switchyard: <message> [SWY_...]`, and exits
 * with `exitCode`: 2 for a command line it cannot run, 1 for a failure once running.
 */
export const CLI_ERROR_CODES = {
  // Exit 2: the command line is wrong.
  SWY_CLI_UNKNOWN_COMMAND: 'The first argument is not serve, check, explain or help.',
  SWY_CLI_USAGE: 'An unknown flag, a flag without its value, a stray argument, or flags that need each other given apart.',
  SWY_CLI_MISSING_OPTION: 'A required flag is missing: -f (or --kubernetes for serve), --host and --path for explain.',
  SWY_CLI_BAD_ADDRESS: 'A --listen, --tls-listen, --admin or --dns-servers value is not HOST:PORT with a port from 0 to 65535.',
  SWY_CLI_BAD_VALUE: 'A flag value is out of range or malformed (--workers not a whole number of at least 1, an empty name).',
  SWY_CLI_FILE_UNREADABLE: 'A -f path, --kubeconfig, --tls-cert or --tls-key file does not exist or cannot be read.',
  // Exit 1: the command could not do its work.
  SWY_CLI_MANIFESTS_INVALID: 'serve was started on manifests that do not all read and parse; nothing is served from part of them (a reload keeps the last good state instead).',
  SWY_CLI_KUBECONFIG_INVALID: 'The kubeconfig does not parse or names no cluster to talk to.',
  SWY_CLI_LISTEN_FAILED: 'The gateway could not listen (the address is in use, or not an address of this machine).',
  SWY_CLI_WORKER_FAILED: 'With --workers, a worker exited before it was listening, so the gateway could not start.',
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** Exit status of a command line the CLI cannot run (usage errors). */
export const EXIT_USAGE = 2;
/** Exit status of a command that ran and failed (errors found by `check`, a gateway that cannot start). */
export const EXIT_FAILURE = 1;

const USAGE_CODES: ReadonlySet<string> = new Set<CliErrorCode>([
  'SWY_CLI_UNKNOWN_COMMAND',
  'SWY_CLI_USAGE',
  'SWY_CLI_MISSING_OPTION',
  'SWY_CLI_BAD_ADDRESS',
  'SWY_CLI_BAD_VALUE',
  'SWY_CLI_FILE_UNREADABLE',
]);

/**
 * An error of `@switchyard/cli`: core's `SwitchyardError` with a `SWY_CLI_*` code. `field`
 * names the flag on the command line (`--listen`) or the option of the programmatic API
 * (`listen`), whichever was given.
 */
export class CliError extends SwitchyardError<CliErrorCode> {
  constructor(code: CliErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }

  /** The exit status the command line ends with for this error. */
  get exitCode(): number {
    return USAGE_CODES.has(this.code) ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/** True for an error of `@switchyard/cli`, optionally of one code. */
export function isCliError(value: unknown, code?: CliErrorCode): value is CliError {
  // By code, not by class: SwitchyardError's instanceof is by brand, across installed copies.
  return value instanceof SwitchyardError && Object.hasOwn(CLI_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}

/** Codes of other packages that mean the command line was wrong: a value they refused, a file named that is not there. */
const FOREIGN_USAGE = /_INVALID_OPTIONS$|_FILE_UNREADABLE$/;

/**
 * The exit status for any error the CLI meets: its own codes say; another package's
 * `*_INVALID_OPTIONS` or `*_FILE_UNREADABLE` is a flag value it refused (2); anything else is
 * a failure while running (1).
 */
export function exitCodeOf(error: unknown): number {
  if (isCliError(error)) return error.exitCode;
  if (error instanceof SwitchyardError && FOREIGN_USAGE.test(error.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}
