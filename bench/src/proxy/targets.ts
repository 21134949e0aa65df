import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { median } from '../common/stats.js';
import type { Expectation } from './check.js';
import { BenchError, targetSubject } from '../common/errors.js';
import { nginxProxyConfig, nginxUpstreamConfig } from './nginx-config.js';
import type { Role } from './pinning.js';
import { launchCli, launchNginx, launchServer, type ServerEntry } from './process/launch.js';
import type { ManagedProcess } from '../common/managed-process.js';
import type { FromServer, ReadyMessage, ToServer } from './protocol.js';
import { BACKEND_CHECK_SAMPLE, checkBackends, startBackendProbe } from './backend-probe.js';
import { checkSample, type HostPath, type RequestList } from './request-list.js';
import type { TableSpec } from './route-tables.js';
import type { PeerConfig, SwitchyardConfig } from './servers/target-config.js';
import type { GrpcLoadShape, RunContext, RunningUpstream, StartedTarget, Target } from './target.js';

/** What every target factory takes besides its own settings. */
export interface TargetBasics {
  readonly id: string;
  readonly label: string;
  readonly requests: RequestList;
  readonly expectation: Expectation;
  readonly upstream: RunningUpstream;
  readonly protocol?: 'http' | 'ws' | 'grpc';
  readonly webSocket?: HostPath;
  readonly tls?: { readonly ca: string; readonly servername: string };
  readonly h2?: { readonly streams: number; readonly connections: number };
  readonly grpc?: GrpcLoadShape;
}

/** Where a role runs, in words, for the report. */
export function placement(context: RunContext, role: Role): string {
  const cores = context.pinning.cores[role];
  return cores === null ? 'unpinned' : cores.includes(',') ? `cores ${cores}` : `core ${cores}`;
}

/** The upstream alone: no proxy, the ceiling (its CPU time is the upstream's own). */
export function directTarget(context: RunContext, basics: TargetBasics): Target {
  return {
    ...common(basics),
    fast: true,
    placement: placement(context, 'upstream'),
    start: async () => ({ url: basics.upstream.url, pid: basics.upstream.process.pid, owned: undefined, info: { upstream: basics.upstream.kind } }),
  };
}

/** A peer or floor server from servers/, pinned as the proxy. */
export function serverTarget(context: RunContext, basics: TargetBasics, entry: ServerEntry, config: PeerConfig): Target {
  return {
    ...common(basics),
    fast: false,
    placement: placement(context, 'proxy'),
    start: () => startServer(basics.id, launchServer(basics.id, entry, config, 'proxy', context.pinning)),
  };
}

/**
 * Switchyard's Fastify adapter on a table, from this checkout or from the bench/ of another
 * (`benchDir`, the base of a compare). For a generated table the target must report the
 * fingerprint of the workload the request list was drawn from, or the check stops the run.
 * On the Gateway API table it must also route a sample of the list to the very backend of the
 * rule the reference matcher picks (see `startBackendProbe`) before it is pointed at the
 * upstream for the ordinary check and the load.
 */
export function switchyardTarget(context: RunContext, basics: TargetBasics, table: TableSpec, extra: Partial<Pick<SwitchyardConfig, 'tls' | 'swappable' | 'h2c'>> = {}, benchDir?: string): Target {
  const config: SwitchyardConfig = { upstream: basics.upstream.address, table, ...extra };
  const launch = (probe?: SwitchyardConfig['backendProbe']) =>
    startServer(basics.id, launchServer(basics.id, 'switchyard', probe ? { ...config, backendProbe: probe } : config, 'proxy', context.pinning, benchDir));
  const checkFingerprint = async (started: StartedTarget) => {
    const expected = basics.requests.fingerprint;
    if (expected !== undefined && started.info.fingerprint !== expected) {
      await started.owned?.stop();
      throw new BenchError('SWY_BENCH_WRONG_ANSWER', `${basics.id} built workload ${String(started.info.fingerprint)}, the requests were drawn from ${expected}`, {
        field: 'fingerprint',
        subject: targetSubject(basics.id),
      });
    }
  };
  return {
    ...common(basics),
    fast: false,
    placement: placement(context, 'proxy'),
    start: async () => {
      if (table.kind !== 'gateway') {
        const started = await launch();
        await checkFingerprint(started);
        return started;
      }
      const sample = checkSample(basics.requests.requests, BACKEND_CHECK_SAMPLE);
      const probe = await startBackendProbe(sample.flatMap((request) => (request.backend === undefined ? [] : [request.backend])));
      try {
        const started = await launch(probe.ports);
        await checkFingerprint(started);
        try {
          await checkBackends({ id: basics.id, url: started.url }, sample);
          await started.control!.ask({ type: 'serve-upstream' }, 'serving-upstream');
        } catch (error) {
          await started.owned?.stop();
          throw error;
        }
        return started;
      } finally {
        await probe.close();
      }
    },
    async profile(started, load) {
      const control = started.control!;
      await control.ask({ type: 'profile-start' }, 'profiling');
      await load();
      const { profile } = await control.ask({ type: 'profile-stop' }, 'profiled');
      return profile;
    },
  };
}

