import { roundOrder } from '../common/rounds.js';
import { spread, type Spread } from '../common/stats.js';
import { checkHttpTarget, checkWebSocketTarget } from './check.js';
import { checkGrpcTarget } from './grpc-check.js';
import { ECHO_MESSAGE_BYTES, grpcAddress } from './grpc-echo.js';
import { machineShares, machineTicks, treeCpuSeconds } from './cpu-time.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadOutcome, LoadSpec, LoadTool, RouteProfile } from './protocol.js';
import { checkSample } from './request-list.js';
import type { Suite, SuiteId } from './suites/suite.js';
import type { AbsentTarget, RunContext, StartedTarget, Target } from './target.js';
import { WS_MESSAGE_BYTES } from './suites/websocket-suite.js';

/** Distinct requests the correctness check sends through each target. */
export const CHECK_SAMPLE = 256;

/** One timed window of one target. */
export interface RoundResult {
  readonly round: number;
  readonly outcome: LoadOutcome;
  /** Completed units (responses or messages) per second. */
  readonly rate: number;
  /** CPU seconds the target's process tree used in the window. */
  readonly serverCpuS: number;
  readonly cpuUsPerUnit: number;
  /** The load generator's and the upstream's CPU over the window's wall time (1 = a whole core); undefined for wrk. */
  readonly loadCpuShare: number | undefined;
  readonly upstreamCpuShare: number;
  readonly wallS: number;
  /**
   * The whole machine over the window: the share of CPU time idle, and the share the hypervisor
   * stole for other guests. A round with much stolen time measured the neighbours, not the target.
   */
  readonly machine: { readonly idle: number; readonly steal: number };
  /** What the target's `duringLoad` reported (table swaps). */
  readonly during: Readonly<Record<string, number>> | undefined;
}

export interface TargetResult {
  readonly id: string;
  readonly label: string;
  readonly tool: LoadTool;
  readonly placement: string;
  readonly info: Readonly<Record<string, string | number>>;
  readonly checked: number;
  readonly rounds: readonly RoundResult[];
  readonly rate: Spread;
  readonly cpuUsPerUnit: Spread;
  readonly latencyMs: { readonly p50: Spread; readonly p99: Spread; readonly p999: Spread };
  /** Over every round: connection errors and timeouts, non-2xx answers, by status code. */
  readonly errors: number;
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly mibPerS: Spread | undefined;
  readonly loadCpuShare: number | undefined;
  readonly upstreamCpuShare: number;
  /** From the untimed profiled window after the rounds (Switchyard in the main table). */
  readonly profile?: RouteProfile;
}

export interface SuiteResult {
  readonly id: SuiteId;
  readonly title: string;
  readonly unit: Suite['unit'];
  readonly baseline: string | undefined;
  readonly cpuFloor: string | undefined;
  readonly durationS: number;
  readonly rounds: number;
  readonly throughput: boolean;
  /** Show the upstream's CPU per unit (see `Suite.upstreamCpu`). */
  readonly upstreamCpu?: boolean;
  readonly targets: readonly TargetResult[];
  readonly absent: readonly AbsentTarget[];
  readonly notes: readonly string[];
  /** Why an error-free suite failed; empty when it did not. */
  readonly failures: readonly string[];
}

interface Running {
  readonly target: Target;
  readonly started: StartedTarget;
  readonly rounds: RoundResult[];
  tool: LoadTool;
  checked: number;
  profile?: RouteProfile;
}

/**
 * Runs one suite: starts its targets one by one, checks each for correct routing (a wrong
 * answer throws, before anything is timed), warms each up, then times `rounds` interleaved
 * rounds, the order rotating each round (A B C, B C A, ...; see `roundOrder` for the pairs of
 * a compare), so a slow spell on a shared machine lands on every target alike. A profiled suite then runs one untimed window per target
 * that can be profiled, with its sampling profiler on. Every process it started is stopped,
 * whatever happens.
 */
