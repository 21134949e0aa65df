import type { Spread } from '../common/stats.js';
import { spreadRatio } from '../common/format.js';
import { pairedRatio } from '../common/stats.js';
import type { RoundResult, SuiteResult, TargetResult } from './runner.js';

/** The CPU target, as a ratio to the floor measured beside it: the issue's 170 µs next to its 137 µs floor. */
export const CPU_TO_FLOOR_TARGET = 170 / 137;

interface Check {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/**
 * The proxy issue's targets for Switchyard at 10,000 paths, judged on this run: req/s against
 * the peers and the floor, CPU against the floor, the route lookup's profiled share, p99 and
 * the 1-path target. Ratios are paired per round (see `pairedRatio`). Empty when the
 * 10,000-path target did not run; a row whose reference did not run says so.
 */
export function renderProxyTargets(suite: SuiteResult): string[] {
  const byId = new Map(suite.targets.map((t) => [t.id, t]));
  const subject = byId.get('switchyard-10k');
  if (subject === undefined) return [];
  const rate = (r: RoundResult) => r.rate;
  const cpu = (r: RoundResult) => r.cpuUsPerUnit;
  const against = (id: string, what: string, pick: (r: RoundResult) => number, judge: (s: Spread) => boolean, goal: string): Check => {
    const reference = byId.get(id);
    const paired = reference === undefined ? undefined : pairedRatio(subject, reference, pick);
    return { target: `${what} ${goal}`, measured: paired === undefined ? `${id} did not run` : spreadRatio(paired), met: paired === undefined ? undefined : judge(paired) };
  };
  const http = byId.get('fastify-http-proxy');
  const checks: Check[] = [
    against('fastify-http-proxy', 'req/s ÷ @fastify/http-proxy (1 route)', rate, (s) => s.median >= 1.3, '≥ 1.3×'),
    against('reply-from-map', 'req/s ÷ reply-from + Map', rate, (s) => s.median >= 1.2, '≥ 1.2×'),
    against('undici-floor', 'req/s ÷ node:http + undici Pool.stream', rate, (s) => s.median >= 0.9, '≥ 0.9×'),
    against('undici-floor', 'CPU per request ÷ the floor’s', cpu, (s) => s.median <= CPU_TO_FLOOR_TARGET, `≤ ${CPU_TO_FLOOR_TARGET.toFixed(2)}× (170 µs beside a 137 µs floor)`),
    {
      target: 'route lookup, share of CPU ≤ 1 %',
      measured: subject.profile === undefined ? 'not profiled (--no-profile)' : `${(subject.profile.shares.lookup * 100).toFixed(2)} %`,
      met: subject.profile === undefined ? undefined : subject.profile.shares.lookup <= 0.01,
    },
    {
      target: 'p99 no worse than @fastify/http-proxy’s',
      measured: http === undefined ? 'fastify-http-proxy did not run' : `${ms(subject)} against ${ms(http)}`,
      met: http === undefined ? undefined : subject.latencyMs.p99.median <= http.latencyMs.p99.median,
    },
    against('switchyard-1', 'req/s ÷ Switchyard on 1 path', rate, (s) => s.median >= 0.97, 'within 3 % (≥ 0.97×)'),
  ];
  const cpuAgainstOne = byId.get('switchyard-1') && pairedRatio(subject, byId.get('switchyard-1')!, cpu);
  return [
    '',
    `**Targets for Switchyard at 10,000 paths**, from this run (${subject.cpuUsPerUnit.median.toFixed(0)} µs of CPU per request${cpuAgainstOne ? `, ${spreadRatio(cpuAgainstOne)} the 1-path target's` : ''}):`,
    '',
    '| target | measured: median of the rounds (lowest–highest) | met |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met === undefined ? '–' : c.met ? 'yes' : 'no'} |`),
  ];
}


function ms(t: TargetResult): string {
  return `${t.latencyMs.p99.median} ms`;
}

/** The Gateway API issue's proxy target: req/s on the Gateway API table ≥ 0.95× the 1,000-path Ingress table's, paired. */
const GATEWAY_RATE_TARGET = 0.95;

/**
 * The Gateway API target, judged on this run: the Gateway API table's req/s against the
 * 1,000-path Ingress table's, paired per round. Judged against the Ingress table loaded with
 * the same requests (`switchyard-1k-gateway-load`: each with the method and headers of the
 * Gateway API request in its place), so that only the routing differs; the ratio to the plain
 * `switchyard-1k` (GET with a Host, nothing else) and the CPU ratios are given beside it. Empty
 * when the Gateway API target did not run.
 */
export function renderGatewayProxyTargets(suite: SuiteResult): string[] {
  const byId = new Map(suite.targets.map((t) => [t.id, t]));
  const gateway = byId.get('switchyard-gateway-1k');
  if (gateway === undefined) return [];
  const sameRequests = byId.get('switchyard-1k-gateway-load');
  const plain = byId.get('switchyard-1k');
  const rate = sameRequests && pairedRatio(gateway, sameRequests, (r) => r.rate);
  const cpu = sameRequests && pairedRatio(gateway, sameRequests, (r) => r.cpuUsPerUnit);
  const plainRate = plain && pairedRatio(gateway, plain, (r) => r.rate);
  const plainCpu = plain && pairedRatio(gateway, plain, (r) => r.cpuUsPerUnit);
  const requestsCost = sameRequests && plain && pairedRatio(sameRequests, plain, (r) => r.rate);
  const met = rate === undefined ? '–' : rate.median >= GATEWAY_RATE_TARGET ? 'yes' : 'no';
  const absent = (id: string) => `${id} did not run`;
  return [
    '',
    '**Target for Switchyard on the Gateway API table**, from this run:',
    '',
    '| target | measured: median of the rounds (lowest–highest) | met |',
    '| --- | --- | --- |',
    `| req/s ÷ Switchyard on 1,000 Ingress paths with the same requests ≥ ${GATEWAY_RATE_TARGET}× | ${rate ? spreadRatio(rate) : absent('switchyard-1k-gateway-load')} | ${met} |`,
    `| CPU per request ÷ the same (for comparison) | ${cpu ? spreadRatio(cpu) : absent('switchyard-1k-gateway-load')} | – |`,
    `| req/s ÷ Switchyard on 1,000 Ingress paths, GET with a Host only (for comparison) | ${plainRate ? spreadRatio(plainRate) : absent('switchyard-1k')} | – |`,
    `| CPU per request ÷ the same (for comparison) | ${plainCpu ? spreadRatio(plainCpu) : absent('switchyard-1k')} | – |`,
    `| what the requests' methods and headers cost: req/s on 1,000 Ingress paths with them ÷ without | ${requestsCost ? spreadRatio(requestsCost) : absent(sameRequests ? 'switchyard-1k' : 'switchyard-1k-gateway-load')} | – |`,
  ];
}
