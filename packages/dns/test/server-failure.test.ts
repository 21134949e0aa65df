import { createDnsDiscovery, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Pushed } from './helpers/watch.js';
import { DnsTestServer, eventually, type ServerMode } from '@switchyard/test-utils';

/**
 * A failing server (SERVFAIL, REFUSED, no answer): the last good set is kept, stale and with a
 * problem, for staleForMs after it was received; retries back off; recovery pushes the fresh
 * set without the problem; past the window the set is emptied.
 */

let server: DnsTestServer;
let dns: DnsDiscovery;

beforeEach(async () => {
  server = await DnsTestServer.start();
  server.set('api.test', { a: [{ address: '10.0.0.1', ttl: 1 }] });
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

const FAILURES: ReadonlyArray<[ServerMode, string]> = [
  ['servfail', 'SWY_DNS_SERVER_FAILED'],
  ['refused', 'SWY_DNS_SERVER_FAILED'],
  ['drop', 'SWY_DNS_TIMEOUT'],
];

describe.each(FAILURES)('server mode %s', (mode, code) => {
  test(`keeps the last good set stale with ${code}, then recovers`, async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 200, staleForMs: 60_000, timeoutMs: 100, tries: 1 });
    const pushed = new Pushed();
    dns.watchName('api.test', 443, pushed.onChange);
    await dns.ready();
    expect(pushed.last).toMatchObject({ version: 1, stale: false, endpoints: [{ address: '10.0.0.1' }] });

    server.setMode(mode);
    await eventually('the stale set', () => pushed.last?.stale === true);
    const stale = pushed.last;
    expect(stale).toMatchObject({ version: 2, stale: true, endpoints: [{ address: '10.0.0.1', port: 443 }], problem: { code } });
    expect(stale?.problem?.since).toBeTypeOf('number');

    // Retries go on (with backoff) without pushing the same stale set again.
    const failedQueries = server.queries('api.test').length;
    await eventually('two retries', () => server.queries('api.test').length >= failedQueries + 2);
    expect(pushed.sets).toHaveLength(2);

    server.setMode('normal');
    server.set('api.test', { a: [{ address: '10.0.0.2', ttl: 1 }] });
    await eventually('recovery', () => pushed.last?.stale === false);
    expect(pushed.last).toEqual({
      backendKey: 'api.test:443',
      version: 3,
      stale: false,
      endpoints: [{ address: '10.0.0.2', port: 443, ready: true, serving: true, terminating: false, externalName: 'api.test' }],
    });
  });
});

test('past staleForMs the set is emptied, keeping the problem; recovery fills it again', async () => {
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 200, staleForMs: 1_000, timeoutMs: 100, tries: 1 });
  const pushed = new Pushed();
  dns.watchName('api.test', 443, pushed.onChange);
  await dns.ready();
  server.setMode('servfail');
  await eventually('the stale set', () => pushed.last?.stale === true);
  await eventually('the set emptied after the stale window', () => pushed.last?.endpoints.length === 0);
  const emptied = pushed.last;
  expect(emptied).toMatchObject({ stale: false, endpoints: [], problem: { code: 'SWY_DNS_SERVER_FAILED' } });
  // `since` names when the failure began, not when the set emptied.
  expect(emptied?.problem?.since).toBe(pushed.sets[1]?.problem?.since);
  // The last good answer (received at the first push or a later unchanged refresh) was served
  // stale until staleForMs after it, not longer: the set emptied at least that long after the first push.
  expect((pushed.times[2] ?? 0) - (pushed.times[0] ?? 0)).toBeGreaterThanOrEqual(900);

  server.setMode('normal');
  await eventually('recovery', () => pushed.addresses.join() === '10.0.0.1');
  expect(pushed.last?.problem).toBeUndefined();
  expect(pushed.sets.map((s) => s.version)).toEqual([1, 2, 3, 4]);
});

test('staleForMs 0 serves nothing stale: the first failure empties the set', async () => {
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 200, staleForMs: 0, timeoutMs: 100, tries: 1 });
  const pushed = new Pushed();
  dns.watchName('api.test', 443, pushed.onChange);
  await dns.ready();
  server.setMode('servfail');
  await eventually('the failure', () => pushed.sets.length >= 2);
  expect(pushed.sets[1]).toMatchObject({ stale: false, endpoints: [], problem: { code: 'SWY_DNS_SERVER_FAILED' } });
});

test('a server failing from the start: an empty set with the problem, not stale, and ready() still resolves', async () => {
  server.setMode('drop');
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 100, maxTtlMs: 200, timeoutMs: 100, tries: 2 });
  const pushed = new Pushed();
  dns.watchName('api.test', 443, pushed.onChange);
  await dns.ready();
  expect(pushed.sets).toEqual([{ backendKey: 'api.test:443', version: 1, stale: false, endpoints: [], problem: expect.objectContaining({ code: 'SWY_DNS_TIMEOUT' }) }]);
  // Two tries per query.
  expect(server.queries('api.test')).toHaveLength(2);
});

test('retries back off: far fewer queries than one per minTtlMs', async () => {
  dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 10_000, timeoutMs: 100, tries: 1 });
  server.setMode('servfail');
  dns.watchName('api.test', 443, () => {});
  await dns.ready();
  // Retries after 50, 100, 200, 400 ms: 5 queries by about 750 ms, the 6th not before 1.55 s.
  await eventually('four retries', () => server.queries('api.test').length >= 5);
  const fifth = server.queries('api.test')[4]?.at ?? 0;
  const first = server.queries('api.test')[0]?.at ?? 0;
  expect(fifth - first).toBeGreaterThanOrEqual(700);
});
