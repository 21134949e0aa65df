// The public types of @switchyard/dns. Type-checked by `tsc -b` (see vitest.config.ts); a
// change here is a change of the public API.
import { SwitchyardError, type EndpointSet, type ExternalNameResolver } from '@switchyard/core';
import {
  DEFAULT_FAMILY,
  DEFAULT_MAX_NAMES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_MIN_TTL_MS,
  DEFAULT_NEGATIVE_TTL_MS,
  DEFAULT_STALE_FOR_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIES,
  DNS_ERROR_CODES,
  DnsError,
  MAX_CNAME_HOPS,
  createDnsDiscovery,
  isDnsError,
  type AddressFamily,
  type DnsDiscovery,
  type DnsDiscoveryOptions,
  type DnsErrorCode,
  type DnsErrorOptions,
  type WatchNameOptions,
} from '@switchyard/dns';
import { describe, expectTypeOf, test } from 'vitest';

describe('@switchyard/dns', () => {
  test('createDnsDiscovery and what it returns', () => {
    expectTypeOf(createDnsDiscovery).toEqualTypeOf<(options?: DnsDiscoveryOptions) => DnsDiscovery>();
    expectTypeOf<DnsDiscovery>().toMatchTypeOf<ExternalNameResolver>();
    expectTypeOf<DnsDiscovery['watchName']>().toEqualTypeOf<
      (hostname: string, port: number, onChange: (set: EndpointSet) => void, options?: WatchNameOptions) => () => void
    >();
    expectTypeOf<DnsDiscovery['ready']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<DnsDiscovery['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<WatchNameOptions>().toEqualTypeOf<{ readonly backendKey?: string }>();
  });

  test('options and their defaults', () => {
    expectTypeOf<DnsDiscoveryOptions>().toEqualTypeOf<{
      readonly servers?: readonly string[];
      readonly minTtlMs?: number;
      readonly maxTtlMs?: number;
      readonly staleForMs?: number;
      readonly negativeTtlMs?: number;
      readonly timeoutMs?: number;
      readonly tries?: number;
      readonly maxNames?: number;
      readonly family?: AddressFamily;
    }>();
    expectTypeOf<AddressFamily>().toEqualTypeOf<'ipv4' | 'ipv6' | 'both'>();
    expectTypeOf(DEFAULT_FAMILY).toEqualTypeOf<AddressFamily>();
    for (const value of [DEFAULT_MAX_NAMES, DEFAULT_MAX_TTL_MS, DEFAULT_MIN_TTL_MS, DEFAULT_NEGATIVE_TTL_MS, DEFAULT_STALE_FOR_MS, DEFAULT_TIMEOUT_MS, DEFAULT_TRIES, MAX_CNAME_HOPS]) {
      expectTypeOf(value).toEqualTypeOf<number>();
    }
  });

  test('errors', () => {
    expectTypeOf<DnsErrorCode>().toEqualTypeOf<keyof typeof DNS_ERROR_CODES>();
    expectTypeOf<DnsErrorCode>().toEqualTypeOf<
      'SWY_DNS_INVALID_OPTIONS' | 'SWY_DNS_INVALID_ARGUMENT' | 'SWY_DNS_CLOSED' | 'SWY_DNS_NOT_FOUND' | 'SWY_DNS_SERVER_FAILED' | 'SWY_DNS_TIMEOUT'
    >();
    expectTypeOf<DnsError>().toMatchTypeOf<SwitchyardError<DnsErrorCode>>();
    expectTypeOf<DnsError['code']>().toEqualTypeOf<DnsErrorCode>();
    expectTypeOf(DnsError).constructorParameters.toEqualTypeOf<[code: DnsErrorCode, message: string, options?: DnsErrorOptions]>();
    expectTypeOf<DnsErrorOptions>().toEqualTypeOf<{ readonly field?: string; readonly cause?: unknown }>();
    expectTypeOf(isDnsError).guards.toEqualTypeOf<DnsError>();
    expectTypeOf(isDnsError).parameters.toEqualTypeOf<[value: unknown, code?: DnsErrorCode]>();
  });
});
