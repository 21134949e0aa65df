import { SwitchyardError, defineErrorCodes } from '@switchyard/core';

/** Exit status of a command line the CLI cannot run (usage errors). */
export const EXIT_USAGE = 2;
/** Exit status of a command that ran and failed (errors found by `check`, a gateway that cannot start). */
export const EXIT_FAILURE = 1;

/**
 * Every error code `@switchyard/cli` throws, in one registry (core's `defineErrorCodes` shape).
 * `docs/errors.md` is generated from it; a test keeps the two in step. The command line prints
 * any of them as one line, `switchyard: <message> [SWY_...]`, and exits with `exitCode`: 2 for a
 * command line it cannot run, 1 for a failure once running.
 */
export const CLI_ERROR_CODES = defineErrorCodes({
  // Exit 2: the command line is wrong.
  SWY_CLI_UNKNOWN_COMMAND: {
    summary: 'The first argument is not serve, check, explain or help.',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE },
    cause: 'no command, or one other than serve, check, explain, help.',
    fix: '`switchyard --help`.',
  },
  SWY_CLI_USAGE: {
    summary: 'An unknown flag, a flag without its value, a stray argument, or flags that need each other given apart.',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE },
    cause: 'an unknown flag, a flag without its value, a stray argument, or flags that need each other given apart (`--tls-cert` without `--tls-key`, `-f` with `--kubernetes`).',
    fix: '`switchyard <command> --help`.',
  },
  SWY_CLI_MISSING_OPTION: {
    summary: 'A required flag is missing: -f (or --kubernetes for serve), --host and --path for explain.',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE, field: '`field` names the flag or option' },
    cause: '`-f` missing (or `--kubernetes` for serve), `--host`/`--path` missing for explain.',
    fix: 'give the flag `field` names.',
  },
  SWY_CLI_BAD_ADDRESS: {
    summary: 'A --listen, --tls-listen, --admin or --dns-servers value is not HOST:PORT with a port from 0 to 65535.',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE, field: '`field` names the flag or option' },
    cause: '`--listen`, `--tls-listen`, `--admin` or `--dns-servers` is not `HOST:PORT` / `IP[:PORT]` with a valid port.',
    fix: '`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0`.',
  },
  SWY_CLI_BAD_VALUE: {
    summary: 'A flag value is out of range or malformed (--workers not a whole number of at least 1, an empty name).',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE, field: '`field` names the flag or option' },
    cause: 'a value out of range or malformed: `--workers` not 1 to 256, an empty name, an `explain` host or path no request could carry.',
    fix: 'fix the value `field` names.',
  },
  SWY_CLI_FILE_UNREADABLE: {
    summary: 'A -f path, --kubeconfig, --tls-cert or --tls-key file does not exist or cannot be read.',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE },
    cause: 'a `-f` path, `--kubeconfig`, `--tls-cert` or `--tls-key` does not exist or cannot be read.',
    fix: 'check the path and its permissions.',
  },
  SWY_CLI_FILE_UNWRITABLE: {
    summary: 'The --access-log file cannot be opened for appending (its directory does not exist, it is a directory, or permission is denied).',
    reaches: { as: 'thrown', exitCode: EXIT_USAGE, field: '`field` names the flag (`--access-log`)' },
    cause: 'the `--access-log` path is in a directory that does not exist, is a directory, or cannot be written.',
    fix: 'create the directory, or give another path (`stdout`, `stderr` and `off` are not paths).',
  },
  // Exit 1: the command could not do its work.
  SWY_CLI_MANIFESTS_INVALID: {
    summary: 'serve was started on manifests that do not all read and parse; nothing is served from part of them (a reload keeps the last good state instead).',
    reaches: { as: 'thrown', exitCode: EXIT_FAILURE },
    cause: '`serve` started on manifests with a file it cannot read or a document that does not parse.',
    fix: '`switchyard check -f ...` shows where.',
  },
  SWY_CLI_KUBECONFIG_INVALID: {
    summary: 'The kubeconfig does not parse or names no cluster to talk to.',
    reaches: { as: 'thrown', exitCode: EXIT_FAILURE },
    cause: 'no kubeconfig found, or it does not parse or names no cluster.',
    fix: '`--kubeconfig`, `KUBECONFIG`, or run in a pod with a service account.',
  },
  SWY_CLI_LISTEN_FAILED: {
    summary: 'The gateway could not listen (the address is in use, or not an address of this machine).',
    reaches: { as: 'thrown', exitCode: EXIT_FAILURE },
    cause: 'an address is in use, not on this machine, or privileged.',
    fix: 'another port, or free the address.',
  },
  SWY_CLI_WORKER_FAILED: {
    summary: 'With --workers, a worker exited before it was listening, so the gateway could not start.',
    reaches: { as: 'thrown', exitCode: EXIT_FAILURE },
    cause: 'with `--workers`, a worker exited before the gateway was listening.',
    fix: "the worker's line just above says why.",
  },
  // Not thrown: what check, explain and serve tell about the files.
  SWY_CLI_GATEWAY_API_NOT_SERVED: {
    summary: 'The files hold Gateway API objects (Gateways, HTTPRoutes, ...) but no --gateway-class was given, so they are not served.',
    reaches: { as: 'diagnostic', severity: 'info', via: '`check`, `explain` and `serve` (on stderr, once)', note: 'one per run; the message names the GatewayClasses the Gateways use' },
    cause: 'Gateway API objects in the files, and no `--gateway-class`.',
    fix: 'give `--gateway-class NAME` (and `--gateway NS/NAME` to narrow) to serve them; nothing to do if they are not meant for this gateway.',
  },
  SWY_CLI_GATEWAY_PORTS_CHANGED: {
    summary: 'A reload changed which Gateway listener ports are served (or a port\'s protocol); a running gateway cannot bind or unbind them.',
    reaches: { as: 'reported', via: '`serve` on stderr and in the `/readyz` status (`gateway.restartNeeded`)', note: 'the new routes of the ports already bound are served; added ports are not listened on and removed ones keep answering 404' },
    cause: 'an edit added or removed a Gateway listener port, or changed a port between HTTP and HTTPS.',
    fix: 'restart `switchyard serve` (with a `--bind` for each new port below 1024).',
  },
});

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

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
    return (CLI_ERROR_CODES[this.code].reaches as { exitCode?: number }).exitCode ?? EXIT_FAILURE;
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
