import { StaticDiscovery } from '@switchyard/core';
import { createDnsDiscovery } from '@switchyard/dns';
import { backendRef, DnsTestServer, service } from '@switchyard/test-utils';
import { runDiscoveryConformance } from '@switchyard/test-utils/discovery-conformance';

/**
 * DNS discovery as the product plugs it in: the resolver of a StaticDiscovery's ExternalName
 * Service, against the DNS test server on loopback. Short TTLs so changes show within the settle time.
 */
const NAME = 'payments.example.net';

runDiscoveryConformance({
  name: 'DNS discovery (ExternalName)',
  settleMs: 500,
  setup: async (initial) => {
    const server = await DnsTestServer.start();
    const setAddresses = (addresses: readonly string[]) => void server.set(NAME, { a: addresses.map((address) => ({ address, ttl: 1 })) });
    setAddresses(initial);
    const dns = createDnsDiscovery({ servers: [server.address], minTtlMs: 50, maxTtlMs: 100, staleForMs: 60_000, timeoutMs: 100, tries: 1 });
    const discovery = new StaticDiscovery({ objects: [service('payments', [{ name: 'https', port: 443, targetPort: 8443 }], { externalName: NAME })], externalNames: dns, allowExternalNames: [NAME] });
    return {
      discovery,
      backend: backendRef('payments', 443),
      setAddresses,
      breakSource: () => void server.setMode('servfail'),
      restoreSource: () => void server.setMode('normal'),
      teardown: async () => {
        await dns.close();
        await server.close();
      },
    };
  },
});
