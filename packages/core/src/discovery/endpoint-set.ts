import type { UpstreamProtocol } from './upstream-protocol.js';

/**
 * Where a backend lives right now, as discovery reports it. A set is always a full
 * snapshot, never a diff: a consumer replaces what it had.
 */

/** One address a backend can be reached at, with the EndpointSlice conditions. */
export interface Endpoint {
  /** An IPv4 or IPv6 address (no brackets). */
  readonly address: string;
  readonly port: number;
  /** Ready to take new connections (EndpointSlice `conditions.ready`; `null` counts as ready). */
  readonly ready: boolean;
  /** Serving, whatever its termination state (`conditions.serving`). */
  readonly serving: boolean;
  /** Shutting down (`conditions.terminating`). */
  readonly terminating: boolean;
  readonly zone?: string;
  /** Relative weight for weighted balancing; 1 when absent. */
  readonly weight?: number;
  /**
   * The DNS name the address was resolved from, for an ExternalName Service: a proxy sends
   * it as the Host, since the external server knows itself by that name, not the client's.
   */
  readonly externalName?: string;
  /** How to talk to it: from the Service port's `appProtocol` (see `upstreamProtocolOf`); HTTP/1.1 when absent. */
  readonly protocol?: UpstreamProtocol;
}

/** Why a source could not refresh a backend; the set keeps its last good endpoints meanwhile. */
export interface DiscoveryProblem {
  /** A stable `SWY_*` code. */
  readonly code: string;
  readonly message: string;
  /** When the source first failed (ms since the epoch). */
  readonly since: number;
}

/** The full current endpoints of one backend. */
export interface EndpointSet {
  /** `backendKey(backend)` of the backend this set is for. */
  readonly backendKey: string;
  /** Increases with every change pushed for this backend. */
  readonly version: number;
  readonly endpoints: readonly Endpoint[];
  /**
   * Set while the source is failing; also set, with the endpoints served anyway, when the
   * backend is usable only in part (an `appProtocol` that is not supported: spoken as HTTP/1.1).
   */
  readonly problem?: DiscoveryProblem;
  /** True when `endpoints` is the last good answer kept while the source fails. */
  readonly stale: boolean;
}
