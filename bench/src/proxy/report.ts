import { SERVER_V8_FLAGS } from './process/launch.js';
import type { Environment } from '../common/environment.js';
import { CLI_SERVE_NOLOG_TARGET, CLI_SERVE_TARGET, SCENARIO_IDS, type ProxyBenchOptions, type ScenarioId } from './options.js';
import { describePinning, type Pinning } from './pinning.js';
import { count, latency, ratio, withSpread } from '../common/format.js';
import { pairedRatio, spread, type Spread } from '../common/stats.js';
import type { LoadTool, RouteProfile } from './protocol.js';
import { renderGatewayProxyTargets, renderProxyTargets } from './proxy-targets.js';
import { renderChurnSection, renderCliServeTargets } from './cli-report.js';
import { CLI_CHURNING, CLI_STATIC } from './churn-schedule.js';
import type { SuiteResult, TargetResult } from './runner.js';
import type { Tools } from './tools.js';

/** The machine, the load and the tools of a run: everything needed to read and repeat it. */
export interface ProxyEnvironment extends Environment {
  readonly connections: number;
  readonly pipelining: number;
  readonly durationS: number;
  readonly scenarioDurationS: number;
  readonly warmUpS: number;
  readonly rounds: number;
  readonly pinning: Pinning;
  readonly tools: Tools;
  readonly autocannon: string;
  /** The upstream of the main table. */
  readonly upstream: string;
}

export interface ProxyReport {
  readonly environment: ProxyEnvironment;
  readonly options: ProxyBenchOptions;
  readonly scenariosRun: readonly ScenarioId[];
  readonly suites: readonly SuiteResult[];
}

/** Rounds whose stolen CPU share is above this are named under the table. */
const STEAL_NOTE_SHARE = 0.1;

const TOOL_NAMES: Record<LoadTool, string> = { autocannon: 'autocannon', wrk: 'wrk', 'ws-client': 'ws client', h2load: 'h2load', 'grpc-js': 'grpc-js client' };

/** The unit in column headers: req/s, msg/s, call/s. */
const UNIT_SHORT: Record<SuiteResult['unit'], string> = { request: 'req', message: 'msg', call: 'call' };

/** The upstream's CPU time per completed unit, per round: its share of a core over the window's wall time, over the units. */
export function upstreamCpuUsPerUnit(target: Pick<TargetResult, 'rounds'>): Spread {
  return spread(target.rounds.map((r) => (r.outcome.completed === 0 ? Number.NaN : (r.upstreamCpuShare * r.wallS * 1e6) / r.outcome.completed)));
}

/** The run as markdown: what ran where, then one table per suite with its notes. */
export function renderReport(report: ProxyReport): string {
  const env = report.environment;
  const { tools } = env;
  const skipped = SCENARIO_IDS.filter((id) => !report.scenariosRun.includes(id));
  const lines = [
    '## Proxy benchmark',
    '',
    `\`${env.command}\` · ${env.date} · Node ${env.node} · ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB · ${env.os}`,
    '',
    `Upstream: ${env.upstream}. Load: autocannon ${env.autocannon} (programmatic, in its own process), ${env.connections} connections, pipelining ${env.pipelining}, ` +
      `${env.durationS} s per target and round (${env.scenarioDurationS} s in the extra scenarios) after ${env.warmUpS} s of warm-up, ${env.rounds} interleaved rounds; ` +
      `every target checked for correct routing first.`,
    `Pinning: ${describePinning(env.pinning)}. Node servers run with ${SERVER_V8_FLAGS.map((flag) => `\`${flag}\``).join(' ')} (what \`switchyard serve\` sets on itself; the @switchyard/fastify README says why).`,
    `Tools: ${toolLine('taskset', tools.taskset)}; ${toolLine('nginx', tools.nginx)}; ${toolLine('wrk', tools.wrk)}${tools.wrk && !report.options.wrk ? ' (not used: --no-wrk)' : ''}; ${toolLine('h2load', tools.h2load)}.`,
    `Extra scenarios run: ${report.scenariosRun.length > 0 ? report.scenariosRun.join(', ') : 'none'}${skipped.length > 0 ? `; not run: ${skipped.join(', ')}` : ''}.`,
    '',
    'Rates and CPU are the median of the rounds (lowest–highest in parentheses); latencies are the median of the rounds\' percentiles. ' +
      'CPU is the server process\'s own user + system time (its children\'s too) over the timed window, per completed request. ' +
      'Ratios are paired: the ratio of the two targets within each round, then the median over the rounds (a round measures every target within a couple of minutes, so the drift of a shared machine between rounds cancels). ' +
      '"gen / up" is the CPU the load generator and the upstream used, in cores: when the load generator nears 1.0 it, not the target, is the limit.',
  ];
  for (const suite of report.suites) lines.push('', ...renderSuite(suite));
  return lines.join('\n');
}

