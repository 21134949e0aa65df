/**
 * `pnpm bench:proxy`: proxies side by side. Starts the upstream (nginx when installed, else a
 * Node server) and a pinned load generator, then runs the main table (the upstream alone,
 * @fastify/http-proxy, reply-from with a Map, node:http + undici, Switchyard on 1, 1,000 and
 * 10,000 paths, fast-gateway, http-proxy, nginx) and the extra scenarios (TLS, WebSocket,
 * table swaps, --workers 2, a 1 MiB body), each target checked for correct routing before
 * anything is timed. Markdown to stdout, progress to stderr, raw JSON to bench/results/.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isSwitchyardError } from '@switchyard/core';
import { describeEnvironment } from '../common/environment.js';
import { writeResults } from '../common/results-file.js';
import { ProxyBenchError } from './errors.js';
import { LoadDriver } from './load-driver.js';
import { parseOptions, USAGE, type ProxyBenchOptions, type ScenarioId } from './options.js';
import { planPinning } from './pinning.js';
import { renderReport, type ProxyReport } from './report.js';
import { runSuite, type SuiteResult } from './runner.js';
import { bigBodySuite } from './suites/big-body-suite.js';
import { proxySuite } from './suites/proxy-suite.js';
import type { Suite } from './suites/suite.js';
import { swapSuite } from './suites/swap-suite.js';
import { tlsSuite } from './suites/tls-suite.js';
import { webSocketSuite } from './suites/websocket-suite.js';
import { workersSuite } from './suites/workers-suite.js';
import type { RunContext, RunningUpstream } from './target.js';
import { startNginxUpstream, startNodeUpstream } from './targets.js';
import { makeTlsMaterial } from './tls-material.js';
import { detectTools } from './tools.js';

const log = (line: string) => console.error(`[bench:proxy] ${line}`);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const environment = describeEnvironment('bench:proxy', args);
  const tools = detectTools();
  const pinning = planPinning(tools.taskset?.path, environment.cores);
  log(`tools: taskset ${tools.taskset ? 'found' : 'absent'}, nginx ${tools.nginx ? 'found' : 'absent'}, wrk ${tools.wrk ? 'found' : 'absent'}`);
  const scratchDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-proxy-'));
  const token = randomBytes(6).toString('hex');
  const upstreams: RunningUpstream[] = [];
  let load: LoadDriver | undefined;
  const started = performance.now();
  try {
    const nodeUpstream = await startNodeUpstream({ pinning, token });
    upstreams.push(nodeUpstream);
    const smallUpstream = tools.nginx ? await startNginxUpstream({ scratchDir, pinning, token }, tools.nginx.path) : nodeUpstream;
    if (smallUpstream !== nodeUpstream) upstreams.push(smallUpstream);
    log(`upstream: ${smallUpstream.label} at ${smallUpstream.url}${smallUpstream === nodeUpstream ? ' (nginx is not on PATH)' : ''}`);
    load = await LoadDriver.start(pinning, options.wrk ? tools.wrk?.path : undefined, scratchDir);
    const context: RunContext = { options, pinning, tools, token, scratchDir, smallUpstream, nodeUpstream };

    const suites: SuiteResult[] = [];
    const scenariosRun: ScenarioId[] = [];
    for (const build of await suiteBuilders(options, context)) {
      const suite = build();
      if (suite.targets.length === 0 && suite.absent.length === 0) continue;
      log(`${suite.id}: ${suite.title}: ${suite.targets.length} target(s)${suite.absent.length > 0 ? `, absent: ${suite.absent.map((a) => `${a.id} (${a.reason})`).join(', ')}` : ''}`);
      suites.push(await runSuite(suite, context, load, log));
      if (suite.id !== 'proxy') scenariosRun.push(suite.id);
    }

    const report: ProxyReport = {
      environment: {
        ...environment,
        connections: options.connections,
        pipelining: options.pipelining,
        durationS: options.durationS,
        scenarioDurationS: options.scenarioDurationS,
        warmUpS: options.warmUpS,
        rounds: options.rounds,
        pinning,
        tools,
        autocannon: autocannonVersion(),
        upstream: smallUpstream.label,
      },
      options,
      scenariosRun,
      suites,
    };
    const file = writeResults('proxy', environment.date, report);
    console.log(renderReport(report));
    log(`scenarios run: ${scenariosRun.length > 0 ? scenariosRun.join(', ') : 'none'}`);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; raw results in ${relative(process.cwd(), file)}`);
    const failed = suites.filter((suite) => suite.failures.length > 0);
    for (const suite of failed) log(`FAILED ${suite.id}: ${suite.failures.join('; ')}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await load?.close();
    await Promise.all(upstreams.map((upstream) => upstream.process.stop()));
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** The suites to run, in order: the main table (when it has targets), then the chosen scenarios. */
async function suiteBuilders(options: ProxyBenchOptions, context: RunContext): Promise<Array<() => Suite>> {
  const builders: Array<() => Suite> = [];
  if (options.targets.length > 0) builders.push(() => proxySuite(context));
  for (const id of options.scenarios) {
    switch (id) {
      case 'tls': {
        const tls = await makeTlsMaterial(context.scratchDir);
        builders.push(() => tlsSuite(context, tls));
        break;
      }
      case 'websocket':
        builders.push(() => webSocketSuite(context));
        break;
      case 'swaps':
        builders.push(() => swapSuite(context));
        break;
      case 'workers':
        builders.push(() => workersSuite(context));
        break;
      case 'big-body':
        builders.push(() => bigBodySuite(context));
        break;
    }
  }
  return builders;
}

function autocannonVersion(): string {
  return (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
}

try {
  process.exitCode = await main();
} catch (error) {
  // Wrong answers, bad options, processes that failed: one clear message and exit 1.
  if (error instanceof ProxyBenchError || isSwitchyardError(error)) {
    const { code, field, subject } = error as ProxyBenchError;
    log(`aborted [${code}]${subject?.name ? ` ${subject.name}` : ''}${field ? ` (${field})` : ''}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
