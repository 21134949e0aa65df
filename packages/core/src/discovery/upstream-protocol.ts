/**
 * The protocol a proxy speaks to an endpoint: HTTP/1.1, or cleartext HTTP/2 with prior
 * knowledge (`h2c`). The names are those the metrics use for client protocols.
 */
export type UpstreamProtocol = 'http1' | 'h2c';

/**
 * The protocol a Service port's `appProtocol` (or an EndpointSlice port's) asks for, as
 * Kubernetes and the Gateway API define the values (GEP-1911): `kubernetes.io/h2c` is h2c;
 * unset, `http`, and the WebSocket values `kubernetes.io/ws` and `kubernetes.io/wss` (whose
 * handshake is HTTP/1.1) are HTTP/1.1. Anything else (`https`, `grpc`, `kubernetes.io/h2`, a
 * vendor's `example.com/x`) is not supported: undefined, and the caller reports it and falls
 * back to HTTP/1.1. TLS upstreams are out of scope: `wss` is spoken in clear like `ws`.
 */
export function upstreamProtocolOf(appProtocol: string | null | undefined): UpstreamProtocol | undefined {
  if (appProtocol === undefined || appProtocol === null || appProtocol === '') return 'http1';
  switch (appProtocol) {
    case 'kubernetes.io/h2c':
      return 'h2c';
    case 'http':
    case 'kubernetes.io/ws':
    case 'kubernetes.io/wss':
      return 'http1';
    default:
      return undefined;
  }
}
