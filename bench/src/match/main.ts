/**
 * `pnpm bench:match`: builds route tables of 10 to 100,000 paths, checks every sampled
 * request against the reference matcher, then times `RouteTable.match` with the path
 * matchers, `lookup`, raw find-my-way, and `GatewayPort.find` on a Gateway API table of
 * 1,000 HTTPRoute rules, each in its own process. The markdown report
 * goes to stdout, progress to stderr, raw JSON to bench/results/.
 */
import { runScript } from '../common/script.js';
import { parseOptions, USAGE } from './options.js';
import { renderReport, type Report } from './report.js';
import { runBenchmark } from './runner.js';
import { evaluateGatewayTargets, evaluateTargets } from './targets.js';

await runScript('bench:match', USAGE, parseOptions, async (options, environment, log) => {
  const { sizes, cases } = await runBenchmark(options, log);
  const report: Report = { environment, options, sizes, cases, targets: evaluateTargets(cases), gatewayTargets: evaluateGatewayTargets(cases) };
  return { prefix: 'match', report, markdown: renderReport(report), exitCode: 0 };
});
