import type { HostPath } from './request-list.js';

/** What a server process (target or upstream) says once it listens. */
export interface ReadyMessage {
  readonly type: 'ready';
  /** `http://127.0.0.1:port` (or `https://`). */
  readonly url: string;
  /** For Switchyard on a generated table: the workload's fingerprint, to prove it built the checked one. */
  readonly fingerprint?: string;
  /** Anything worth recording: routes compiled, compile time. */
  readonly info?: Readonly<Record<string, string | number>>;
}

/** Asks the Switchyard swap target to swap tables `count` times, `intervalMs` apart, from now. */
export interface SwapRequest {
  readonly type: 'swap';
  readonly count: number;
  readonly intervalMs: number;
}

/** The swap target's answer once its swaps are done. */
export interface SwapsDone {
  readonly type: 'swapped';
  readonly swaps: number;
  /** `compile()` time of each swap's table, ms. */
  readonly compileMs: readonly number[];
}

/** What the Switchyard target's sampling profiler found over one window of load. */
export interface RouteProfile {
  readonly samples: number;
  /** Sampled time outside `(idle)`, ms. */
  readonly busyMs: number;
  /** Of the busy time: under `RouteTable.lookup`, and under core's `normalizeHost` and `normalizePath`. */
  readonly shares: { readonly lookup: number; readonly normalize: number };
}

/** Starts (`profile-start`, answered `profiling`) and stops (`profile-stop`, answered `profiled`) the Switchyard target's profiler. */
export type ProfileRequest = { readonly type: 'profile-start' } | { readonly type: 'profile-stop' };

/** Asks a Switchyard target started with a backend probe to point every backend at the upstream (answered `serving-upstream`). */
export interface ServeUpstreamRequest {
  readonly type: 'serve-upstream';
}

export type FromServer =
  | ReadyMessage
  | SwapsDone
  | { readonly type: 'serving-upstream' }
  | { readonly type: 'profiling' }
  | { readonly type: 'profiled'; readonly profile: RouteProfile }
  | { readonly type: 'failed'; readonly message: string };
export type ToServer = SwapRequest | ProfileRequest | ServeUpstreamRequest;

/** One timed (or warm-up) run of load against one target. */
export type LoadSpec =
  | {
      readonly kind: 'http';
      readonly url: string;
      /** Cycled through; each connection starts at its own place in the list (pipelining 1). */
      readonly requests: readonly HostPath[];
      readonly connections: number;
      readonly pipelining: number;
      readonly durationS: number;
      /** TLS: the SNI name to send (certificates are not verified under load; the check verifies them). */
      readonly servername?: string;
      /** HTTP/2 (h2c with prior knowledge for http, ALPN h2 for https) with this many concurrent streams per connection: run by h2load. */
      readonly h2?: { readonly streams: number };
    }
  | {
      readonly kind: 'ws';
      readonly url: string;
      readonly host: string;
      readonly connections: number;
      readonly durationS: number;
      /** Size of each message; each connection sends one, waits for its echo, sends the next. */
      readonly messageBytes: number;
    }
  | {
      readonly kind: 'grpc';
      /** `host:port`, called in clear (h2c). */
      readonly address: string;
      /** grpc-js clients, each on its own HTTP/2 connection. */
      readonly channels: number;
      /** Unary calls each channel keeps in flight. */
      readonly callsPerChannel: number;
      readonly durationS: number;
      /** Size of each request message (the echo is as long). */
      readonly messageBytes: number;
    };

/** Which program made the numbers. */
export type LoadTool = 'autocannon' | 'wrk' | 'ws-client' | 'h2load' | 'grpc-js';

/** What one run of load measured, the same whatever the tool. */
export interface LoadOutcome {
  readonly tool: LoadTool;
  /** Responses (or echoed messages, or ended gRPC calls) received, whatever their status. */
  readonly completed: number;
  readonly durationS: number;
  /** Latency percentiles in ms (autocannon records whole ms). */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly p999: number };
  /** Connection errors, resets and timeouts (for WebSocket: closed or wrong echoes; for gRPC: calls ended with a status other than OK). */
  readonly errors: number;
  /** Of `errors`, the timeouts (both tools count a timeout as an error too). */
  readonly timeouts: number;
  /** Responses with a status outside 2xx. */
  readonly non2xx: number;
  /** Count by status code (autocannon and wrk only report some; empty when unknown; gRPC: by status name). */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Response bytes read, headers included where the tool counts them. */
  readonly bytes: number;
}

export type ToLoad = { readonly type: 'run'; readonly spec: LoadSpec };
export type FromLoad = { readonly type: 'result'; readonly outcome: LoadOutcome } | { readonly type: 'failed'; readonly message: string } | { readonly type: 'ready' };
