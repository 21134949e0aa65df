import { ms, spreadRatio } from '../common/format.js';
import { pairedRatio, spread, type Spread } from '../common/stats.js';
import { EVENT_LOOP_SAMPLE_MS } from './cli-admin.js';
import { ROUTED_WITHIN_MS } from './churn-schedule.js';
import type { RoundResult, SuiteResult, TargetResult } from './runner.js';

/** Issue 16's config-churn targets: the CLI with a change per second against itself without. */
export const CHURN_RATE_TARGET = 0.9;
export const CHURN_P99_TARGET = 1.2;
export const EVENT_LOOP_DELAY_TARGET_MS = 5;
/** Issue 16's targets for the CLI as a user runs it, beside the floor and @fastify/http-proxy. */
export const CLI_TO_FLOOR_TARGET = 0.9;
export const CLI_TO_FASTIFY_TARGET = 1.3;

/** One round of the churn pair, both targets' figures side by side. */
export interface ChurnRound {
  readonly round: number;
  readonly rateRatio: number;
  readonly p99Ratio: number;
  /** Connection errors, timeouts and non-2xx answers of the churning target (and of the one without changes). */
  readonly failed: number;
  readonly failedStatic: number;
  readonly changes: number;
  readonly routedInTime: number;
  readonly medianMs: number;
  readonly slowestMs: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopP99StaticMs: number;
  /** The churning CLI's CPU in the window minus the other's, per change (ms). */
  readonly cpuPerChangeMs: number;
  /** The same, with the other's CPU scaled to the requests the churning one served (ms): see `churnRounds`. */
  readonly cpuPerChangeAtSameLoadMs: number;
}

/**
 * The churn pair's rounds, paired: for each round both targets measured, the ratios of the
 * churning CLI to the one without changes, the changes and how fast each was routed, both
 * event-loop p99s, and the reload's CPU per change two ways. The plain difference of the two
 * processes' CPU seconds is what the issue names; but when the proxy's core is saturated both
 * use all of it and the difference says nothing, the reloads showing as fewer requests instead.
 * So the second subtracts what the churning target's requests would have cost at the other's
 * CPU per request: the CPU the changes cost beyond serving.
 */
export function churnRounds(churning: Pick<TargetResult, 'rounds'>, still: Pick<TargetResult, 'rounds'>): ChurnRound[] {
  return churning.rounds.flatMap((r): ChurnRound[] => {
    const other = still.rounds.find((o) => o.round === r.round);
    if (other === undefined) return [];
    const during = r.during ?? {};
    const changes = during.changes ?? 0;
    const atSameLoadS = (other.cpuUsPerUnit * r.outcome.completed) / 1e6;
    return [
      {
        round: r.round,
        rateRatio: r.rate / other.rate,
        p99Ratio: r.outcome.latencyMs.p99 / other.outcome.latencyMs.p99,
        failed: failures(r),
        failedStatic: failures(other),
        changes,
        routedInTime: during.routedInTime ?? 0,
        medianMs: during.medianMs ?? Number.NaN,
        slowestMs: during.slowestMs ?? Number.NaN,
        eventLoopP99Ms: during.eventLoopP99Ms ?? Number.NaN,
        eventLoopP99StaticMs: other.during?.eventLoopP99Ms ?? Number.NaN,
        cpuPerChangeMs: changes === 0 ? Number.NaN : ((r.serverCpuS - other.serverCpuS) * 1000) / changes,
        cpuPerChangeAtSameLoadMs: changes === 0 ? Number.NaN : ((r.serverCpuS - atSameLoadS) * 1000) / changes,
      },
    ];
  });
}

/**
 * The churn pair's section under the swaps table: one row per round, then issue 16's targets
 * judged on the medians of the rounds. Empty when the pair did not both run.
 */