export async function runSuite(suite: Suite, context: RunContext, load: LoadDriver, log: (line: string) => void): Promise<SuiteResult> {
  const running: Running[] = [];
  const { options } = context;
  try {
    for (const target of suite.targets) {
      const started = await target.start();
      const item: Running = { target, started, rounds: [], tool: load.toolFor(specFor(target, started, context, 1), target.fast), checked: 0 };
      running.push(item);
      item.checked = await check(target, started, context);
      log(`${suite.id}: started and checked ${target.id} (${item.checked} request(s) answered by the upstream) at ${started.url}`);
    }
    if (options.warmUpS > 0) {
      for (const item of running) await load.run(specFor(item.target, item.started, context, options.warmUpS), item.target.fast);
      log(`${suite.id}: warmed up ${running.length} target(s), ${options.warmUpS} s each`);
    }
    const began = performance.now();
    for (let round = 0; round < options.rounds; round++) {
      for (const item of roundOrder(running, round, suite.groupSize)) item.rounds.push(await measure(item, round, suite.durationS, context, load));
      log(`${suite.id}: round ${round + 1} of ${options.rounds} done (${((performance.now() - began) / 1000).toFixed(0)} s)`);
    }
    if (suite.profiled && options.profile) {
      for (const item of running) {
        const { target, started } = item;
        if (target.profile === undefined) continue;
        item.profile = await target.profile(started, () => load.run(specFor(target, started, context, options.scenarioDurationS), target.fast));
        log(`${suite.id}: profiled ${target.id} for ${options.scenarioDurationS} s (untimed)`);
      }
    }
    const failures = suite.errorFree ? errorFreeFailures(suite, running) : [];
    // A suite that must stay correct under change is checked again after it.
    if (suite.errorFree) for (const item of running) await check(item.target, item.started, context);
    return {
      id: suite.id,
      title: suite.title,
      unit: suite.unit,
      baseline: suite.baseline,
      cpuFloor: suite.cpuFloor,
      durationS: suite.durationS,
      rounds: options.rounds,
      throughput: suite.throughput,
      ...(suite.upstreamCpu ? { upstreamCpu: true } : {}),
      targets: running.map(summarize),
      absent: suite.absent,
      notes: suite.notes,
      failures,
    };
  } finally {
    await Promise.all(running.map((item) => item.started.owned?.stop()));
  }
}

/** The load of one window for a target. */
export function specFor(target: Target, started: StartedTarget, context: RunContext, durationS: number): LoadSpec {
  const { options } = context;
  if (target.protocol === 'ws') {
    const socket = target.webSocket!;
    const url = new URL(socket.path, started.url.replace(/^http/, 'ws')).toString();
    return { kind: 'ws', url, host: socket.host, connections: options.connections, durationS, messageBytes: WS_MESSAGE_BYTES };
  }
  if (target.protocol === 'grpc') {
    const { channels, callsPerChannel } = target.grpc!;
    return { kind: 'grpc', address: grpcAddress(started.url), channels, callsPerChannel, durationS, messageBytes: ECHO_MESSAGE_BYTES };
  }
  return {
    kind: 'http',
    url: started.url,
    requests: target.requests.requests,
    connections: options.connections,
    pipelining: options.pipelining,
    durationS,
    ...(target.tls ? { servername: target.tls.servername } : {}),
    ...(target.h2 ? { h2: { streams: target.h2.streams }, connections: target.h2.connections } : {}),
  };
}

async function check(target: Target, started: StartedTarget, context: RunContext): Promise<number> {
  const checkTarget = { id: target.id, url: started.url, ...(target.tls ? { tls: target.tls } : {}), ...(target.h2 ? { h2: true } : {}) };
  if (target.protocol === 'ws') {
    await checkWebSocketTarget(checkTarget, target.webSocket!, context.token);
    return 1;
  }
  if (target.protocol === 'grpc') {
    await checkGrpcTarget(checkTarget, context.token);
    return 1;
  }
  const sample = checkSample(target.requests.requests, CHECK_SAMPLE);
  await checkHttpTarget(checkTarget, sample, context.token, target.expectation);
  return sample.length;
}

