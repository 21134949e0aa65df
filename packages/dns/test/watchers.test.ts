import { createDnsDiscovery, isDnsError, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Pushed, sleep } from './helpers/watch.js';
import { DnsTestServer, eventually } from '@switchyard/test-utils';

/**
 * Watchers share one loop per name (refcounted); the last unsubscribe stops it. Names nobody
 * watches keep their answer in an LRU of maxNames; watched names are never evicted.
 */

let server: DnsTestServer;
let dns: DnsDiscovery;

beforeEach(async () => {
  server = await DnsTestServer.start();
  for (const name of ['a.test', 'b.test', 'c.test']) server.set(name, { a: [{ address: '10.0.0.1', ttl: 0 }] });
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

/** Queries for `name` seen over `ms`. */
async function queriesDuring(name: string, ms: number): Promise<number> {
  const before = server.queries(name).length;
  await sleep(ms);
  return server.queries(name).length - before;
}

describe('refcounted watchers', () => {
  test('two watchers of one name share one loop; each gets its own port and backendKey', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 60_000, maxTtlMs: 60_000 });
    const web = new Pushed();
    const tls = new Pushed();
    dns.watchName('a.test', 80, web.onChange, { backendKey: 'ns/a:80' });
    dns.watchName('a.test', 443, tls.onChange, { backendKey: 'ns/a:443' });
    await dns.ready();
    expect(server.queries('a.test')).toHaveLength(1);
    expect(web.last).toMatchObject({ backendKey: 'ns/a:80', endpoints: [{ address: '10.0.0.1', port: 80 }] });
    expect(tls.last).toMatchObject({ backendKey: 'ns/a:443', endpoints: [{ address: '10.0.0.1', port: 443 }] });
  });

  test('a later watcher gets the known set at once, synchronously, without a query', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 60_000, maxTtlMs: 60_000 });
    dns.watchName('a.test', 80, () => {});
    await dns.ready();
    const late = new Pushed();
    dns.watchName('a.test', 81, late.onChange);
    expect(late.sets).toHaveLength(1);
    expect(late.last).toMatchObject({ version: 1, endpoints: [{ port: 81 }] });
    expect(server.queries('a.test')).toHaveLength(1);
  });

  test('the loop runs while one watcher remains and stops with the last', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 50 });
    const stopFirst = dns.watchName('a.test', 80, () => {});
    const stopSecond = dns.watchName('a.test', 80, () => {});
    await dns.ready();
    stopFirst();
    stopFirst(); // idempotent: does not count twice
    expect(await queriesDuring('a.test', 300)).toBeGreaterThanOrEqual(2);
    stopSecond();
    await sleep(20); // a query in flight may still land
    expect(await queriesDuring('a.test', 300)).toBe(0);
  });

  test('a watcher that throws does not stop the others or the loop', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 50 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      dns.watchName('a.test', 80, () => {
        throw new Error('watcher bug');
      });
      const good = new Pushed();
      dns.watchName('a.test', 80, good.onChange);
      await dns.ready();
      server.set('a.test', { a: [{ address: '10.0.0.2', ttl: 0 }] });
      await eventually('the next change', () => good.addresses.join() === '10.0.0.2');
      await eventually('the warning', () => warnings.some((w) => w.message === 'watcher bug'));
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('IP literals', () => {
  test.each([
    ['10.1.2.3', '10.1.2.3'],
    ['2001:db8::7', '2001:db8::7'],
    ['[2001:db8::7]', '2001:db8::7'],
  ])('%s resolves to itself without a query', async (literal, address) => {
    dns = createDnsDiscovery({ servers: [server.address] });
    const pushed = new Pushed();
    dns.watchName(literal, 8443, pushed.onChange);
    await dns.ready();
    expect(pushed.sets).toEqual([
      { backendKey: `${literal}:8443`, version: 1, stale: false, endpoints: [{ address, port: 8443, ready: true, serving: true, terminating: false }] },
    ]);
    expect(server.queries()).toHaveLength(0);
  });
});

describe('maxNames', () => {
  test('an unwatched name keeps its answer until its TTL runs out: watching it again starts from it without a query', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 60_000, maxTtlMs: 60_000, maxNames: 10 });
    const first = new Pushed();
    const stop = dns.watchName('a.test', 80, first.onChange);
    await dns.ready();
    stop();
    const pushed = new Pushed();
    dns.watchName('a.test', 80, pushed.onChange);
    expect(pushed.sets).toEqual(first.sets);
    expect(server.queries('a.test')).toHaveLength(1);
  });

  test('the least recently unwatched names are evicted past maxNames; watching them again asks the server', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 60_000, maxTtlMs: 60_000, maxNames: 2 });
    const stops = ['a.test', 'b.test', 'c.test'].map((name) => dns.watchName(name, 80, () => {}));
    await dns.ready();
    for (const stop of stops) stop(); // a.test unwatched first: the one evicted
    for (const name of ['c.test', 'b.test', 'a.test']) dns.watchName(name, 80, () => {});
    await dns.ready();
    expect(['a.test', 'b.test', 'c.test'].map((name) => server.queries(name).length)).toEqual([2, 1, 1]);
  });

  test('watched names are never evicted: more watched names than maxNames all keep refreshing', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 50, maxNames: 1 });
    for (const name of ['a.test', 'b.test', 'c.test']) dns.watchName(name, 80, () => {});
    await dns.ready();
    server.resetQueries();
    await eventually('refreshes of all three names', () => ['a.test', 'b.test', 'c.test'].every((name) => server.queries(name).length >= 2));
  });

  test('maxNames 0 keeps nothing once unwatched', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 60_000, maxTtlMs: 60_000, maxNames: 0 });
    const stop = dns.watchName('a.test', 80, () => {});
    await dns.ready();
    stop();
    dns.watchName('a.test', 80, () => {});
    await dns.ready();
    expect(server.queries('a.test')).toHaveLength(2);
  });
});

describe('close()', () => {
  test('stops every loop, drops answers in flight, and watchName then throws SWY_DNS_CLOSED', async () => {
    dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 50, timeoutMs: 1_000, tries: 1 });
    const pushed = new Pushed();
    const stop = dns.watchName('a.test', 80, pushed.onChange);
    await dns.ready();
    server.setMode('drop'); // the next query hangs until close() cancels it
    await eventually('a query in flight', () => server.queries('a.test').length >= 2);
    await dns.close();
    await dns.close(); // idempotent
    stop(); // harmless after close
    const after = server.queries('a.test').length;
    await sleep(200);
    expect(server.queries('a.test')).toHaveLength(after);
    expect(pushed.sets).toHaveLength(1);
    await expect(dns.ready()).resolves.toBeUndefined();
    let thrown: unknown;
    try {
      dns.watchName('b.test', 80, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(isDnsError(thrown, 'SWY_DNS_CLOSED')).toBe(true);
  });
});