export function renderChurnSection(suite: SuiteResult, churningId: string, staticId: string): string[] {
  const churning = suite.targets.find((t) => t.id === churningId);
  const still = suite.targets.find((t) => t.id === staticId);
  if (churning === undefined || still === undefined) return [];
  const rounds = churnRounds(churning, still);
  if (rounds.length === 0) return [];
  const of = (pick: (r: ChurnRound) => number): Spread | undefined => {
    const values = rounds.map(pick).filter(Number.isFinite);
    return values.length === 0 ? undefined : spread(values);
  };
  const changes = rounds.reduce((sum, r) => sum + r.changes, 0);
  const routed = rounds.reduce((sum, r) => sum + r.routedInTime, 0);
  const failed = rounds.reduce((sum, r) => sum + r.failed + r.failedStatic, 0);
  const slowest = Math.max(...rounds.map((r) => r.slowestMs));
  const rate = pairedRatio(churning, still, (r) => r.rate);
  const p99 = pairedRatio(churning, still, (r) => r.outcome.latencyMs.p99);
  const delay = of((r) => r.eventLoopP99Ms - EVENT_LOOP_SAMPLE_MS);
  const yes = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'yes' : 'no');
  return [
    '',
    `**Config churn through the CLI**, per round: ${churning.label} against ${still.label}.`,
    '',
    '| round | req/s ÷ no changes | p99 ÷ no changes | failed requests (churn / none) | changes routed ≤ 1 s | rewrite → routed, median / slowest | event-loop p99 (churn / none) | reload CPU per change (plain / at equal load) |',
    '| --: | --: | --: | --: | --: | --: | --: | --: |',
    ...rounds.map(
      (r) =>
        `| ${r.round + 1} | ${r.rateRatio.toFixed(3)}× | ${r.p99Ratio.toFixed(3)}× | ${r.failed} / ${r.failedStatic} | ${r.routedInTime} of ${r.changes} | ${msOr(r.medianMs)} / ${msOr(r.slowestMs, 'never')} | ` +
        `${msOr(r.eventLoopP99Ms)} / ${msOr(r.eventLoopP99StaticMs)} | ${msOr(r.cpuPerChangeMs)} / ${msOr(r.cpuPerChangeAtSameLoadMs)} |`,
    ),
    '',
    `- Event-loop p99: prom-client's \`nodejs_eventloop_lag_p99_seconds\` from the CLI's admin /metrics, scraped at the start of the window (which resets its \`monitorEventLoopDelay\` histogram) and at its end. Each sample is the time between two ticks of a ${EVENT_LOOP_SAMPLE_MS} ms timer, so an idle loop reads about ${EVENT_LOOP_SAMPLE_MS} ms; the target below judges what exceeds it. NaN (–): the CLI publishes no such metric.`,
    '- Reload CPU per change: the CLI\'s CPU seconds in the window with changes minus those in the window without, over the changes ("plain"); and minus what its requests would have cost at the other window\'s CPU per request ("at equal load"), which still shows the reloads\' cost when the proxy\'s core is saturated in both windows.',
    '',
    '**Targets for config churn through the CLI** (issue 16), from this run:',
    '',
    '| target | measured: median of the rounds (lowest–highest) | met |',
    '| --- | --- | --- |',
    `| req/s ≥ ${CHURN_RATE_TARGET}× the same CLI without changes (paired) | ${rate ? spreadRatio(rate) : '–'} | ${yes(rate && rate.median >= CHURN_RATE_TARGET)} |`,
    `| p99 ≤ ${CHURN_P99_TARGET}× the same CLI without changes (paired) | ${p99 ? spreadRatio(p99) : '–'} | ${yes(p99 && p99.median <= CHURN_P99_TARGET)} |`,
    `| no failed request | ${failed} | ${yes(failed === 0)} |`,
    `| every change routed within ${ROUTED_WITHIN_MS / 1000} s | ${routed} of ${changes}, slowest ${msOr(slowest, 'never routed')} | ${yes(routed === changes)} |`,
    `| event-loop delay p99 < ${EVENT_LOOP_DELAY_TARGET_MS} ms (p99 − the ${EVENT_LOOP_SAMPLE_MS} ms sampling interval), with changes | ${delay ? `${msOr(delay.median)} (${msOr(delay.min)}–${msOr(delay.max)})` : 'not published by the CLI'} | ${yes(delay && delay.median < EVENT_LOOP_DELAY_TARGET_MS)} |`,
  ];
}

