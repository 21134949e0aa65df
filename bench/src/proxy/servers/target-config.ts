import type { TableSpec } from '../route-tables.js';

/** Where a target proxies to: the upstream's address and port. */
export interface UpstreamAddress {
  readonly address: string;
  readonly port: number;
}

/** A certificate and key file pair for the targets that terminate TLS. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The configuration every peer target takes. */
export interface PeerConfig {
  readonly upstream: UpstreamAddress;
  /** Hosts routed (reply-from's Map); others get 404. */
  readonly hosts?: readonly string[];
  /** Terminate TLS with these files (fastify-http-proxy). */
  readonly tls?: TlsFiles;
  /** Proxy WebSocket upgrades too (fastify-http-proxy). */
  readonly websocket?: boolean;
  /** Serve HTTP/2 with prior knowledge on the plain port (fastify-http-proxy: `http2: true`; the floor: node:http2). */
  readonly h2c?: boolean;
}

/** The configuration of servers/switchyard. */
export interface SwitchyardConfig {
  readonly upstream: UpstreamAddress;
  readonly table: TableSpec;
  /** Also listen for HTTPS with these files (the URL announced is then the HTTPS one). */
  readonly tls?: TlsFiles;
  /** Serve h2c (HTTP/2 with prior knowledge) beside HTTP/1.1 on the plain listener (`startGateway`'s `h2c`). */
  readonly h2c?: boolean;
  /** Compile a second table (the same rules through other backends) and swap on request. */
  readonly swappable?: boolean;
  /**
   * Start with these endpoints instead of the upstream (the backend check of the Gateway API
   * target): each listed backend at its own port on 127.0.0.1, every other backend at
   * `otherPort`; a `serve-upstream` message then points every backend at the upstream.
   */
  readonly backendProbe?: BackendProbePorts;
}

/** Ports of the backend probe servers, by backend key. */
export interface BackendProbePorts {
  readonly ports: Readonly<Record<string, number>>;
  readonly otherPort: number;
}

export function upstreamUrl(upstream: UpstreamAddress): string {
  return `http://${upstream.address}:${upstream.port}`;
}