/** One suite as a markdown table with its notes, absent targets and failures. */
export function renderSuite(suite: SuiteResult): string[] {
  const per = UNIT_SHORT[suite.unit];
  const baseline = suite.targets.find((t) => t.id === suite.baseline);
  const floor = suite.targets.find((t) => t.id === suite.cpuFloor);
  const columns = [
    'target',
    'tool',
    `${per}/s`,
    ...(suite.throughput ? ['MiB/s'] : []),
    'p50',
    'p99',
    'p99.9',
    'errors / non-2xx',
    `CPU µs/${per}`,
    ...(suite.upstreamCpu ? [`upstream CPU µs/${per}`] : []),
    `${per}/s ÷ ${baseline ? shortName(baseline) : 'baseline'}`,
    // The issues set targets against both: the peer's rate and the floor's.
    ...(suite.cpuFloor ? [`${per}/s ÷ ${floor ? shortName(floor) : 'floor'}`, `CPU ÷ ${floor ? shortName(floor) : 'floor'}`] : []),
    'gen / up',
  ];
  const lines = [`### ${suite.title}`, '', `| ${columns.join(' | ')} |`, `| ${columns.map((_, i) => (i < 2 ? '---' : '--:')).join(' | ')} |`];
  for (const t of suite.targets) {
    const cells = [
      t.label,
      TOOL_NAMES[t.tool],
      withSpread(t.rate, count),
      ...(suite.throughput ? [t.mibPerS ? withSpread(t.mibPerS, (v) => v.toFixed(0)) : '–'] : []),
      latency(t.latencyMs.p50.median),
      latency(t.latencyMs.p99.median),
      latency(t.latencyMs.p999.median),
      `${count(t.errors)} / ${count(t.non2xx)}`,
      withSpread(t.cpuUsPerUnit, (v) => v.toFixed(0)),
      ...(suite.upstreamCpu ? [withSpread(upstreamCpuUsPerUnit(t), (v) => v.toFixed(0))] : []),
      baseline ? ratio(pairedRatio(t, baseline, (r) => r.rate)?.median ?? Number.NaN) : '–',
      ...(suite.cpuFloor
        ? floor
          ? [ratio(pairedRatio(t, floor, (r) => r.rate)?.median ?? Number.NaN), ratio(pairedRatio(t, floor, (r) => r.cpuUsPerUnit)?.median ?? Number.NaN)]
          : ['–', '–']
        : []),
      `${t.loadCpuShare === undefined ? '–' : t.loadCpuShare.toFixed(2)} / ${t.upstreamCpuShare.toFixed(2)}`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const a of suite.absent) {
    lines.push(`| ${a.label} | – | absent: ${a.reason} | ${columns.slice(3).map(() => '–').join(' | ')} |`);
  }
  const notes = [...suite.notes];
  for (const t of suite.targets) {
    if (t.profile !== undefined) notes.push(profileNote(t.label, t.profile));
    if (t.non2xx > 0) notes.push(`${t.label}: non-2xx answers by status: ${JSON.stringify(t.statusCodes)}.`);
    if (suite.unit === 'call' && t.errors > 0) notes.push(`${t.label}: calls by status: ${JSON.stringify(t.statusCodes)}.`);
    const swaps = t.rounds.filter((r) => r.during?.swaps !== undefined);
    if (swaps.length > 0) {
      notes.push(`${t.label}: swaps per round ${swaps.map((r) => r.during!.swaps).join(', ')}; compile time per swap (median per round) ${swaps.map((r) => `${r.during!.compileMsMedian} ms`).join(', ')}.`);
    }
  }
  const stolen = suite.targets.flatMap((t) => t.rounds.filter((r) => r.machine.steal > STEAL_NOTE_SHARE).map((r) => `${t.label} round ${r.round + 1} (${percent(r.machine.steal)})`));
  if (stolen.length > 0) notes.push(`Rounds with more than ${percent(STEAL_NOTE_SHARE)} of the machine's CPU time stolen by the hypervisor (other guests): ${stolen.join('; ')}.`);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note}`));
  if (suite.id === 'proxy') lines.push(...renderProxyTargets(suite), ...renderGatewayProxyTargets(suite), ...renderCliServeTargets(suite, CLI_SERVE_TARGET, CLI_SERVE_NOLOG_TARGET));
  if (suite.id === 'swaps') lines.push(...renderChurnSection(suite, CLI_CHURNING, CLI_STATIC));
  if (suite.failures.length > 0) lines.push('', '**Failed** (this scenario must be error-free):', ...suite.failures.map((f) => `- ${f}`));
  return lines;
}

/** What the untimed profiled window found. */
export function profileNote(label: string, profile: RouteProfile): string {
  return (
    `${label}: route lookup (\`RouteTable.lookup\` and what it calls) ${percentFine(profile.shares.lookup)} of the busy CPU samples; ` +
    `\`normalizeHost\` + \`normalizePath\` ${percentFine(profile.shares.normalize)} (V8's sampling profiler in the target, one untimed window after the rounds, ${count(profile.samples)} samples).`
  );
}

/** A share to two decimals of a percent: the lookup's share is often below 1 %. */
export function percentFine(share: number): string {
  return `${(share * 100).toFixed(2)} %`;
}

function toolLine(name: string, tool: Tools[keyof Tools]): string {
  // The version line names the program already (`taskset from util-linux 2.38.1`, `nginx version: nginx/1.24.0`).
  return tool === null ? `${name} absent` : `${tool.version ?? name} (${tool.path})`;
}

/** The ratio header's name for a target: its label up to the first comma. */
function shortName(target: TargetResult): string {
  return target.label.split(',')[0]!.replace('fastify + ', '');
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