async function measure(item: Running, round: number, durationS: number, context: RunContext, load: LoadDriver): Promise<RoundResult> {
  const { target, started } = item;
  const spec = specFor(target, started, context, durationS);
  const tool = load.toolFor(spec, target.fast);
  const upstreamPid = target.upstream.process.pid;
  const cpu0 = treeCpuSeconds(started.pid);
  const upstream0 = treeCpuSeconds(upstreamPid);
  const load0 = tool === 'wrk' || tool === 'h2load' ? 0 : treeCpuSeconds(load.pid);
  const machine0 = machineTicks();
  const t0 = performance.now();
  const [outcome, during] = await Promise.all([load.run(spec, target.fast), target.duringLoad?.(started, durationS)]);
  const wallS = (performance.now() - t0) / 1000;
  const machine = machineShares(machine0, machineTicks());
  const serverCpuS = treeCpuSeconds(started.pid) - cpu0;
  const upstreamCpuS = treeCpuSeconds(upstreamPid) - upstream0;
  const loadCpuS = tool === 'wrk' || tool === 'h2load' ? undefined : treeCpuSeconds(load.pid) - load0;
  return {
    round,
    outcome,
    rate: outcome.completed / outcome.durationS,
    serverCpuS,
    cpuUsPerUnit: outcome.completed === 0 ? Number.NaN : (serverCpuS * 1e6) / outcome.completed,
    loadCpuShare: loadCpuS === undefined ? undefined : loadCpuS / wallS,
    upstreamCpuShare: upstreamCpuS / wallS,
    wallS,
    machine,
    during,
  };
}

function summarize(item: Running): TargetResult {
  const rounds = item.rounds;
  const of = (pick: (r: RoundResult) => number) => spread(rounds.map(pick));
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) for (const [code, count] of Object.entries(r.outcome.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const loadShares = rounds.map((r) => r.loadCpuShare).filter((share): share is number => share !== undefined);
  return {
    id: item.target.id,
    label: item.target.label,
    tool: rounds[0]?.outcome.tool ?? item.tool,
    placement: item.target.placement,
    info: item.started.info,
    checked: item.checked,
    rounds,
    rate: of((r) => r.rate),
    cpuUsPerUnit: of((r) => r.cpuUsPerUnit),
    latencyMs: { p50: of((r) => r.outcome.latencyMs.p50), p99: of((r) => r.outcome.latencyMs.p99), p999: of((r) => r.outcome.latencyMs.p999) },
    errors: rounds.reduce((sum, r) => sum + r.outcome.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.outcome.non2xx, 0),
    statusCodes,
    mibPerS: of((r) => r.outcome.bytes / r.outcome.durationS / 2 ** 20),
    loadCpuShare: loadShares.length === 0 ? undefined : spread(loadShares).median,
    upstreamCpuShare: of((r) => r.upstreamCpuShare).median,
    ...(item.profile ? { profile: item.profile } : {}),
  };
}

/** Every round of every target of an error-free suite must have no errors, no non-2xx, and pass the suite's own check. */
export function errorFreeFailures(suite: Pick<Suite, 'verifyRound'>, running: ReadonlyArray<{ readonly target: Pick<Target, 'id'>; readonly rounds: readonly RoundResult[] }>): string[] {
  const failures: string[] = [];
  for (const { target, rounds } of running) {
    for (const r of rounds) {
      const { errors, timeouts, non2xx, statusCodes } = r.outcome;
      if (errors + non2xx > 0) {
        failures.push(`${target.id}, round ${r.round + 1}: ${errors} error(s) (${timeouts} of them timeouts), ${non2xx} non-2xx (status codes: ${JSON.stringify(statusCodes)})`);
      }
      const verdict = r.during === undefined ? undefined : suite.verifyRound?.(r.during);
      if (verdict !== undefined) failures.push(`${target.id}, round ${r.round + 1}: ${verdict}`);
    }
  }
  return failures;
}
