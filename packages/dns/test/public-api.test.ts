import * as dns from '@switchyard/dns';
import { expect, test } from 'vitest';

// The runtime names the package exports: adding or dropping one is a deliberate change of the
// public API (update the README's API section with it). Types are pinned in public-api.test-d.ts.
test('@switchyard/dns exports exactly its documented names', () => {
  expect(Object.keys(dns).sort()).toEqual([
    'DEFAULT_FAMILY',
    'DEFAULT_MAX_NAMES',
    'DEFAULT_MAX_TTL_MS',
    'DEFAULT_MIN_TTL_MS',
    'DEFAULT_NEGATIVE_TTL_MS',
    'DEFAULT_STALE_FOR_MS',
    'DEFAULT_TIMEOUT_MS',
    'DEFAULT_TRIES',
    'DNS_ERROR_CODES',
    'DnsError',
    'MAX_CNAME_HOPS',
    'createDnsDiscovery',
    'isDnsError',
  ]);
});
