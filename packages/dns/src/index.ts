// Everything here is documented in README.md; test/public-api.test.ts pins the list.
export { createDnsDiscovery, type DnsDiscovery, type WatchNameOptions } from './dns-discovery.js';
export {
  DEFAULT_FAMILY,
  DEFAULT_MAX_NAMES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_MIN_TTL_MS,
  DEFAULT_NEGATIVE_TTL_MS,
  DEFAULT_STALE_FOR_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIES,
  type AddressFamily,
  type DnsDiscoveryOptions,
} from './options.js';
export { DNS_ERROR_CODES, DnsError, isDnsError, type DnsErrorCode, type DnsErrorOptions } from './errors.js';
export { MAX_CNAME_HOPS } from './resolve-addresses.js';
