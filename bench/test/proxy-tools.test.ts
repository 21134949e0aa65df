import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { machineShares, machineTicks, parseCpuLine, parseProcStat, treeCpuSeconds } from '../src/proxy/cpu-time.js';
import { autocannonOptions } from '../src/proxy/load/autocannon-run.js';
import { h2loadArgs, parseH2loadResult } from '../src/proxy/load/h2load.js';
import { parseWrkResult, runWrk, wrkScript } from '../src/proxy/load/wrk.js';
import { nginxProxyConfig, nginxUpstreamConfig } from '../src/proxy/nginx-config.js';
import { pinned, planPinning } from '../src/proxy/pinning.js';
import { findOnPath } from '../src/proxy/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pinning', () => {
  test('with taskset and 2 cores: the proxy alone on core 0, load and upstream on core 1', () => {
    const pinning = planPinning('/usr/bin/taskset', 2);
    expect(pinned(pinning, 'proxy', 'node', ['a.ts'])).toEqual({ command: '/usr/bin/taskset', args: ['-c', '0', 'node', 'a.ts'] });
    expect(pinned(pinning, 'load', 'node', [])).toEqual({ command: '/usr/bin/taskset', args: ['-c', '1', 'node'] });
    expect(pinned(pinning, 'workers', 'node', []).args.slice(0, 2)).toEqual(['-c', '0,1']);
  });

  test('without taskset, or on one core, nothing is pinned and the reason is kept', () => {
    expect(planPinning(undefined, 2)).toMatchObject({ taskset: null, unpinnedBecause: 'taskset is not on PATH' });
    expect(planPinning('/usr/bin/taskset', 1).taskset).toBeNull();
    expect(pinned(planPinning(undefined, 2), 'proxy', 'node', ['a.ts'])).toEqual({ command: 'node', args: ['a.ts'] });
  });
});

describe('tools on PATH', () => {
  test('finds an executable file, not a plain one, in PATH order', () => {
    writeFileSync(join(dir, 'plain'), '');
    expect(findOnPath('plain', dir)).toBeUndefined();
    const tool = join(dir, 'tool');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o755);
    expect(findOnPath('tool', `/nonexistent:${dir}`)).toBe(tool);
    expect(findOnPath('tool', '')).toBeUndefined();
  });
});

describe('CPU time from /proc', () => {
  test('parses a stat line whose command name holds spaces and parentheses', () => {
    const line = '4242 (node (worker) 1) S 4200 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 11 0 100 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4200, utime: 1234, stime: 567 });
  });

  test('reads the machine line of /proc/stat: idle with iowait, steal apart, guest time not counted twice', () => {
    const before = parseCpuLine('cpu  100 0 50 800 20 0 10 20 5 0');
    expect(before).toEqual({ total: 1_000, idle: 820, steal: 20 });
    const after = parseCpuLine('cpu  200 0 100 1400 20 0 20 260 9 0');
    expect(machineShares(before, after)).toEqual({ idle: 0.6, steal: 0.24 });
    expect(() => parseCpuLine('cpu0 1 2 3')).toThrow();
  });

  test('reads this machine: idle and stolen time are parts of the total, and the counters only grow', () => {
    const first = machineTicks();
    expect(first.idle + first.steal).toBeLessThanOrEqual(first.total);
    const second = machineTicks();
    expect(second.total).toBeGreaterThanOrEqual(first.total);
    expect(second.idle).toBeGreaterThanOrEqual(first.idle);
  });

  test('reads this process: its CPU seconds grow with work', () => {
    const before = treeCpuSeconds(process.pid);
    const until = performance.now() + 60;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    const after = treeCpuSeconds(process.pid);
    expect(after).toBeGreaterThan(before);
    // In seconds, as Node counts them (clock ticks divided by CLK_TCK, within a tick or two).
    const { user, system } = process.cpuUsage();
    expect(Math.abs(after - (user + system) / 1e6)).toBeLessThan(0.05);
  });
});