/** The Switchyard target with the swap hook: `count` table swaps spread over each timed window. */
export function swappingSwitchyardTarget(context: RunContext, basics: TargetBasics, table: TableSpec, count: number): Target {
  const target = switchyardTarget(context, basics, table, { swappable: true });
  return {
    ...target,
    async duringLoad(started, durationS) {
      const control = started.control!;
      // Spread over the first 90 % of the window, so every swap lands while load runs.
      const intervalMs = Math.max(1, Math.floor((durationS * 900) / count));
      const done = await control.ask({ type: 'swap', count, intervalMs }, 'swapped');
      return { swaps: done.swaps, compileMsMedian: Math.round(median(done.compileMs) * 10) / 10, intervalMs };
    },
  };
}

/** The Switchyard CLI (`serve -f <manifests> --workers N`), on the cores of multi-worker targets. */
export function cliTarget(context: RunContext, basics: TargetBasics, manifestsDir: string, workers: number): Target {
  const args = ['serve', '-f', manifestsDir, '--listen', '127.0.0.1:0', '--no-admin', '--workers', String(workers)];
  return {
    ...common(basics),
    fast: false,
    placement: placement(context, 'workers'),
    start: () => startServer(basics.id, launchCli(basics.id, args, 'workers', context.pinning)),
  };
}

/** nginx as a reverse proxy to the main upstream, pinned as the proxy. */
export function nginxProxyTarget(context: RunContext, basics: TargetBasics, nginx: string): Target {
  return {
    ...common(basics),
    fast: true,
    placement: placement(context, 'proxy'),
    start: async () => {
      const port = await freePort();
      const dir = join(context.scratchDir, `nginx-${basics.id}`);
      const file = writeNginxConfig(dir, nginxProxyConfig({ dir, port, user: rootUser() }, basics.upstream.address.port));
      const process = launchNginx(basics.id, nginx, dir, file, port, 'proxy', context.pinning);
      await process.ready();
      return { url: `http://127.0.0.1:${port}`, pid: process.pid, owned: process, info: {} };
    },
  };
}

/** Starts nginx as the upstream (`return 200`), pinned as the upstream. */
export async function startNginxUpstream(context: Pick<RunContext, 'scratchDir' | 'pinning' | 'token'>, nginx: string): Promise<RunningUpstream> {
  const port = await freePort();
  const dir = join(context.scratchDir, 'nginx-upstream');
  const file = writeNginxConfig(dir, nginxUpstreamConfig({ dir, port, user: rootUser() }, context.token));
  const process = launchNginx('nginx upstream', nginx, dir, file, port, 'upstream', context.pinning);
  await process.ready();
  return { kind: 'nginx', label: 'nginx `return 200` (1 worker)', address: { address: '127.0.0.1', port }, url: `http://127.0.0.1:${port}`, process };
}

/** Starts the gRPC echo upstream (grpc-js), pinned as the upstream. */
export async function startGrpcUpstream(context: Pick<RunContext, 'pinning' | 'token'>): Promise<RunningUpstream> {
  const process = launchServer('grpc upstream', 'grpc-upstream', { token: context.token }, 'upstream', context.pinning);
  const ready = await process.ready<ReadyMessage>();
  const url = new URL(ready.url);
  return { kind: 'grpc', label: 'grpc-js server, unary echo', address: { address: url.hostname, port: Number(url.port) }, url: ready.url, process };
}

/** Starts the Node upstream, pinned as the upstream. */
export async function startNodeUpstream(context: Pick<RunContext, 'pinning' | 'token'>): Promise<RunningUpstream> {
  const process = launchServer('node upstream', 'node-upstream', { token: context.token }, 'upstream', context.pinning);
  const ready = await process.ready<ReadyMessage>();
  const url = new URL(ready.url);
  return { kind: 'node', label: 'node:http, small fixed body', address: { address: url.hostname, port: Number(url.port) }, url: ready.url, process };
}

function common(basics: TargetBasics): Pick<Target, 'id' | 'label' | 'protocol' | 'requests' | 'expectation' | 'upstream' | 'webSocket' | 'tls' | 'h2' | 'grpc'> {
  return {
    id: basics.id,
    label: basics.label,
    protocol: basics.protocol ?? 'http',
    requests: basics.requests,
    expectation: basics.expectation,
    upstream: basics.upstream,
    ...(basics.webSocket ? { webSocket: basics.webSocket } : {}),
    ...(basics.tls ? { tls: basics.tls } : {}),
    ...(basics.h2 ? { h2: basics.h2 } : {}),
    ...(basics.grpc ? { grpc: basics.grpc } : {}),
  };
}

/** Waits for a server process to say it is ready; stops it and throws when it does not. */
export async function startServer(id: string, process: ManagedProcess<ToServer, FromServer>): Promise<StartedTarget> {
  try {
    const ready = await process.ready<ReadyMessage>();
    return { url: ready.url, pid: process.pid, owned: process, control: process, info: { ...(ready.info ?? {}), ...(ready.fingerprint ? { fingerprint: ready.fingerprint } : {}) } };
  } catch (error) {
    await process.stop();
    throw error instanceof BenchError ? error : new BenchError('SWY_BENCH_PROCESS_FAILED', `${id} did not start: ${(error as Error).message}`, { subject: targetSubject(id), cause: error });
  }
}

/** Writes an nginx configuration into its own directory (nginx creates its temp paths inside it). */
function writeNginxConfig(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, text);
  return file;
}

/** A port free right now on 127.0.0.1 (for nginx, which cannot report a port 0 it bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** nginx started by root switches its workers to `nobody` unless told otherwise: keep them as the current user. */
function rootUser(): string | undefined {
  return process.getuid?.() === 0 ? userInfo().username : undefined;
}
