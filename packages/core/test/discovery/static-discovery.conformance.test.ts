import { StaticDiscovery, type EndpointInput } from '@switchyard/core';
import { backendRef } from '@switchyard/test-utils';
import { runDiscoveryConformance } from '@switchyard/test-utils/discovery-conformance';

const at = (addresses: readonly string[]): Record<string, EndpointInput[]> => ({ 'shop/web:80': addresses.map((address) => ({ address, port: 8080 })) });

runDiscoveryConformance({
  name: 'StaticDiscovery',
  setup: async (initial) => {
    const discovery = new StaticDiscovery({ endpoints: at(initial) });
    return { discovery, backend: backendRef('web', 80), setAddresses: (addresses) => discovery.update({ endpoints: at(addresses) }) };
  },
  skip: { 'a failing source keeps its last good endpoints, stale with a problem, and recovers': 'static data has no source that can fail' },
});
