import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError } from '../../common/errors.js';
import { pinned, type Pinning } from '../pinning.js';
import type { LoadOutcome, LoadSpec } from '../protocol.js';
import { runTool } from './run-tool.js';

type HttpSpec = Extract<LoadSpec, { kind: 'http' }>;

/** The line the script's `done` prints, so the numbers come out exact and machine-readable. */
const RESULT_PREFIX = 'WRK_RESULT ';

/**
 * The Lua script for a spec: one request is set once on `wrk` (wrk then sends a prebuilt
 * buffer, its fast path); several are cycled by a `request` function. `done` prints the
 * totals and the latency percentiles (µs) on one line.
 */
export function wrkScript(spec: Pick<HttpSpec, 'requests'>): string {
  const lines: string[] = [];
  const first = spec.requests[0];
  if (first === undefined) throw new BenchError('SWY_BENCH_BAD_OPTION', 'wrk needs at least one request', { field: 'requests' });
  if (spec.requests.length === 1) {
    lines.push(`wrk.method = ${lua(first.method ?? 'GET')}`, `wrk.path = ${lua(first.path)}`, `wrk.headers["Host"] = ${lua(first.host)}`);
    for (const [name, value] of Object.entries(first.headers ?? {})) lines.push(`wrk.headers[${lua(name)}] = ${lua(value)}`);
  } else {
    lines.push('local requests = {');
    for (const { host, path, method, headers } of spec.requests) {
      const fields = [`Host = ${lua(host)}`, ...Object.entries(headers ?? {}).map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)];
      lines.push(`  wrk.format(${lua(method ?? 'GET')}, ${lua(path)}, { ${fields.join(', ')} }),`);
    }
    lines.push('}', 'local i = 0', 'request = function()', '  i = i % #requests + 1', '  return requests[i]', 'end');
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format("${RESULT_PREFIX}%d %d %d %d %d %d %d %d %d %d %d\\n",`,
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))',
    'end',
    '',
  );
  return lines.join('\n');
}

/** Reads the `done` line of a wrk run; throws when it is missing (wrk failed). */
export function parseWrkResult(stdout: string): LoadOutcome {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line === undefined) throw new BenchError('SWY_BENCH_PROCESS_FAILED', `wrk printed no result line:\n${stdout.slice(-2_000)}`, { subject: { kind: 'BenchProcess', name: 'wrk' } });
  const [requests, durationUs, bytes, connect, read, write, status, timeout, p50, p99, p999] = line.slice(RESULT_PREFIX.length).trim().split(/\s+/).map(Number) as [
    number, number, number, number, number, number, number, number, number, number, number,
  ];
  return {
    tool: 'wrk',
    completed: requests,
    durationS: durationUs / 1e6,
    latencyMs: { p50: p50 / 1000, p99: p99 / 1000, p999: p999 / 1000 },
    errors: connect + read + write + timeout,
    timeouts: timeout,
    // wrk's status errors are answers outside 2xx and 3xx.
    non2xx: status,
    statusCodes: {},
    bytes,
  };
}

/** Runs wrk (one thread, pinned as the load generator) with the spec's script. */
export async function runWrk(wrk: string, pinning: Pinning, scratchDir: string, spec: HttpSpec): Promise<LoadOutcome> {
  const script = join(scratchDir, `wrk-${process.pid}-${Date.now()}.lua`);
  writeFileSync(script, wrkScript(spec));
  const duration = `${Math.max(1, Math.round(spec.durationS))}s`;
  const { command, args } = pinned(pinning, 'load', wrk, ['-t1', `-c${spec.connections}`, `-d${duration}`, '--timeout', '10s', '-s', script, spec.url]);
  const { stdout } = await runTool('wrk', command, args);
  return parseWrkResult(stdout);
}

/** A Lua string literal. */
function lua(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
