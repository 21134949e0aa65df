import { describe, expect, test } from 'vitest';
import { spread } from '../src/common/stats.js';
import { eventLoopDelayOf } from '../src/proxy/cli-admin.js';
import { churnRounds, renderChurnSection, renderCliServeTargets } from '../src/proxy/cli-report.js';
import { readServingLines, type ServingUrls } from '../src/proxy/cli-serving-lines.js';
import { churnWindow } from '../src/proxy/cli-targets.js';
import type { LoadOutcome } from '../src/proxy/protocol.js';
import type { RoundResult, SuiteResult, TargetResult } from '../src/proxy/runner.js';

function round(r: number, rate: number, p99: number, cpuS: number, during?: Record<string, number>, failures = 0): RoundResult {
  const outcome: LoadOutcome = {
    tool: 'wrk',
    completed: rate * 5,
    durationS: 5,
    latencyMs: { p50: 2, p99, p999: p99 * 2 },
    errors: failures,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    bytes: 0,
  };
  return { round: r, outcome, rate, serverCpuS: cpuS, cpuUsPerUnit: (cpuS * 1e6) / outcome.completed, loadCpuShare: undefined, upstreamCpuShare: 0.2, wallS: 5, machine: { idle: 0, steal: 0 }, during };
}

function target(id: string, label: string, rounds: RoundResult[], info: Record<string, string> = {}): TargetResult {
  const of = (pick: (r: RoundResult) => number) => spread(rounds.map(pick));
  return {
    id,
    label,
    tool: 'wrk',
    placement: 'core 0',
    info,
    checked: 256,
    rounds,
    rate: of((r) => r.rate),
    cpuUsPerUnit: of((r) => r.cpuUsPerUnit),
    latencyMs: { p50: of(() => 2), p99: of((r) => r.outcome.latencyMs.p99), p999: of((r) => r.outcome.latencyMs.p999) },
    errors: rounds.reduce((sum, r) => sum + r.outcome.errors, 0),
    non2xx: 0,
    statusCodes: {},
    mibPerS: undefined,
    loadCpuShare: undefined,
    upstreamCpuShare: 0.2,
  };
}

function suite(id: SuiteResult['id'], targets: TargetResult[]): SuiteResult {
  return { id, title: id, unit: 'request', baseline: undefined, cpuFloor: undefined, durationS: 5, rounds: 2, throughput: false, targets, absent: [], notes: [], failures: [] };
}

const quiet = (p99: number) => ({ changes: 0, routedInTime: 0, slowestMs: Number.NaN, medianMs: Number.NaN, eventLoopP99Ms: p99, eventLoopMaxMs: p99, eventLoopMinMs: 10 });
const busy = (p99: number, slowestMs: number, routedInTime = 5) => ({ changes: 5, routedInTime, slowestMs, medianMs: 200, eventLoopP99Ms: p99, eventLoopMaxMs: 40, eventLoopMinMs: 10 });

// Both CLIs saturate their core (5 CPU s in 5 s); the churning one serves 10,000 req/s against 12,000.
const STILL = target('cli-churn-static', 'CLI, no changes', [round(0, 12_000, 10, 5, quiet(12)), round(1, 12_500, 10, 5, quiet(11))]);
const CHURNING = target('cli-churn-churning', 'CLI, a change per second', [round(0, 10_000, 15, 5, busy(30, 400)), round(1, 11_250, 11, 5, busy(13, 350))]);

