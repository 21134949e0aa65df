import { Session } from 'node:inspector';
import type { RouteProfile } from '../protocol.js';

/** The sampling interval, µs: about 50,000 samples in a 5 s window. */
const SAMPLING_INTERVAL_US = 100;

/** What a window's shares are made of: functions of core, by name and the file they are in. */
const PARTS: ReadonlyArray<{ readonly part: keyof RouteProfile['shares']; readonly functionName: string; readonly file: string }> = [
  { part: 'lookup', functionName: 'lookup', file: '/route-table/route-table.ts' },
  // The Gateway API's lookup: `GatewayPort.find` and the `ListenerRoutes.find` it calls.
  { part: 'lookup', functionName: 'find', file: '/gateway-api/listener-index.ts' },
  { part: 'normalize', functionName: 'normalizeHost', file: '/request/normalize-host.ts' },
  { part: 'normalize', functionName: 'normalizePath', file: '/request/normalize-path.ts' },
];

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * V8's sampling profiler in the target's own process, started and stopped by the orchestrator
 * around one extra window of load (not a timed one: sampling costs CPU). It answers the share
 * of the busy samples (all but `(idle)`) spent inside `RouteTable.lookup` and inside core's
 * normalizers, counting everything they call: what the issue's "route lookup ≤ 1 % of CPU"
 * is about, measured under the same spread requests as the timed rounds.
 */
export class RouteProfiler {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  async start(): Promise<void> {
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await this.post('Profiler.start');
  }

  async stop(): Promise<RouteProfile> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: CpuProfile };
    await this.post('Profiler.disable');
    return routeShares(profile);
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  }
}

/** Shares of the busy samples' time under each part (a sample counts once per part, however deep the recursion). */
export function routeShares(profile: CpuProfile): RouteProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const partOf = (node: ProfileNode) => PARTS.find((p) => p.functionName === node.callFrame.functionName && node.callFrame.url.includes(p.file))?.part;
  // Per node: the parts it runs under (itself or an ancestor), found once, then per sample a Map read.
  const under = new Map<number, ReadonlySet<string>>();
  const partsUnder = (id: number): ReadonlySet<string> => {
    const known = under.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id)!;
    const parent = parentOf.get(id);
    const parts = new Set(parent === undefined ? [] : partsUnder(parent));
    const own = partOf(node);
    if (own !== undefined) parts.add(own);
    under.set(id, parts);
    return parts;
  };
  let busyUs = 0;
  const partUs = { lookup: 0, normalize: 0 };
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    busyUs += us;
    for (const part of partsUnder(id)) partUs[part as keyof typeof partUs] += us;
  });
  return {
    samples: profile.samples.length,
    busyMs: busyUs / 1000,
    shares: { lookup: busyUs === 0 ? 0 : partUs.lookup / busyUs, normalize: busyUs === 0 ? 0 : partUs.normalize / busyUs },
  };
}
