import { describe, expect, test } from 'vitest';
import { percentile, spread } from '../src/common/stats.js';
import { DEFAULT_OPTIONS } from '../src/proxy/options.js';
import { planPinning } from '../src/proxy/pinning.js';
import type { LoadOutcome } from '../src/proxy/protocol.js';
import { count, latency, ratio, withSpread } from '../src/common/format.js';
import { renderReport, renderSuite, type ProxyReport } from '../src/proxy/report.js';
import { errorFreeFailures, type RoundResult, type SuiteResult, type TargetResult } from '../src/proxy/runner.js';
import { pairedRatio } from '../src/common/stats.js';
import { routeShares } from '../src/proxy/servers/route-profile.js';

function outcome(overrides: Partial<LoadOutcome> = {}): LoadOutcome {
  return {
    tool: 'autocannon',
    completed: 40_000,
    durationS: 10,
    latencyMs: { p50: 7, p99: 20, p999: 35 },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: { '200': 40_000 },
    bytes: 4_000_000,
    ...overrides,
  };
}

function round(r: number, overrides: Partial<LoadOutcome> = {}, during?: Record<string, number>): RoundResult {
  const o = outcome(overrides);
  return { round: r, outcome: o, rate: o.completed / o.durationS, serverCpuS: 8, cpuUsPerUnit: 200, loadCpuShare: 0.3, upstreamCpuShare: 0.2, wallS: 10, machine: { idle: 0.2, steal: 0.02 }, during };
}

/** A target whose round i measured rates[i] and cpu[i]. */
function target(id: string, label: string, rates: number[], cpu: number[], extra: Partial<TargetResult> = {}): TargetResult {
  return {
    id,
    label,
    tool: 'autocannon',
    placement: 'core 0',
    info: {},
    checked: 1,
    rounds: rates.map((rate, i) => ({ ...round(i), rate, cpuUsPerUnit: cpu[i]! })),
    rate: spread(rates),
    cpuUsPerUnit: spread(cpu),
    latencyMs: { p50: spread([7]), p99: spread([20.5]), p999: spread([35]) },
    errors: 0,
    non2xx: 0,
    statusCodes: {},
    mibPerS: undefined,
    loadCpuShare: 0.31,
    upstreamCpuShare: 0.22,
    ...extra,
  };
}

const SUITE: SuiteResult = {
  id: 'proxy',
  title: 'Proxies',
  unit: 'request',
  baseline: 'fastify-http-proxy',
  cpuFloor: 'undici-floor',
  durationS: 10,
  rounds: 3,
  throughput: false,
  targets: [
    target('fastify-http-proxy', 'fastify + @fastify/http-proxy, 1 route', [3_800, 3_700, 3_900], [234, 230, 240]),
    target('undici-floor', 'node:http + undici Pool.stream, no framework', [6_300, 6_200, 6_400], [137, 130, 140]),
    target('switchyard-10k', 'Switchyard, 10,000 paths / 100 hosts', [5_000, 4_900, 5_100], [160, 150, 170], { non2xx: 3, statusCodes: { '200': 9, '502': 3 } }),
  ],
  absent: [{ id: 'nginx-proxy', label: 'nginx reverse proxy', reason: 'nginx is not on PATH' }],
  notes: ['a note'],
  failures: [],
};