describe('the churn section', () => {
  test('pairs the rounds: ratios, changes, event-loop p99 of both, reload CPU per change plain and at equal load', () => {
    const [first, second] = churnRounds(CHURNING, STILL);
    expect(first).toMatchObject({ round: 0, rateRatio: 10_000 / 12_000, p99Ratio: 1.5, failed: 0, failedStatic: 0, changes: 5, routedInTime: 5, slowestMs: 400, eventLoopP99Ms: 30, eventLoopP99StaticMs: 12 });
    // The same CPU seconds: the plain difference is 0, while serving 50,000 requests at the
    // other's 83.3 µs each would have cost 4.17 s, so the 5 changes cost 0.83 s: 167 ms each.
    expect(first!.cpuPerChangeMs).toBe(0);
    expect(first!.cpuPerChangeAtSameLoadMs).toBeCloseTo(((5 - (5 / 60_000) * 50_000) * 1000) / 5, 6);
    expect(second!.rateRatio).toBe(0.9);
  });

  test('renders a row per round and the issue\'s targets, judged on the medians', () => {
    const lines = renderChurnSection(suite('swaps', [STILL, CHURNING]), 'cli-churn-churning', 'cli-churn-static');
    const text = lines.join('\n');
    expect(lines.find((line) => line.startsWith('| 1 |'))).toBe('| 1 | 0.833× | 1.500× | 0 / 0 | 5 of 5 | 200.0 ms / 400.0 ms | 30.0 ms / 12.0 ms | 0.00 ms / 166.7 ms |');
    expect(text).toContain('| req/s ≥ 0.9× the same CLI without changes (paired) | 0.867× (0.833–0.900) | no |');
    expect(text).toContain('| p99 ≤ 1.2× the same CLI without changes (paired) | 1.300× (1.100–1.500) | no |');
    expect(text).toContain('| no failed request | 0 | yes |');
    expect(text).toContain('| every change routed within 1 s | 10 of 10, slowest 400.0 ms | yes |');
    // p99 less the 10 ms sampling interval: 20 and 3 ms, median 11.5 ms.
    expect(text).toContain('with changes | 11.5 ms (3.00 ms–20.0 ms) | no |');
  });

  test('a change never routed, a failed request and a CLI without event-loop metrics each show', () => {
    const churning = target('c', 'churning', [round(0, 12_000, 10, 5, { ...busy(Number.NaN, Number.NaN, 4) }, 3)]);
    const still = target('s', 'still', [round(0, 12_000, 10, 5, quiet(Number.NaN))]);
    const text = renderChurnSection(suite('swaps', [still, churning]), 'c', 's').join('\n');
    expect(text).toContain('| 1 | 1.000× | 1.000× | 3 / 0 | 4 of 5 | 200.0 ms / never | – / – |');
    expect(text).toContain('| no failed request | 3 | no |');
    expect(text).toContain('| every change routed within 1 s | 4 of 5, slowest never routed | no |');
    expect(text).toContain('| not published by the CLI | – |');
  });

  test('nothing when the pair did not both run', () => {
    expect(renderChurnSection(suite('swaps', [STILL]), 'cli-churn-churning', 'cli-churn-static')).toEqual([]);
  });

  test('a window\'s figures: delays of the changes (undefined: never routed) and the event-loop scrape', () => {
    expect(churnWindow([120, 900, 1_100], { p99Ms: 14.25, maxMs: 30, minMs: 10 })).toEqual({
      changes: 3,
      routedInTime: 2,
      slowestMs: 1_100,
      medianMs: 900,
      eventLoopP99Ms: 14.25,
      eventLoopMaxMs: 30,
      eventLoopMinMs: 10,
    });
    const never = churnWindow([120, undefined], undefined);
    expect(never).toMatchObject({ changes: 2, routedInTime: 1, medianMs: 120 });
    expect(never.slowestMs).toBeNaN();
    expect(never.eventLoopP99Ms).toBeNaN();
    expect(churnWindow([], undefined)).toMatchObject({ changes: 0, routedInTime: 0 });
  });
});

