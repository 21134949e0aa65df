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
  });
  const sets: EndpointSet[] = [];
  discovery.watch({ namespace: 'shop', service: { name: 'payments', port: { name: 'https' } } }, (set) => sets.push(set));
  await eventually('the first set', () => sets.length > 0);
  expect(sets.at(-1)).toMatchObject({ backendKey: 'shop/payments:https', stale: false, endpoints: [{ address: '192.0.2.7', port: 8443, ready: true, externalName: 'payments.example.net' }] });
  await discovery.close();
});