/**
 * Issue 16's targets for the CLI as a user runs it (`switchyard-cli-1k`), judged on this run:
 * req/s against the floor and @fastify/http-proxy, paired per round, and p99 against
 * @fastify/http-proxy's. Empty when the CLI target did not run.
 */
export function renderCliServeTargets(suite: SuiteResult, cliId: string, nologId?: string): string[] {
  const byId = new Map(suite.targets.map((t) => [t.id, t]));
  const cli = byId.get(cliId);
  if (cli === undefined) return [];
  const nolog = nologId === undefined ? undefined : byId.get(nologId);
  const floor = byId.get('undici-floor');
  const peer = byId.get('fastify-http-proxy');
  const rate = (r: RoundResult) => r.rate;
  const toFloor = floor && pairedRatio(cli, floor, rate);
  const toPeer = peer && pairedRatio(cli, peer, rate);
  const cpuToFloor = floor && pairedRatio(cli, floor, (r) => r.cpuUsPerUnit);
  const yes = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'yes' : 'no');
  const absent = (id: string) => `${id} did not run`;
  return [
    '',
    `**Targets for the CLI as a user runs it** (issue 16): ${cli.label}, request log to ${String(cli.info.accessLog ?? 'stdout (discarded)')}, from this run:`,
    '',
    '| target | measured: median of the rounds (lowest–highest) | met |',
    '| --- | --- | --- |',
    `| req/s ÷ node:http + undici Pool.stream ≥ ${CLI_TO_FLOOR_TARGET}× | ${toFloor ? spreadRatio(toFloor) : absent('undici-floor')} | ${yes(toFloor && toFloor.median >= CLI_TO_FLOOR_TARGET)} |`,
    `| req/s ÷ @fastify/http-proxy ≥ ${CLI_TO_FASTIFY_TARGET}× | ${toPeer ? spreadRatio(toPeer) : absent('fastify-http-proxy')} | ${yes(toPeer && toPeer.median >= CLI_TO_FASTIFY_TARGET)} |`,
    `| p99 no worse than @fastify/http-proxy’s | ${peer ? `${cli.latencyMs.p99.median} ms against ${peer.latencyMs.p99.median} ms` : absent('fastify-http-proxy')} | ${yes(peer && cli.latencyMs.p99.median <= peer.latencyMs.p99.median)} |`,
    `| CPU per request ÷ the floor’s (for comparison) | ${cpuToFloor ? spreadRatio(cpuToFloor) : absent('undici-floor')} | – |`,
    ...(nolog === undefined ? [] : requestLineRows(cli, nolog)),
  ];
}

/**
 * The request line's cost, from the CLI against itself with `--access-log off` in the same
 * rounds: the ratio of req/s, and the CPU per request the line adds (µs, median of the rounds'
 * differences).
 */
function requestLineRows(cli: TargetResult, nolog: TargetResult): string[] {
  const rate = pairedRatio(cli, nolog, (r) => r.rate);
  const added = cli.rounds.flatMap((r) => {
    const other = nolog.rounds.find((o) => o.round === r.round);
    const difference = other === undefined ? Number.NaN : r.cpuUsPerUnit - other.cpuUsPerUnit;
    return Number.isFinite(difference) ? [difference] : [];
  });
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const addedSpread = added.length === 0 ? undefined : spread(added);
  return [
    `| req/s ÷ the same CLI with \`--access-log off\` (for comparison) | ${rate ? spreadRatio(rate) : '–'} | – |`,
    `| CPU per request the request line adds (for comparison) | ${addedSpread ? `${us(addedSpread.median)} (${us(addedSpread.min)} – ${us(addedSpread.max)})` : '–'} | – |`,
  ];
}

function failures(r: RoundResult): number {
  return r.outcome.errors + r.outcome.non2xx;
}

function msOr(value: number, otherwise = '–'): string {
  return Number.isFinite(value) ? ms(value) : otherwise;
}