describe('the CLI target beside the floor and @fastify/http-proxy', () => {
  test('req/s to both paired, p99 against the peer\'s, where its request log went', () => {
    const cli = target('switchyard-cli-1k', 'switchyard serve -f, 1,000 paths', [round(0, 9_000, 12, 4), round(1, 9_500, 12, 4)], { accessLog: '/tmp/x/access.log' });
    const floor = target('undici-floor', 'floor', [round(0, 10_000, 9, 4), round(1, 10_000, 9, 4)]);
    const peer = target('fastify-http-proxy', 'peer', [round(0, 6_000, 10, 4), round(1, 7_000, 10, 4)]);
    const text = renderCliServeTargets(suite('proxy', [peer, floor, cli]), 'switchyard-cli-1k').join('\n');
    expect(text).toContain('request log to /tmp/x/access.log');
    expect(text).toContain('| req/s ÷ node:http + undici Pool.stream ≥ 0.9× | 0.925× (0.900–0.950) | yes |');
    expect(text).toContain('| req/s ÷ @fastify/http-proxy ≥ 1.3× | 1.429× (1.357–1.500) | yes |');
    expect(text).toContain('| p99 no worse than @fastify/http-proxy’s | 12 ms against 10 ms | no |');
    expect(renderCliServeTargets(suite('proxy', [cli]), 'switchyard-cli-1k').join('\n')).toContain('undici-floor did not run');
    expect(renderCliServeTargets(suite('proxy', [floor]), 'switchyard-cli-1k')).toEqual([]);
  });

  test('beside the same CLI with --access-log off: the req/s ratio and the CPU per request the line adds, paired', () => {
    // 4 CPU s over 45,000 and 47,500 requests; the line-less CLI 4 s over 50,000 each round.
    const cli = target('switchyard-cli-1k', 'cli', [round(0, 9_000, 12, 4), round(1, 9_500, 12, 4)]);
    const nolog = target('switchyard-cli-1k-nolog', 'cli, no line', [round(0, 10_000, 11, 4), round(1, 10_000, 11, 4)]);
    const text = renderCliServeTargets(suite('proxy', [cli, nolog]), 'switchyard-cli-1k', 'switchyard-cli-1k-nolog').join('\n');
    expect(text).toContain('| req/s ÷ the same CLI with `--access-log off` (for comparison) | 0.925× (0.900–0.950) | – |');
    const added = [4e6 / 45_000 - 80, 4e6 / 47_500 - 80];
    const us = (value: number) => `${value.toFixed(1)} µs`;
    expect(text).toContain(`| CPU per request the request line adds (for comparison) | ${us((added[0]! + added[1]!) / 2)} (${us(added[1]!)} – ${us(added[0]!)}) | – |`);
    expect(renderCliServeTargets(suite('proxy', [cli]), 'switchyard-cli-1k', 'switchyard-cli-1k-nolog').join('\n')).not.toContain('access-log off');
  });
});

describe('reading the CLI', () => {
  test('the serving lines: the http and admin URLs, once the line after them comes, in whatever pieces', () => {
    const seen: ServingUrls[] = [];
    const lines = readServingLines((urls) => seen.push(urls));
    lines.write('switchyard: http http://127.0.0.1:1234\nswitchyard: adm');
    lines.write('in http://127.0.0.1:5678\n');
    expect(seen).toEqual([]);
    lines.write('switchyard: serving 3 Ingresses from 2 files\nswitchyard: later line\n');
    expect(seen).toEqual([{ http: 'http://127.0.0.1:1234', admin: 'http://127.0.0.1:5678' }]);
    const bare: ServingUrls[] = [];
    const noAdmin = readServingLines((urls) => bare.push(urls));
    noAdmin.write('switchyard: http http://127.0.0.1:1\nswitchyard: https https://127.0.0.1:2\nswitchyard: gateway 80 http http://127.0.0.1:3\nswitchyard: serving\n');
    expect(bare).toEqual([{ http: 'http://127.0.0.1:1' }]);
  });

  test('prom-client\'s event-loop figures from an exposition, whatever the prefix; undefined without them', () => {
    const exposition = [
      '# HELP switchyard_nodejs_eventloop_lag_p99_seconds The 99th percentile of the recorded event loop delays.',
      '# TYPE switchyard_nodejs_eventloop_lag_p99_seconds gauge',
      'switchyard_nodejs_eventloop_lag_p99_seconds 0.012345',
      'switchyard_nodejs_eventloop_lag_p90_seconds 0.011',
      'switchyard_nodejs_eventloop_lag_max_seconds{worker="1"} 0.05',
      'switchyard_nodejs_eventloop_lag_min_seconds 0.01',
      'switchyard_nodejs_eventloop_lag_seconds 0.002',
    ].join('\n');
    const figures = eventLoopDelayOf(exposition)!;
    expect(figures.p99Ms).toBeCloseTo(12.345, 9);
    expect(figures.maxMs).toBeCloseTo(50, 9);
    expect(figures.minMs).toBeCloseTo(10, 9);
    expect(eventLoopDelayOf('switchyard_requests_total 3\n')).toBeUndefined();
  });
});
