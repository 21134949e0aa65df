import type { Expectation } from './check.js';
import type { ProxyBenchOptions } from './options.js';
import type { Pinning } from './pinning.js';
import type { ManagedProcess, ProcessHandle } from '../common/managed-process.js';
import type { FromServer, RouteProfile, ToServer } from './protocol.js';
import type { HostPath, RequestList } from './request-list.js';
import type { UpstreamAddress } from './servers/target-config.js';
import type { Tools } from './tools.js';

/** The shape of gRPC load: channels, and unary calls in flight on each. */
export interface GrpcLoadShape {
  readonly channels: number;
  readonly callsPerChannel: number;
}

/** A running upstream: nginx `return 200`, the Node server, or the gRPC echo server. */
export interface RunningUpstream {
  readonly kind: 'nginx' | 'node' | 'grpc';
  readonly label: string;
  readonly address: UpstreamAddress;
  readonly url: string;
  readonly process: ProcessHandle;
}

/** Certificates for the TLS scenario, made in this process by @switchyard/test-utils' CA. */
export interface TlsMaterial {
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate (PEM) the check verifies with. */
  readonly ca: string;
  readonly servername: string;
}

/** What every suite and target is built from. */
export interface RunContext {
  readonly options: ProxyBenchOptions;
  readonly pinning: Pinning;
  readonly tools: Tools;
  /** This run's random token: upstreams put it in every answer. */
  readonly token: string;
  /** A temporary directory for configuration files (nginx, manifests, certificates, wrk scripts). */
  readonly scratchDir: string;
  /** The upstream of the main table: nginx when installed, else the Node one. */
  readonly smallUpstream: RunningUpstream;
  /** The Node upstream: WebSocket echo and the 1 MiB body (and the main upstream without nginx). */
  readonly nodeUpstream: RunningUpstream;
  /** The grpc-js echo server, started only when the `grpc` scenario runs. */
  readonly grpcUpstream?: RunningUpstream;
}

/** A target once started. */
export interface StartedTarget {
  readonly url: string;
  /** The process whose CPU time (with its descendants') is the server's. */
  readonly pid: number;
  /** The process to stop after the suite; undefined for the shared upstream measured alone. */
  readonly owned: ProcessHandle | undefined;
  /** The server's IPC, for targets that take requests during load (table swaps). */
  readonly control?: ManagedProcess<ToServer, FromServer>;
  readonly info: Readonly<Record<string, string | number>>;
}

/** One row of a suite: a server, how to check it, and how to load it. */
export interface Target {
  readonly id: string;
  readonly label: string;
  /** grpc: unary echo calls by the grpc-js client (h2c), checked by one echo call (`requests` unused). */
  readonly protocol: 'http' | 'ws' | 'grpc';
  /** http: cycled through under load, and sampled by the check. */
  readonly requests: RequestList;
  /** ws: the socket's Host and path. */
  readonly webSocket?: HostPath;
  readonly expectation: Expectation;
  /** Faster than autocannon can drive from one core: measured with wrk when it is installed. */
  readonly fast: boolean;
  /** Verify TLS with the CA and send this SNI name. */
  readonly tls?: { readonly ca: string; readonly servername: string };
  /** HTTP/2 (h2c for http): loaded by h2load over `connections` connections of `streams` concurrent streams each, checked over HTTP/2. */
  readonly h2?: { readonly streams: number; readonly connections: number };
  /** gRPC load: this many grpc-js channels (one HTTP/2 connection each), each with this many unary calls in flight. */
  readonly grpc?: GrpcLoadShape;
  /** The upstream it forwards to, whose CPU share the report shows. */
  readonly upstream: RunningUpstream;
  /** Roles' pinning as it applies to this row, for the report (`core 0`, `cores 0,1`). */
  readonly placement: string;
  start(): Promise<StartedTarget>;
  /** Runs beside each timed window (the table swaps); what it returns is recorded with the round. */
  duringLoad?(started: StartedTarget, durationS: number): Promise<Readonly<Record<string, number>>>;
  /** Runs `load` (one untimed window) with the target's sampling profiler on: Switchyard's route-lookup share. */
  profile?(started: StartedTarget, load: () => Promise<unknown>): Promise<RouteProfile>;
}

/** A target the run cannot measure here, listed as absent with the reason. */
export interface AbsentTarget {
  readonly id: string;
  readonly label: string;
  readonly reason: string;
}