describe('wrk', () => {
  test('one request is set on wrk itself (its fast path); several are cycled by a request function', () => {
    const one = wrkScript({ requests: [{ host: 'bench.test', path: '/' }] });
    expect(one).toContain('wrk.headers["Host"] = "bench.test"');
    expect(one).not.toContain('request = function');
    const many = wrkScript({ requests: [{ host: 'a.test', path: '/x"y' }, { host: 'b.test', path: '/z' }] });
    expect(many).toContain('wrk.format("GET", "/x\\"y", { Host = "a.test" })');
    expect(many).toContain('request = function()');
    expect(many).toContain('done = function(summary, latency, requests)');
  });

  test('Gateway API requests carry their method and headers, on wrk itself and in the cycled list', () => {
    const canary = { host: 'a.test', path: '/cart', method: 'POST', headers: { 'x-canary': 'true' } };
    const one = wrkScript({ requests: [canary] });
    expect(one).toContain('wrk.method = "POST"');
    expect(one).toContain('wrk.headers["x-canary"] = "true"');
    const many = wrkScript({ requests: [canary, { host: 'b.test', path: '/' }] });
    expect(many).toContain('wrk.format("POST", "/cart", { Host = "a.test", ["x-canary"] = "true" })');
    expect(many).toContain('wrk.format("GET", "/", { Host = "b.test" })');
  });

  test("reads the done line: latencies from µs to ms, socket errors summed, status errors as non-2xx", () => {
    const outcome = parseWrkResult('Running 10s test\n  1 threads\nWRK_RESULT 320000 10000000 40000000 1 2 3 4 5 1500 9000 15000\n');
    expect(outcome).toEqual({
      tool: 'wrk',
      completed: 320_000,
      durationS: 10,
      latencyMs: { p50: 1.5, p99: 9, p999: 15 },
      errors: 1 + 2 + 3 + 5,
      timeouts: 5,
      non2xx: 4,
      statusCodes: {},
      bytes: 40_000_000,
    });
    expect(() => parseWrkResult('unable to connect\n')).toThrow(expect.objectContaining({ code: 'SWY_BENCH_PROCESS_FAILED' }));
  });
});

