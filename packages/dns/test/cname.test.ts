import { createDnsDiscovery, MAX_CNAME_HOPS, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Pushed } from './helpers/watch.js';
import { DnsTestServer, eventually } from '@switchyard/test-utils';

/**
 * CNAMEs. node:dns (c-ares) follows a chain that is in the answer, as a recursive server sends
 * it, and takes the smallest TTL along it. A server that stops at a CNAME gets an empty answer
 * from c-ares (no error), so the discovery follows that CNAME itself.
 */

let server: DnsTestServer;
let dns: DnsDiscovery;

beforeEach(async () => {
  server = await DnsTestServer.start();
  server
    .set('www.test', { cname: { target: 'edge.test', ttl: 0 } })
    .set('edge.test', { cname: { target: 'origin.test', ttl: 300 } })
    .set('origin.test', { a: [{ address: '10.0.0.2', ttl: 300 }, { address: '10.0.0.1', ttl: 300 }] });
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

test('a chain in the answer resolves to the final addresses in one query per refresh, with the smallest TTL along the chain', async () => {
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 60_000 });
  const pushed = new Pushed();
  dns.watchName('www.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.addresses).toEqual(['10.0.0.1', '10.0.0.2']);
  expect(server.queries().map((q) => `${q.name} ${q.type}`)).toEqual(['www.test A']);
  // The TTL 0 CNAME (raised to minTtlMs), not the 300 s A records, sets the refresh.
  await eventually('refreshes every minTtlMs', () => server.queries('www.test').length >= 3);
});

test('a changed CNAME target is picked up on refresh', async () => {
  server.set('other.test', { a: [{ address: '10.0.0.3', ttl: 1 }] });
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 60_000 });
  const pushed = new Pushed();
  dns.watchName('www.test', 443, pushed.onChange);
  await dns.ready();
  server.set('www.test', { cname: { target: 'other.test', ttl: 0 } });
  await eventually('the new target', () => pushed.addresses.join() === '10.0.0.3');
  expect(pushed.last?.version).toBe(2);
});

test('a server that answers only the CNAME: the discovery follows it with queries of its own', async () => {
  server.followCnames = false;
  dns = createDnsDiscovery({ servers: [server.address] });
  const pushed = new Pushed();
  dns.watchName('www.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.addresses).toEqual(['10.0.0.1', '10.0.0.2']);
  expect(server.queries().map((q) => `${q.name} ${q.type}`)).toEqual([
    'www.test A',
    'www.test CNAME',
    'edge.test A',
    'edge.test CNAME',
    'origin.test A',
  ]);
});

test('a CNAME loop on such a server ends as not found after MAX_CNAME_HOPS', async () => {
  server.followCnames = false;
  server.set('loop-a.test', { cname: { target: 'loop-b.test', ttl: 60 } }).set('loop-b.test', { cname: { target: 'loop-a.test', ttl: 60 } });
  dns = createDnsDiscovery({ servers: [server.address] });
  const pushed = new Pushed();
  dns.watchName('loop-a.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.last).toMatchObject({ endpoints: [], problem: { code: 'SWY_DNS_NOT_FOUND' } });
  expect(server.queries(undefined, 'A')).toHaveLength(MAX_CNAME_HOPS + 1);
});

test('a chain that ends at a missing name is not found', async () => {
  server.set('dangling.test', { cname: { target: 'gone.test', ttl: 60 } });
  dns = createDnsDiscovery({ servers: [server.address] });
  const pushed = new Pushed();
  dns.watchName('dangling.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.last).toMatchObject({ endpoints: [], stale: false, problem: { code: 'SWY_DNS_NOT_FOUND' } });
});