describe('the proxy report', () => {
  test('one row per target with median (min–max), ratios to the baseline and the floor, and absent targets listed', () => {
    const lines = renderSuite(SUITE);
    const row = (label: string) => lines.find((line) => line.startsWith(`| ${label} |`))!;
    expect(lines[2]).toBe('| target | tool | req/s | p50 | p99 | p99.9 | errors / non-2xx | CPU µs/req | req/s ÷ @fastify/http-proxy | req/s ÷ node:http + undici Pool.stream | CPU ÷ node:http + undici Pool.stream | gen / up |');
    expect(row('fastify + @fastify/http-proxy, 1 route')).toContain('| 3,800 (3,700–3,900) |');
    expect(row('fastify + @fastify/http-proxy, 1 route')).toContain('| 1.00× | 0.60× | 1.71× |');
    expect(row('Switchyard, 10,000 paths / 100 hosts')).toBe(
      '| Switchyard, 10,000 paths / 100 hosts | autocannon | 5,000 (4,900–5,100) | 7 ms | 20.5 ms | 35 ms | 0 / 3 | 160 (150–170) | 1.32× | 0.79× | 1.17× | 0.31 / 0.22 |',
    );
    expect(row('nginx reverse proxy')).toContain('absent: nginx is not on PATH');
    expect(row('nginx reverse proxy').split('|')).toHaveLength(lines[2]!.split('|').length);
    expect(lines).toContain('- Switchyard, 10,000 paths / 100 hosts: non-2xx answers by status: {"200":9,"502":3}.');
    expect(lines.some((line) => line.startsWith('**Failed**'))).toBe(false);
  });

  test('without its baseline in the run, ratios show a dash rather than a number', () => {
    const lines = renderSuite({ ...SUITE, targets: SUITE.targets.slice(1) });
    expect(lines.find((line) => line.startsWith('| node:http'))).toContain('| – | 1.00× | 1.00× |');
  });

  test('rounds the hypervisor stole much CPU time from are named under the table', () => {
    const rounds = [round(0), { ...round(1), machine: { idle: 0.1, steal: 0.3 } }];
    const lines = renderSuite({ ...SUITE, targets: [{ ...SUITE.targets[0]!, rounds }] });
    expect(lines.find((line) => line.includes('stolen by the hypervisor'))).toContain('fastify + @fastify/http-proxy, 1 route round 2 (30 %)');
    expect(renderSuite(SUITE).some((line) => line.includes('stolen'))).toBe(false);
  });

  test('a gRPC suite counts calls, shows the upstream’s CPU per call, and breaks non-OK calls down by status', () => {
    // Upstream: 0.2 of a core over 10 s is 2 CPU seconds; over 40,000 calls that is 50 µs a call.
    const grpcRound = (r: number, overrides: Partial<LoadOutcome> = {}) => ({ ...round(r, { tool: 'grpc-js', statusCodes: { OK: 40_000 }, ...overrides }), upstreamCpuShare: 0.2 });
    const direct = target('grpc-direct', 'grpc-js server alone, called directly', [8_000, 8_000], [50, 50], { tool: 'grpc-js', rounds: [grpcRound(0), grpcRound(1)].map((r) => ({ ...r, rate: 8_000 })) });
    const switchyard = target('grpc-switchyard', 'Switchyard plain listener with h2c', [6_000, 6_400], [120, 110], {
      tool: 'grpc-js',
      rounds: [grpcRound(0), grpcRound(1, { completed: 20_000 })].map((r, i) => ({ ...r, rate: [6_000, 6_400][i]! })),
      errors: 2,
      statusCodes: { OK: 59_998, UNAVAILABLE: 2 },
    });
    const suite: SuiteResult = { ...SUITE, id: 'grpc', title: 'gRPC unary calls', unit: 'call', baseline: 'grpc-direct', cpuFloor: undefined, upstreamCpu: true, targets: [direct, switchyard], absent: [], notes: [] };
    const lines = renderSuite(suite);
    expect(lines[2]).toBe('| target | tool | call/s | p50 | p99 | p99.9 | errors / non-2xx | CPU µs/call | upstream CPU µs/call | call/s ÷ grpc-js server alone | gen / up |');
    const row = (label: string) => lines.find((line) => line.startsWith(`| ${label} |`))!;
    expect(row('grpc-js server alone, called directly')).toContain('| grpc-js client | 8,000 |');
    expect(row('grpc-js server alone, called directly')).toContain('| 50 | 50 | 1.00× |');
    // The second round completed half the calls with the same upstream CPU: twice the CPU per call.
    expect(row('Switchyard plain listener with h2c')).toContain('| 2 / 0 | 115 (110–120) | 75 (50–100) | 0.78× |');
    expect(lines).toContain('- Switchyard plain listener with h2c: calls by status: {"OK":59998,"UNAVAILABLE":2}.');
  });

  test('failures of an error-free suite are listed', () => {
    expect(renderSuite({ ...SUITE, failures: ['swaps-swapping, round 2: 1 error(s)'] })).toContain('- swaps-swapping, round 2: 1 error(s)');
  });

  test('the whole report names the command, the machine, the pinning, the tools and the scenarios run', () => {
    const report: ProxyReport = {
      environment: {
        date: '2026-01-01T00:00:00.000Z',
        command: 'pnpm bench:proxy',
        node: 'v20.20.2',
        v8: '11',
        cpu: 'AMD EPYC',
        cores: 2,
        memoryGiB: 24,
        os: 'linux',
        connections: 50,
        pipelining: 1,
        durationS: 10,
        scenarioDurationS: 5,
        warmUpS: 2,
        rounds: 3,
        pinning: planPinning('/usr/bin/taskset', 2),
        tools: { taskset: { path: '/usr/bin/taskset', version: 'taskset 2.38' }, nginx: null, wrk: null, h2load: null },
        autocannon: '9.0.0',
        upstream: 'node:http, small fixed body',
      },
      options: DEFAULT_OPTIONS,
      scenariosRun: ['tls', 'swaps'],
      suites: [SUITE],
    };
    const text = renderReport(report);
    expect(text).toContain('`pnpm bench:proxy` · 2026-01-01T00:00:00.000Z · Node v20.20.2 · AMD EPYC, 2 cores');
    expect(text).toContain('proxy on core 0, load generator on core 1, upstream on core 1');
    expect(text).toContain('nginx absent; wrk absent');
    expect(text).toContain('nginx absent; wrk absent; h2load absent');
    expect(text).toContain('Extra scenarios run: tls, swaps; not run: websocket, workers, big-body, h2, grpc.');
    expect(text).toContain('### Proxies');
  });

  test('number formats', () => {
    expect(withSpread(spread([1, 2, 3]), String)).toBe('2 (1–3)');
    expect(withSpread(spread([5]), String)).toBe('5');
    expect(count(12_345.6)).toBe('12,346');
    expect(count(Number.NaN)).toBe('–');
    expect(latency(7)).toBe('7 ms');
    expect(latency(1.234)).toBe('1.23 ms');
    expect(latency(12.34)).toBe('12.3 ms');
    expect(ratio(1.306)).toBe('1.31×');
    expect(ratio(Number.POSITIVE_INFINITY)).toBe('–');
  });

  test('percentile is nearest-rank', () => {
    const sorted = Float64Array.from({ length: 1_000 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(500);
    expect(percentile(sorted, 99)).toBe(990);
    expect(percentile(sorted, 99.9)).toBe(999);
    expect(percentile(sorted, 100)).toBe(1_000);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('error-free scenarios', () => {
  const verifyRound = (during: Readonly<Record<string, number>>) => (during.swaps === 100 ? undefined : `${during.swaps} swaps of 100`);

  test('a round with an error, a non-2xx or too few swaps fails; a clean one does not', () => {
    const failures = errorFreeFailures({ verifyRound }, [
      { target: { id: 'clean' }, rounds: [round(0, {}, { swaps: 100 })] },
      { target: { id: 'errors' }, rounds: [round(0, { errors: 2 }, { swaps: 100 })] },
      // A timeout is one of the errors, as both tools count it: it is not added again.
      { target: { id: 'timeout' }, rounds: [round(0, { errors: 1, timeouts: 1 }, { swaps: 100 })] },
      { target: { id: 'non2xx' }, rounds: [round(0), round(1, { non2xx: 1, statusCodes: { '503': 1 } })] },
      { target: { id: 'short' }, rounds: [round(0, {}, { swaps: 97 })] },
    ]);
    expect(failures).toEqual([
      'errors, round 1: 2 error(s) (0 of them timeouts), 0 non-2xx (status codes: {"200":40000})',
      'timeout, round 1: 1 error(s) (1 of them timeouts), 0 non-2xx (status codes: {"200":40000})',
      'non2xx, round 2: 0 error(s) (0 of them timeouts), 1 non-2xx (status codes: {"503":1})',
      'short, round 1: 97 swaps of 100',
    ]);
  });
});

describe('paired ratios and the issue targets', () => {
  test('a paired ratio divides within each round, so drift between rounds cancels where a ratio of medians does not', () => {
    // The machine halves its speed from round to round; the subject is 0.9× the reference in every round.
    const reference = target('ref', 'ref', [10_000, 5_000, 2_500], [100, 200, 400]);
    const subject = { ...target('sub', 'sub', [9_000, 4_500, 2_250], [110, 220, 440]) };
    const shifted = { ...subject, rounds: [subject.rounds[1]!, subject.rounds[2]!, { ...subject.rounds[0]!, round: 3 }] };
    expect(pairedRatio(subject, reference, (r) => r.rate)).toEqual({ median: 0.9, min: 0.9, max: 0.9 });
    // Round numbers pair the rounds, not positions; a round the reference lacks is left out.
    expect(pairedRatio(shifted, reference, (r) => r.rate)?.median).toBeCloseTo(0.9, 10);
    expect(pairedRatio(subject, { rounds: [] }, (r) => r.rate)).toBeUndefined();
  });

  test('the targets table judges Switchyard at 10,000 paths against each reference, and says which did not run', () => {
    const profiled: TargetResult = {
      ...SUITE.targets[2]!,
      profile: { samples: 50_000, busyMs: 4_000, shares: { lookup: 0.0123, normalize: 0.004 } },
    };
    const lines = renderSuite({ ...SUITE, targets: [SUITE.targets[0]!, SUITE.targets[1]!, profiled] });
    const row = (start: string) => lines.find((line) => line.startsWith(`| ${start}`));
    expect(row('req/s ÷ @fastify/http-proxy')).toBe('| req/s ÷ @fastify/http-proxy (1 route) ≥ 1.3× | 1.316× (1.308–1.324) | yes |');
    expect(row('req/s ÷ reply-from')).toBe('| req/s ÷ reply-from + Map ≥ 1.2× | reply-from-map did not run | – |');
    expect(row('req/s ÷ node:http')).toBe('| req/s ÷ node:http + undici Pool.stream ≥ 0.9× | 0.794× (0.790–0.797) | no |');
    expect(row('CPU per request')).toBe('| CPU per request ÷ the floor’s ≤ 1.24× (170 µs beside a 137 µs floor) | 1.168× (1.154–1.214) | yes |');
    expect(row('route lookup')).toBe('| route lookup, share of CPU ≤ 1 % | 1.23 % | no |');
    expect(row('p99')).toBe('| p99 no worse than @fastify/http-proxy’s | 20.5 ms against 20.5 ms | yes |');
    expect(lines).toContain(
      '- Switchyard, 10,000 paths / 100 hosts: route lookup (`RouteTable.lookup` and what it calls) 1.23 % of the busy CPU samples; `normalizeHost` + `normalizePath` 0.40 % (V8\'s sampling profiler in the target, one untimed window after the rounds, 50,000 samples).',
    );
    expect(renderSuite({ ...SUITE, targets: SUITE.targets.slice(0, 2) }).some((line) => line.includes('Targets for Switchyard'))).toBe(false);
  });

  test('the Gateway API target is judged against the Ingress table with the same requests, the plain one beside it', () => {
    const ingress = target('switchyard-1k', 'Switchyard, 1,000 paths / 10 hosts', [10_000, 9_000, 11_000], [100, 110, 90]);
    const sameRequests = target('switchyard-1k-gateway-load', 'Switchyard, 1,000 paths / 10 hosts, Gateway API requests', [9_400, 8_550, 10_230], [104, 115, 95]);
    const gateway = target('switchyard-gateway-1k', 'Switchyard, Gateway API', [9_000, 8_300, 10_000], [110, 118, 98]);
    const lines = renderSuite({ ...SUITE, targets: [ingress, sameRequests, gateway] });
    const row = (start: string) => lines.find((line) => line.startsWith(`| ${start}`));
    expect(row('req/s ÷ Switchyard on 1,000 Ingress paths with the same requests')).toBe('| req/s ÷ Switchyard on 1,000 Ingress paths with the same requests ≥ 0.95× | 0.971× (0.957–0.978) | yes |');
    expect(row('req/s ÷ Switchyard on 1,000 Ingress paths, GET')).toBe('| req/s ÷ Switchyard on 1,000 Ingress paths, GET with a Host only (for comparison) | 0.909× (0.900–0.922) | – |');
    expect(row('what the requests')).toBe("| what the requests' methods and headers cost: req/s on 1,000 Ingress paths with them ÷ without | 0.940× (0.930–0.950) | – |");
    // Without the same-requests target, the target is not judged at all.
    const withoutSame = renderSuite({ ...SUITE, targets: [ingress, gateway] });
    expect(withoutSame.find((line) => line.includes('with the same requests'))).toBe('| req/s ÷ Switchyard on 1,000 Ingress paths with the same requests ≥ 0.95× | switchyard-1k-gateway-load did not run | – |');
    expect(renderSuite({ ...SUITE, targets: [ingress, sameRequests] }).some((line) => line.includes('Gateway API table'))).toBe(false);
  });
});

describe('the route profile', () => {
  // root → tick → { lookup → trieMatch, normalizeHost, other }, plus (idle).
  const frame = (functionName: string, url = '') => ({ functionName, url });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 7] },
      { id: 2, callFrame: frame('processTicks', 'node:internal'), children: [3, 5, 6] },
      { id: 3, callFrame: frame('lookup', 'file:///w/packages/core/src/route-table/route-table.ts'), children: [4] },
      { id: 4, callFrame: frame('match', 'file:///w/packages/core/src/path-matcher/segment-trie/segment-trie.ts') },
      { id: 5, callFrame: frame('normalizeHost', 'file:///w/packages/core/src/request/normalize-host.ts') },
      { id: 6, callFrame: frame('lookup', 'file:///w/node_modules/undici/lib/other.js') },
      { id: 7, callFrame: frame('(idle)') },
    ],
    samples: [3, 4, 5, 6, 6, 7, 7, 2],
    timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100],
  };

  test('shares count what a part calls, leave idle time out, and match functions by name and file', () => {
    expect(routeShares(profile)).toEqual({ samples: 8, busyMs: 0.6, shares: { lookup: 2 / 6, normalize: 1 / 6 } });
  });
});
