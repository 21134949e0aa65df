import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError } from '../../common/errors.js';
import { pinned, type Pinning } from '../pinning.js';
import type { LoadOutcome, LoadSpec } from '../protocol.js';
import { runTool } from './run-tool.js';

type H2Spec = Extract<LoadSpec, { kind: 'http' }> & { readonly h2: { readonly streams: number } };

/**
 * The h2load command line of a spec: `connections` connections with `streams` concurrent
 * streams each, for `durationS` seconds, one request (its `:authority` and path); h2c with
 * prior knowledge for an http URL, ALPN h2 for https. Every request's time goes to `logFile`,
 * for the percentiles h2load does not print.
 */
export function h2loadArgs(spec: H2Spec, logFile: string): string[] {
  const first = spec.requests[0];
  if (first === undefined || spec.requests.length !== 1) throw new BenchError('SWY_BENCH_BAD_OPTION', 'h2load runs one request per target', { field: 'requests' });
  const url = new URL(first.path, spec.url).toString();
  const headers = [`:authority: ${first.host}`, ...Object.entries(first.headers ?? {}).map(([name, value]) => `${name}: ${value}`)];
  return [
    '-t1',
    `-c${spec.connections}`,
    `-m${spec.h2.streams}`,
    `-D${Math.max(1, Math.round(spec.durationS))}`,
    '--log-file',
    logFile,
    ...headers.flatMap((header) => ['-H', header]),
    ...(first.method !== undefined && first.method !== 'GET' ? ['--method', first.method] : []),
    url,
  ];
}

/** Reads h2load's summary and the per-request log (`start_us status duration_us` lines). */
export function parseH2loadResult(stdout: string, log: string): LoadOutcome {
  const numbers = (label: string): number[] => {
    const line = stdout.split('\n').find((l) => l.trimStart().startsWith(label));
    if (line === undefined) throw new BenchError('SWY_BENCH_PROCESS_FAILED', `h2load printed no "${label}" line:\n${stdout.slice(-2_000)}`, { subject: { kind: 'BenchProcess', name: 'h2load' } });
    return [...line.slice(line.indexOf(label) + label.length).matchAll(/(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
  };
  const finished = /finished in ([\d.]+)(ms|s)/.exec(stdout);
  if (finished === null) throw new BenchError('SWY_BENCH_PROCESS_FAILED', `h2load printed no "finished in" line:\n${stdout.slice(-2_000)}`, { subject: { kind: 'BenchProcess', name: 'h2load' } });
  const durationS = Number(finished[1]) / (finished[2] === 'ms' ? 1000 : 1);
  // requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout
  const [, , done, , , errored, timeout] = numbers('requests:') as [number, number, number, number, number, number, number];
  // status codes: N 2xx, N 3xx, N 4xx, N 5xx
  const statusLine = stdout.split('\n').find((l) => l.startsWith('status codes:')) ?? '';
  const byClass = new Map([...statusLine.matchAll(/(\d+) (\d)xx/g)].map((m) => [m[2]!, Number(m[1])]));
  const [s2, s3, s4, s5] = ['2', '3', '4', '5'].map((c) => byClass.get(c) ?? 0) as [number, number, number, number];
  // traffic: 2.45MB (2564582) total, ...: the exact count is in the parentheses.
  const bytes = Number(/traffic: [^(]*\((\d+)\) total/.exec(stdout)?.[1] ?? Number.NaN);
  const durationsUs = log
    .split('\n')
    .flatMap((line) => {
      const columns = line.trim().split(/\s+/);
      return columns.length === 3 ? [Number(columns[2])] : [];
    })
    .sort((a, b) => a - b);
  const percentile = (p: number) => (durationsUs.length === 0 ? Number.NaN : durationsUs[Math.min(durationsUs.length - 1, Math.floor((p / 100) * durationsUs.length))]! / 1000);
  return {
    tool: 'h2load',
    completed: done,
    durationS,
    latencyMs: { p50: percentile(50), p99: percentile(99), p999: percentile(99.9) },
    // `failed` also counts answers with an error status; those are in non2xx.
    errors: errored + timeout,
    timeouts: timeout,
    non2xx: s3 + s4 + s5,
    statusCodes: { '2xx': s2, '3xx': s3, '4xx': s4, '5xx': s5 },
    bytes,
  };
}

/** Runs h2load (one thread, pinned as the load generator) for the spec. */
export async function runH2load(h2load: string, pinning: Pinning, scratchDir: string, spec: H2Spec): Promise<LoadOutcome> {
  const logFile = join(scratchDir, `h2load-${process.pid}-${Date.now()}.log`);
  const { command, args } = pinned(pinning, 'load', h2load, h2loadArgs(spec, logFile));
  const { stdout } = await runTool('h2load', command, args);
  try {
    return parseH2loadResult(stdout, readFileSync(logFile, 'utf8'));
  } finally {
    rmSync(logFile, { force: true });
  }
}
