import { createDnsDiscovery, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Pushed } from './helpers/watch.js';
import { DnsTestServer, eventually } from '@switchyard/test-utils';

/** Negative answers (NXDOMAIN, NODATA) empty the set at once and are asked again after negativeTtlMs. */

let server: DnsTestServer;
let dns: DnsDiscovery;

beforeEach(async () => {
  server = await DnsTestServer.start();
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

test('NXDOMAIN: an empty set with SWY_DNS_NOT_FOUND; the name appearing later fills it', async () => {
  dns = createDnsDiscovery({ servers: [server.address], negativeTtlMs: 200 });
  const pushed = new Pushed();
  dns.watchName('later.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.sets).toEqual([
    { backendKey: 'later.test:443', version: 1, stale: false, endpoints: [], problem: expect.objectContaining({ code: 'SWY_DNS_NOT_FOUND' }) },
  ]);
  // Asked again after negativeTtlMs, and the same negative answer is not pushed again.
  await eventually('two more negative queries', () => server.queries('later.test').length >= 3);
  expect(pushed.sets).toHaveLength(1);

  server.set('later.test', { a: [{ address: '10.0.0.5', ttl: 60 }] });
  await eventually('the name to appear', () => pushed.addresses.join() === '10.0.0.5');
  expect(pushed.last).toMatchObject({ version: 2, stale: false });
  expect(pushed.last?.problem).toBeUndefined();
});

test('a name that goes away: the set empties at once (a negative answer is an answer, not a failure)', async () => {
  server.set('api.test', { a: [{ address: '10.0.0.1', ttl: 1 }] });
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 200, staleForMs: 60_000 });
  const pushed = new Pushed();
  dns.watchName('api.test', 443, pushed.onChange);
  await dns.ready();
  server.set('api.test', 'nxdomain');
  await eventually('the negative answer', () => pushed.sets.length >= 2);
  expect(pushed.last).toMatchObject({ version: 2, stale: false, endpoints: [], problem: { code: 'SWY_DNS_NOT_FOUND' } });
});

test('NODATA (the name exists, no A records): SWY_DNS_NOT_FOUND', async () => {
  server.set('v6only.test', { aaaa: [{ address: '2001:db8::1', ttl: 60 }] });
  dns = createDnsDiscovery({ servers: [server.address] });
  const pushed = new Pushed();
  dns.watchName('v6only.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.last).toMatchObject({ endpoints: [], problem: { code: 'SWY_DNS_NOT_FOUND' } });
});

test('a server failure after a negative answer changes the problem', async () => {
  dns = createDnsDiscovery({ servers: [server.address], negativeTtlMs: 100, minTtlMs: 100, timeoutMs: 100, tries: 1 });
  const pushed = new Pushed();
  dns.watchName('missing.test', 443, pushed.onChange);
  await dns.ready();
  server.setMode('servfail');
  await eventually('the failure', () => pushed.sets.length >= 2);
  expect(pushed.sets.map((s) => s.problem?.code)).toEqual(['SWY_DNS_NOT_FOUND', 'SWY_DNS_SERVER_FAILED']);
  expect(pushed.last).toMatchObject({ endpoints: [], stale: false });
});
