/**
 * `pnpm bench:proxy`: proxies side by side. Starts the upstream (nginx when installed, else a
 * Node server) and a pinned load generator, then runs the main table (the upstream alone,
 * @fastify/http-proxy, reply-from with a Map, node:http + undici, Switchyard on 1, 1,000 and
 * 10,000 paths, fast-gateway, http-proxy, nginx) and the extra scenarios (TLS, WebSocket,
 * table swaps, --workers 2, a 1 MiB body, HTTP/2 with many streams, gRPC unary calls), each target checked for correct routing before
 * anything is timed. Markdown to stdout, progress to stderr, raw JSON to bench/results/.
 */
import { createRequire } from 'node:module';
import { runScript } from '../common/script.js';
import { parseOptions, USAGE, type ProxyBenchOptions, type ScenarioId } from './options.js';
import { renderReport, type ProxyReport } from './report.js';
import { withProxyRig } from './rig.js';
import { runSuite, type SuiteResult } from './runner.js';
import { bigBodySuite } from './suites/big-body-suite.js';
import { grpcSuite } from './suites/grpc-suite.js';
import { h2Suite } from './suites/h2-suite.js';
import { proxySuite } from './suites/proxy-suite.js';
import type { Suite } from './suites/suite.js';
import { swapSuite } from './suites/swap-suite.js';
import { tlsSuite } from './suites/tls-suite.js';
import { webSocketSuite } from './suites/websocket-suite.js';
import { workersSuite } from './suites/workers-suite.js';
import type { RunContext } from './target.js';
import { makeTlsMaterial } from './tls-material.js';

await runScript('bench:proxy', USAGE, parseOptions, (options, environment, log) =>
  withProxyRig(options, environment.cores, log, async (context, load) => {
    const suites: SuiteResult[] = [];
    const scenariosRun: ScenarioId[] = [];
    for (const build of await suiteBuilders(options, context)) {
      const suite = build();
      if (suite.targets.length === 0 && suite.absent.length === 0) continue;
      log(`${suite.id}: ${suite.title}: ${suite.targets.length} target(s)${suite.absent.length > 0 ? `, absent: ${suite.absent.map((a) => `${a.id} (${a.reason})`).join(', ')}` : ''}`);
      suites.push(await runSuite(suite, context, load, log));
      if (suite.id !== 'proxy' && suite.id !== 'compare') scenariosRun.push(suite.id);
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
        pinning: context.pinning,
        tools: context.tools,
        autocannon: autocannonVersion(),
        upstream: context.smallUpstream.label,
      },
      options,
      scenariosRun,
      suites,
    };
    log(`scenarios run: ${scenariosRun.length > 0 ? scenariosRun.join(', ') : 'none'}`);
    const failed = suites.filter((suite) => suite.failures.length > 0);
    for (const suite of failed) log(`FAILED ${suite.id}: ${suite.failures.join('; ')}`);
    return { prefix: 'proxy', report, markdown: renderReport(report), exitCode: failed.length > 0 ? 1 : 0 };
  }),
);

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
      case 'h2':
        builders.push(() => h2Suite(context));
        break;
      case 'grpc':
        builders.push(() => grpcSuite(context));
        break;
    }
  }
  return builders;
}

function autocannonVersion(): string {
  return (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
}
