import { SwitchyardError } from '@switchyard/core';

/**
 * Every error code `@switchyard/dns` throws or reports, in one registry (the same style as
 * core's `ERROR_CODES`). `packages/dns/README.md` lists each with its cause and fix; a test
 * keeps the two in step.
 */
export const DNS_ERROR_CODES = {
  // Thrown: API misuse.
  SWY_DNS_INVALID_OPTIONS: 'createDnsDiscovery() was given options of the wrong shape; `field` names the option.',
  SWY_DNS_INVALID_ARGUMENT: 'watchName() was given a hostname, port, callback or backendKey of the wrong shape; `field` names it.',
  SWY_DNS_CLOSED: 'watchName() was called after close().',
  // Endpoint set problems: the set is empty (or stale) and says why.
  SWY_DNS_NOT_FOUND: 'The name does not exist (NXDOMAIN) or has no address of the family asked for (NODATA).',
  SWY_DNS_SERVER_FAILED: 'The DNS server failed the query (SERVFAIL, REFUSED, a bad answer or an unreachable server).',
  SWY_DNS_TIMEOUT: 'The DNS server did not answer within timeoutMs on any try.',
} as const;

/** A stable `SWY_DNS_*` error or problem code. */
export type DnsErrorCode = keyof typeof DNS_ERROR_CODES;

/** The options a `DnsError` can carry besides its code and message. */
export interface DnsErrorOptions {
  /** The option or argument at fault (`maxTtlMs`, `servers[1]`, `port`). */
  readonly field?: string;
  readonly cause?: unknown;
}

/**
 * The error `@switchyard/dns` throws, for API misuse only (resolution problems are carried in
 * the `EndpointSet`, never thrown): core's `SwitchyardError` with a `SWY_DNS_*` code, so
 * `err instanceof SwitchyardError` and `isSwitchyardError(err)` hold; test the code with
 * `isDnsError(err, 'SWY_DNS_...')`.
 */
export class DnsError extends SwitchyardError<DnsErrorCode> {
  constructor(code: DnsErrorCode, message: string, options: DnsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/dns`, optionally of one code. */
export function isDnsError(value: unknown, code?: DnsErrorCode): value is DnsError {
  return (
    value instanceof SwitchyardError &&
    typeof value.code === 'string' &&
    Object.hasOwn(DNS_ERROR_CODES, value.code) &&
    (code === undefined || value.code === code)
  );
}
