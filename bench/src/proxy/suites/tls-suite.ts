import { singleRouteList } from '../request-list.js';
import type { RunContext, TlsMaterial } from '../target.js';
import { serverTarget, switchyardTarget } from '../targets.js';
import type { Suite } from './suite.js';

/**
 * TLS termination: Switchyard's HTTPS listener against @fastify/http-proxy over HTTPS, the
 * same certificate (ECDSA P-256 from @switchyard/test-utils' CA) for both, plain HTTP to the
 * upstream. Connections are kept alive, so this is mostly record encryption, few handshakes.
 */
export function tlsSuite(context: RunContext, tls: TlsMaterial): Suite {
  const upstream = context.smallUpstream;
  const requests = singleRouteList();
  const verify = { ca: tls.ca, servername: tls.servername };
  const files = { certFile: tls.certFile, keyFile: tls.keyFile };
  return {
    id: 'tls',
    title: 'TLS termination (HTTPS to the proxy, HTTP to the upstream)',
    unit: 'request',
    baseline: 'tls-fastify-http-proxy',
    cpuFloor: undefined,
    targets: [
      serverTarget(context, { id: 'tls-fastify-http-proxy', label: 'fastify + @fastify/http-proxy over HTTPS', requests, expectation: { kind: 'small' }, upstream, tls: verify }, 'fastify-http-proxy', {
        upstream: upstream.address,
        tls: files,
      }),
      switchyardTarget(context, { id: 'tls-switchyard', label: 'Switchyard HTTPS listener, 1 path', requests, expectation: { kind: 'small' }, upstream, tls: verify }, { kind: 'single' }, { tls: files }),
    ],
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: false,
    notes: ['Keep-alive connections: one handshake per connection, then records. The certificate is ECDSA P-256.'],
  };
}
