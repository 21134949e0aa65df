import {
  createDnsDiscovery,
  DEFAULT_FAMILY,
  DEFAULT_MAX_NAMES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_MIN_TTL_MS,
  DEFAULT_NEGATIVE_TTL_MS,
  DEFAULT_STALE_FOR_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TRIES,
  isDnsError,
  type DnsDiscoveryOptions,
} from '@switchyard/dns';
import { afterAll, describe, expect, test } from 'vitest';
import { DnsTestServer, thrown } from '@switchyard/test-utils';

/** Options are validated once, at createDnsDiscovery(); watchName() arguments on each call. */

describe('createDnsDiscovery() options', () => {
  test('the defaults are sane and consistent', () => {
    expect(DEFAULT_MIN_TTL_MS).toBeLessThanOrEqual(DEFAULT_MAX_TTL_MS);
    expect([DEFAULT_STALE_FOR_MS, DEFAULT_NEGATIVE_TTL_MS, DEFAULT_TIMEOUT_MS, DEFAULT_TRIES, DEFAULT_MAX_NAMES].every((n) => n > 0)).toBe(true);
    expect(DEFAULT_FAMILY).toBe('ipv4');
  });

  test.each([
    ['no options', undefined],
    ['empty options', {}],
    ['every option', { servers: ['127.0.0.1:5353', '[::1]:53', '10.0.0.10'], minTtlMs: 1, maxTtlMs: 1, staleForMs: 0, negativeTtlMs: 1, timeoutMs: 1, tries: 1, maxNames: 0, family: 'both' }],
  ] as const)('%s are accepted', async (_what, options) => {
    await createDnsDiscovery(options as DnsDiscoveryOptions | undefined).close();
  });

  test.each([
    ['options not an object', 'x', 'options'],
    ['an unknown option (a typo)', { minTTLMs: 5 }, 'minTTLMs'],
    ['servers not an array', { servers: '127.0.0.1' }, 'servers'],
    ['servers empty', { servers: [] }, 'servers'],
    ['a server that is no address', { servers: ['127.0.0.1', 'dns.example.com'] }, 'servers[1]'],
    ['a server that is no string', { servers: [53] }, 'servers[0]'],
    ['a negative minTtlMs', { minTtlMs: -1 }, 'minTtlMs'],
    ['a minTtlMs of 0', { minTtlMs: 0 }, 'minTtlMs'],
    ['a fractional maxTtlMs', { maxTtlMs: 1.5 }, 'maxTtlMs'],
    ['maxTtlMs below minTtlMs', { minTtlMs: 1_000, maxTtlMs: 999 }, 'maxTtlMs'],
    ['maxTtlMs past what setTimeout takes', { maxTtlMs: 2 ** 31 }, 'maxTtlMs'],
    ['a string staleForMs', { staleForMs: '60s' }, 'staleForMs'],
    ['a NaN negativeTtlMs', { negativeTtlMs: Number.NaN }, 'negativeTtlMs'],
    ['a timeoutMs of 0', { timeoutMs: 0 }, 'timeoutMs'],
    ['tries of 0', { tries: 0 }, 'tries'],
    ['a negative maxNames', { maxNames: -1 }, 'maxNames'],
    ['an unknown family', { family: 'ipv5' }, 'family'],
  ])('%s throws SWY_DNS_INVALID_OPTIONS at %s', (_what, options, field) => {
    const error = thrown(() => createDnsDiscovery(options as unknown as DnsDiscoveryOptions));
    expect(isDnsError(error, 'SWY_DNS_INVALID_OPTIONS')).toBe(true);
    expect(error).toMatchObject({ field });
  });
});

describe('watchName() arguments', () => {
  const dns = createDnsDiscovery({ servers: ['127.0.0.1:9'] });
  afterAll(() => dns.close());

  test.each([
    ['an empty hostname', ['', 80, () => {}], 'hostname'],
    ['a hostname with a space', ['api example.com', 80, () => {}], 'hostname'],
    ['a hostname with an empty label', ['api..example.com', 80, () => {}], 'hostname'],
    ['a hostname with a port', ['api.example.com:80', 80, () => {}], 'hostname'],
    ['a label of 64 characters', [`${'a'.repeat(64)}.com`, 80, () => {}], 'hostname'],
    ['a hostname that is no string', [42, 80, () => {}], 'hostname'],
    ['port 0', ['api.example.com', 0, () => {}], 'port'],
    ['port 65536', ['api.example.com', 65536, () => {}], 'port'],
    ['a port name', ['api.example.com', 'https', () => {}], 'port'],
    ['no callback', ['api.example.com', 80, undefined], 'onChange'],
    ['an empty backendKey', ['api.example.com', 80, () => {}, { backendKey: '' }], 'backendKey'],
  ])('%s throws SWY_DNS_INVALID_ARGUMENT at %s', (_what, args, field) => {
    const watchName = dns.watchName.bind(dns) as (...args: unknown[]) => unknown;
    const error = thrown(() => watchName(...args));
    expect(isDnsError(error, 'SWY_DNS_INVALID_ARGUMENT')).toBe(true);
    expect(error).toMatchObject({ field });
  });

  test('names are case-insensitive and a trailing dot is the same name', async () => {
    const server = await DnsTestServer.start();
    server.set('api.example.com', { a: [{ address: '10.0.0.1', ttl: 300 }] });
    const resolver = createDnsDiscovery({ servers: [server.address] });
    try {
      const answers: string[][] = [];
      const stops = ['API.Example.com', 'api.example.com.', 'api.example.com'].map((name, i) =>
        resolver.watchName(name, 80, (set) => (answers[i] = set.endpoints.map((e) => e.address))),
      );
      await resolver.ready();
      // One name, so one watch loop: a single A query, and every spelling gets its answer.
      expect(server.queries('api.example.com', 'A')).toHaveLength(1);
      expect(answers).toEqual([['10.0.0.1'], ['10.0.0.1'], ['10.0.0.1']]);
      for (const stop of stops) stop();
    } finally {
      await resolver.close();
      await server.close();
    }
  });
});
