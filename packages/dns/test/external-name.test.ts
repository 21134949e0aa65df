import { StaticDiscovery, type EndpointSet } from '@switchyard/core';
import { createDnsDiscovery, type DnsDiscovery } from '@switchyard/dns';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DnsTestServer, eventually } from '@switchyard/test-utils';

let server: DnsTestServer;
let dns: DnsDiscovery;
beforeEach(async () => {
  server = await DnsTestServer.start();
});
afterEach(async () => {
  await dns.close();
  await server.close();
});

test('an ExternalName Service resolves through DNS at its targetPort, inside StaticDiscovery', async () => {
  server.set('payments.example.net', { a: [{ address: '192.0.2.7', ttl: 60 }] });
  dns = createDnsDiscovery({ servers: [server.address] });
  const discovery = new StaticDiscovery({
    objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'payments.example.net', ports: [{ name: 'https', port: 443, targetPort: 8443 }] } }],
    externalNames: dns,
    allowExternalNames: ['payments.example.net'],
  });
  const sets: EndpointSet[] = [];
  discovery.watch({ namespace: 'shop', service: { name: 'payments', port: { name: 'https' } } }, (set) => sets.push(set));
  await eventually('the first set', () => sets.length > 0);
  expect(sets.at(-1)).toMatchObject({ backendKey: 'shop/payments:https', stale: false, endpoints: [{ address: '192.0.2.7', port: 8443, ready: true, externalName: 'payments.example.net' }] });
  await discovery.close();
});

test('not allowed: the name is never asked for', async () => {
  server.set('payments.example.net', { a: [{ address: '192.0.2.7', ttl: 60 }] });
  dns = createDnsDiscovery({ servers: [server.address] });
  const discovery = new StaticDiscovery({ objects: [payments('payments.example.net')], externalNames: dns, allowExternalNames: ['*.example.org'] });
  const sets: EndpointSet[] = [];
  discovery.watch({ namespace: 'shop', service: { name: 'payments', port: { name: 'https' } } }, (set) => sets.push(set));
  expect(sets.at(-1)).toMatchObject({ endpoints: [], problem: { code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED' } });
  await dns.ready();
  expect(server.queries()).toEqual([]);
  await discovery.close();
});

test('allowed, but answered with link-local addresses (cloud metadata): those are never made into endpoints', async () => {
  // Only the DNS answer names them: nothing connects anywhere.
  server.set('metadata.example.net', { a: [{ address: '169.254.169.254', ttl: 60 }, { address: '192.0.2.8', ttl: 60 }] });
  dns = createDnsDiscovery({ servers: [server.address] });
  const discovery = new StaticDiscovery({ objects: [payments('metadata.example.net')], externalNames: dns, allowExternalNames: ['*'] });
  const sets: EndpointSet[] = [];
  discovery.watch({ namespace: 'shop', service: { name: 'payments', port: { name: 'https' } } }, (set) => sets.push(set));
  await eventually('the first set', () => sets.length > 0);
  expect(sets.at(-1)!.endpoints.map((e) => e.address)).toEqual(['192.0.2.8']);
  expect(sets.at(-1)!.problem).toMatchObject({ code: 'SWY_DISCOVERY_ADDRESS_DENIED' });
  expect(sets.at(-1)!.problem!.message).toContain('169.254.169.254 is in 169.254.0.0/16');
  await discovery.close();
});

function payments(externalName: string) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'payments', namespace: 'shop' }, spec: { type: 'ExternalName', externalName, ports: [{ name: 'https', port: 443, targetPort: 8443 }] } };
}
