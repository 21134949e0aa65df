import { SwitchyardError, defineErrorCodes } from '@switchyard/core';

/**
 * Every error code `@switchyard/dns` throws or reports, in one registry (core's
 * `defineErrorCodes` shape). `docs/errors.md` is generated from it; a test keeps the two in step.
 * Thrown codes come as a `DnsError`; problem codes are carried in `set.problem`
 * (`{ code, message, since }`, `since` being when the trouble began).
 */
export const DNS_ERROR_CODES = defineErrorCodes({
  // Thrown: API misuse.
  SWY_DNS_INVALID_OPTIONS: {
    summary: 'createDnsDiscovery() was given options of the wrong shape; `field` names the option.',
    reaches: { as: 'thrown', via: 'by `createDnsDiscovery()`', field: '`field` names the option' },
    cause: '`createDnsDiscovery()` got an option of the wrong type or range, an unknown option, a server that is no IP address, or `maxTtlMs < minTtlMs`.',
    fix: 'correct that option.',
  },
  SWY_DNS_INVALID_ARGUMENT: {
    summary: 'watchName() was given a hostname, port, callback or backendKey of the wrong shape; `field` names it.',
    reaches: { as: 'thrown', via: 'by `watchName()`', field: '`field` names the argument' },
    cause: '`watchName()` got a malformed hostname, a port outside 1-65535, no callback or an empty `backendKey`.',
    fix: 'pass a DNS name or IP literal and a port number.',
  },
  SWY_DNS_CLOSED: {
    summary: 'watchName() was called after close().',
    reaches: { as: 'thrown', via: 'by `watchName()`' },
    cause: '`watchName()` after `close()`.',
    fix: 'create a new discovery.',
  },
  // Endpoint set problems: the set is empty (or stale) and says why.
  SWY_DNS_NOT_FOUND: {
    summary: 'The name does not exist (NXDOMAIN) or has no address of the family asked for (NODATA).',
    reaches: { as: 'problem', note: 'the set is empty' },
    cause: 'NXDOMAIN (the name does not exist) or NODATA (no record of the family asked for), or a CNAME loop.',
    fix: 'fix the name or its records, or the `family`; it is asked again after `negativeTtlMs`.',
  },
  SWY_DNS_SERVER_FAILED: {
    summary: 'The DNS server failed the query (SERVFAIL, REFUSED, a bad answer or an unreachable server).',
    reaches: { as: 'problem', note: 'the set is stale, then empty' },
    cause: 'the server answered SERVFAIL or REFUSED, a bad answer, or could not be reached.',
    fix: 'check the server (`servers`) and that it may recurse for this name.',
  },
  SWY_DNS_TIMEOUT: {
    summary: 'The DNS server did not answer within timeoutMs on any try.',
    reaches: { as: 'problem', note: 'the set is stale, then empty' },
    cause: 'no answer within `timeoutMs` on any of the `tries`.',
    fix: 'check the server is reachable; raise `timeoutMs` or `tries`.',
  },
});

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
