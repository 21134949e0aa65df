import * as core from '@switchyard/core';
import * as files from '@switchyard/core/files';
import * as pathMatchers from '@switchyard/core/path-matchers';
import { expect, test } from 'vitest';

// The runtime names each entry exports: adding or dropping one is a deliberate change of the
// public API (update the README's API tables with it). Types are pinned in public-api.test-d.ts.
test.each([
  [
    '@switchyard/core',
    core,
    [
      'AddressPolicy',
      'DEFAULT_ADDRESS_POLICY',
      'ERROR_CODES',
      'EndpointSetStore',
      'GATEWAY_API_GROUP',
      'HOP_BY_HOP_HEADERS',
      'IngressClassScope',
      'LINK_LOCAL_RANGES',
      'PROXY_OWNED_REQUEST_HEADERS',
      'PROXY_OWNED_RESPONSE_HEADERS',
      'RouteTable',
      'Router',
      'SERVICE_NAME_LABEL',
      'StaticDiscovery',
      'SwitchyardError',
      'TLS_SECRET_TYPE',
      'backendKey',
      'compile',
      'compileInSlices',
      'createBackendBalancer',
      'createExternalNameAllowList',
      'defineErrorCodes',
      'endpointKey',
      'explainGatewayRequest',
      'hashKeyOf',
      'isSwitchyardError',
      'loadManifests',
      'manifestSourceOf',
      'normalizeHost',
      'normalizePath',
      'parseBalancerPolicy',
      'resolveOutlierDetection',
      'selectEndpoints',
      'serviceBackendDiagnostics',
      'toEndpoint',
      'upstreamProtocolOf',
      'validateIngress',
    ],
  ],
  ['@switchyard/core/files', files, ['ManifestFiles', 'loadManifestFiles', 'watchManifestFiles']],
  [
    '@switchyard/core/path-matchers',
    pathMatchers,
    ['FindMyWayMatcher', 'PrefixHashMatcher', 'SegmentTrieMatcher', 'createFindMyWayMatcher', 'createPrefixHashMatcher', 'createSegmentTrieMatcher'],
  ],
])('%s exports exactly its documented names', (_entry, module, names) => {
  expect(Object.keys(module).sort()).toEqual(names);
});
