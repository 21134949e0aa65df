import { createDnsDiscovery, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Pushed, sleep } from './helpers/watch.js';
import { DnsTestServer, eventually } from '@switchyard/test-utils';

/** Answers are refreshed on the record TTL, clamped to [minTtlMs, maxTtlMs]; only changes are pushed. */

let server: DnsTestServer;
let dns: DnsDiscovery;

beforeEach(async () => {
  server = await DnsTestServer.start();
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

describe('refresh on the TTL', () => {
  test('the first set holds every address at the port, sorted and deduplicated, ready and serving', async () => {
    server.set('api.test', { a: [{ address: '10.0.0.2', ttl: 60 }, { address: '10.0.0.1', ttl: 60 }, { address: '10.0.0.2', ttl: 60 }] });
    dns = createDnsDiscovery({ servers: [server.address] });
    const pushed = new Pushed();
    dns.watchName('api.test', 443, pushed.onChange, { backendKey: 'shop/api:443' });
    await dns.ready();
    expect(pushed.sets).toEqual([
      {
        backendKey: 'shop/api:443',
        version: 1,
        stale: false,
        endpoints: [
          { address: '10.0.0.1', port: 443, ready: true, serving: true, terminating: false, externalName: 'api.test' },
          { address: '10.0.0.2', port: 443, ready: true, serving: true, terminating: false, externalName: 'api.test' },
        ],
      },
    ]);
    expect(Object.isFrozen(pushed.last)).toBe(true);
  });

  test('the backendKey defaults to hostname:port', async () => {
    server.set('api.test', { a: [{ address: '10.0.0.1', ttl: 60 }] });
    dns = createDnsDiscovery({ servers: [server.address] });
    const pushed = new Pushed();
    dns.watchName('api.test', 8080, pushed.onChange);
    await dns.ready();
    expect(pushed.last?.backendKey).toBe('api.test:8080');
  });

  test('a 1 s record is asked again about every second, and a changed answer is pushed with a higher version', async () => {
    server.set('api.test', { a: [{ address: '10.0.0.1', ttl: 1 }] });
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 200, maxTtlMs: 10_000 });
    const pushed = new Pushed();
    dns.watchName('api.test', 80, pushed.onChange);
    await dns.ready();
    expect(server.queries('api.test', 'A')).toHaveLength(1);

    await eventually('the refresh after the 1 s TTL', () => server.queries('api.test').length >= 2);
    // The unchanged answer was not pushed again.
    expect(pushed.sets).toHaveLength(1);

    server.set('api.test', { a: [{ address: '10.0.0.9', ttl: 1 }] });
    await eventually('the changed answer', () => pushed.addresses.includes('10.0.0.9'));
    expect(pushed.sets.map((s) => s.version)).toEqual([1, 2]);
    expect(pushed.last).toMatchObject({ stale: false, endpoints: [{ address: '10.0.0.9', port: 80 }] });
    expect(pushed.last?.problem).toBeUndefined();
  });

  test('a TTL of 0 is raised to minTtlMs', async () => {
    server.set('zero.test', { a: [{ address: '10.0.0.1', ttl: 0 }] });
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 200, maxTtlMs: 10_000 });
    dns.watchName('zero.test', 80, () => {});
    await dns.ready();
    await sleep(700);
    // About 4 queries in 700 ms at 200 ms apart; never the tight loop a TTL of 0 would give.
    const count = server.queries('zero.test').length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(5);
  });

  test('a long TTL is lowered to maxTtlMs', async () => {
    server.set('long.test', { a: [{ address: '10.0.0.1', ttl: 3600 }] });
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 200 });
    dns.watchName('long.test', 80, () => {});
    await eventually('refreshes every maxTtlMs despite a 1 h TTL', () => server.queries('long.test').length >= 3);
  });

  test('the smallest TTL of the answer counts', async () => {
    server.set('mixed.test', { a: [{ address: '10.0.0.1', ttl: 3600 }, { address: '10.0.0.2', ttl: 0 }] });
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 60_000 });
    dns.watchName('mixed.test', 80, () => {});
    await eventually('refreshes every minTtlMs for the TTL 0 record', () => server.queries('mixed.test').length >= 3);
  });
});

describe('address families', () => {
  const records = { a: [{ address: '10.0.0.1', ttl: 60 }], aaaa: [{ address: '2001:db8::1', ttl: 60 }] };

  test.each([
    ['ipv4', ['10.0.0.1'], ['A']],
    ['ipv6', ['2001:db8::1'], ['AAAA']],
    ['both', ['10.0.0.1', '2001:db8::1'], ['A', 'AAAA']],
  ] as const)('family %s resolves %j with %j queries', async (family, addresses, types) => {
    server.set('dual.test', records);
    dns = createDnsDiscovery({ servers: [server.address], family });
    const pushed = new Pushed();
    dns.watchName('dual.test', 80, pushed.onChange);
    await dns.ready();
    expect(pushed.addresses).toEqual(addresses);
    expect(server.queries('dual.test').map((q) => q.type).sort()).toEqual(types);
  });

  test('both families: a name with A records only still resolves', async () => {
    server.set('v4.test', { a: [{ address: '10.0.0.1', ttl: 60 }] });
    dns = createDnsDiscovery({ servers: [server.address], family: 'both' });
    const pushed = new Pushed();
    dns.watchName('v4.test', 80, pushed.onChange);
    await dns.ready();
    expect(pushed.addresses).toEqual(['10.0.0.1']);
    expect(pushed.last?.problem).toBeUndefined();
  });
});
