import { KubernetesDiscovery } from '@switchyard/kubernetes';
import { backendRef, endpointSlice, KubeApiServer, service, sliceEndpoint } from '@switchyard/test-utils';
import { runDiscoveryConformance } from '@switchyard/test-utils/discovery-conformance';

runDiscoveryConformance({
  name: 'KubernetesDiscovery',
  settleMs: 300,
  setup: async (initial) => {
    const server = new KubeApiServer({ bookmarkIntervalMs: 100 });
    await server.start();
    const setAddresses = (addresses: readonly string[]) =>
      void server.apply(endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }], addresses.map((address) => sliceEndpoint(address))));
    server.apply(service('web', [{ name: 'http', port: 80, targetPort: 'http' }]));
    setAddresses(initial);
    const discovery = new KubernetesDiscovery({ connection: { server: server.address.url }, debounceMs: 10, reflector: { backoff: { initialMs: 20, maxMs: 200 } } });
    return {
      discovery,
      backend: backendRef('web', 'http'),
      setAddresses,
      // Every request fails for a while (the watches broken, the relists answered 500), then the failures run out.
      breakSource: () => {
        server.failNext(10, { status: 500 });
        server.dropWatches();
      },
      restoreSource: () => undefined,
      teardown: () => server.close(),
    };
  },
  skip: {
    'a failing source keeps its last good endpoints, stale with a problem, and recovers':
      'KubernetesDiscovery keeps its cached endpoints while the API server fails but never marks a set stale nor gives it a problem (src has no stale path; reported)',
  },
});