describe('running wrk', () => {
  test('one thread, the connections, whole seconds and the script; its done line read back', async () => {
    // A stand-in for wrk on a machine without it: records its arguments, prints a result line.
    const fake = join(dir, 'fake-wrk');
    const argsFile = join(dir, 'fake-wrk.args');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${argsFile}\necho 'WRK_RESULT 1000 2000000 50000 0 0 0 0 0 700 2000 3000'\n`);
    chmodSync(fake, 0o755);
    const outcome = await runWrk(fake, planPinning(undefined, 2), dir, {
      kind: 'http',
      url: 'http://127.0.0.1:9/',
      requests: [{ host: 'bench.test', path: '/' }],
      connections: 50,
      pipelining: 1,
      durationS: 3,
    });
    expect(outcome).toMatchObject({ tool: 'wrk', completed: 1_000, durationS: 2, latencyMs: { p50: 0.7, p99: 2, p999: 3 } });
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    expect(args.slice(0, 5)).toEqual(['-t1', '-c50', '-d3s', '--timeout', '10s']);
    expect(args[5]).toBe('-s');
    expect(readFileSync(args[6]!, 'utf8')).toContain('wrk.headers["Host"] = "bench.test"');
    expect(args[7]).toBe('http://127.0.0.1:9/');
  });

  test('a wrk that fails is a process failure', async () => {
    const fake = join(dir, 'failing-wrk');
    writeFileSync(fake, '#!/bin/sh\necho "unable to connect" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const spec = { kind: 'http' as const, url: 'http://127.0.0.1:9/', requests: [{ host: 'a', path: '/' }], connections: 1, pipelining: 1, durationS: 1 };
    await expect(runWrk(fake, planPinning(undefined, 2), dir, spec)).rejects.toMatchObject({ code: 'SWY_BENCH_PROCESS_FAILED' });
  });
});

describe('nginx configurations', () => {
  const place = { dir: '/tmp/x', port: 18080, user: undefined };

  test('the upstream: one worker, return 200 with the token and the path headers, files in its directory', () => {
    const text = nginxUpstreamConfig(place, 'abc123');
    expect(text).toContain('worker_processes 1;');
    expect(text).toContain('listen 127.0.0.1:18080;');
    expect(text).toContain('add_header x-bench-upstream abc123 always;');
    expect(text).toContain('add_header x-bench-path $request_uri always;');
    expect(text).toContain('return 200 "ok abc123\\n";');
    expect(text).toContain('pid /tmp/x/nginx.pid;');
    expect(text).not.toContain('user ');
  });

  test('the reverse proxy: keepalive to the upstream, HTTP/1.1, the Host passed on; a user line when run as root', () => {
    const text = nginxProxyConfig({ ...place, user: 'root' }, 19000);
    expect(text.startsWith('user root;\n')).toBe(true);
    expect(text).toContain('server 127.0.0.1:19000;');
    expect(text).toContain('keepalive 128;');
    expect(text).toContain('proxy_http_version 1.1;');
    expect(text).toContain('proxy_set_header Connection "";');
    expect(text).toContain('proxy_set_header Host $host;');
  });
});

describe('autocannon options', () => {
  const spec = { kind: 'http' as const, url: 'http://127.0.0.1:1', connections: 50, pipelining: 1, durationS: 10 };

  test('one request: GET with its Host, no per-connection lists', () => {
    const options = autocannonOptions({ ...spec, requests: [{ host: 'bench.test', path: '/' }] });
    expect(options.requests).toEqual([{ method: 'GET', path: '/', headers: { host: 'bench.test' } }]);
    expect(options.setupClient).toBeUndefined();
  });

  test('many requests: the options carry one, each connection gets its own slice', () => {
    const requests = Array.from({ length: 100 }, (_, i) => ({ host: `h${i}.test`, path: `/p${i}` }));
    const options = autocannonOptions({ ...spec, requests });
    expect(options.requests).toHaveLength(1);
    const given: Array<Array<{ path: string }>> = [];
    const setup = options.setupClient as unknown as (client: { setRequests(list: Array<{ path: string }>): void }) => void;
    for (let c = 0; c < 50; c++) setup({ setRequests: (list) => given.push(list) });
    expect(given[0]!.map((r) => r.path)).toEqual(['/p0', '/p1']);
    expect(new Set(given.flat().map((r) => r.path)).size).toBe(100);
  });

  test('Gateway API requests: each with its method and headers beside its Host', () => {
    const options = autocannonOptions({ ...spec, requests: [{ host: 'a.test', path: '/cart', method: 'PUT', headers: { 'x-tenant': 'acme' } }] });
    expect(options.requests).toEqual([{ method: 'PUT', path: '/cart', headers: { 'x-tenant': 'acme', host: 'a.test' } }]);
  });

  test('pipelining above 1: one shared list (autocannon refuses per-connection lists then)', () => {
    const options = autocannonOptions({ ...spec, pipelining: 4, requests: [{ host: 'a', path: '/a' }, { host: 'b', path: '/b' }] });
    expect(options.requests).toHaveLength(2);
    expect(options.setupClient).toBeUndefined();
  });
});

describe('h2load', () => {
  const spec = { kind: 'http' as const, url: 'http://127.0.0.1:8080', requests: [{ host: 'bench.test', path: '/' }], connections: 10, pipelining: 1, durationS: 5, h2: { streams: 10 } };

  test('connections, concurrent streams, whole seconds, the per-request log, and the Host as :authority', () => {
    expect(h2loadArgs(spec, '/tmp/x.log')).toEqual(['-t1', '-c10', '-m10', '-D5', '--log-file', '/tmp/x.log', '-H', ':authority: bench.test', 'http://127.0.0.1:8080/']);
  });

  test('reads the summary and takes the percentiles from the per-request log (µs to ms)', () => {
    const stdout = [
      'finished in 2.00s, 58282.00 req/s, 1.22MB/s',
      'requests: 116564 total, 116572 started, 116560 done, 116550 succeeded, 10 failed, 4 errored, 1 timeout',
      'status codes: 116540 2xx, 0 3xx, 10 4xx, 0 5xx',
      'traffic: 2.45MB (2564582) total, 227.80KB (233266) headers (space savings 95.35%), 227.66KB (233128) data',
    ].join('\n');
    const log = Array.from({ length: 1000 }, (_, i) => `1796437501061824\t200\t${(i + 1) * 10}`).join('\n');
    expect(parseH2loadResult(stdout, log)).toEqual({
      tool: 'h2load',
      completed: 116560,
      durationS: 2,
      latencyMs: { p50: 5.01, p99: 9.91, p999: 10 },
      errors: 5,
      timeouts: 1,
      non2xx: 10,
      statusCodes: { '2xx': 116540, '3xx': 0, '4xx': 10, '5xx': 0 },
      bytes: 2564582,
    });
  });

  test('an h2load that printed no summary is a process failure', () => {
    expect(() => parseH2loadResult('no connections', '')).toThrow(expect.objectContaining({ code: 'SWY_BENCH_PROCESS_FAILED' }));
  });
});
