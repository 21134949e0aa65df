import * as kubernetes from '@switchyard/kubernetes';
import { expect, test } from 'vitest';

// The runtime names the package exports: adding or dropping one is a deliberate change of the
// public API (update the README's API table with it). Types are pinned in public-api.test-d.ts.
test('@switchyard/kubernetes exports exactly its documented names', () => {
  expect(Object.keys(kubernetes).sort()).toEqual([
    'GatewayApiSource',
    'IngressSource',
    'KUBE_ERROR_CODES',
    'KubeApiError',
    'KubeError',
    'KubernetesDiscovery',
    'LeaseElector',
    'MAX_ROUTE_PARENTS',
    'Reflector',
    'SecretSource',
    'StatusPublisher',
    'connectionFromKubeConfig',
    'gatewayClassStatusDocument',
    'gatewayStatusDocument',
    'httpRouteStatusDocument',
    'isKubeError',
    'planStatusWrites',
    'statusPath',
    'writeStatus',
  ]);
});
