/**
 * `pnpm bench:match`: builds route tables of 10 to 100,000 paths, checks every sampled
 * request against the reference matcher, then times `RouteTable.match` with both path
 * matchers, `lookup`, and raw find-my-way, each in its own process. The markdown report
 * goes to stdout, progress to stderr, raw JSON to bench/results/.
 */
import { relative } from 'node:path';
import { describeEnvironment } from '../common/environment.js';
import { parseOptions, USAGE } from './options.js';
import { renderReport, type Report } from './report.js';
import { writeResults } from '../common/results-file.js';
import { CorrectnessError, runBenchmark } from './runner.js';
import { evaluateTargets } from './targets.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const environment = describeEnvironment('bench:match', args);
  const log = (line: string) => console.error(`[bench:match] ${line}`);
  const started = performance.now();
  try {
    const { sizes, cases } = await runBenchmark(options, log);
    const report: Report = { environment, options, sizes, cases, targets: evaluateTargets(cases) };
    const file = writeResults('match', report.environment.date, report);
    console.log(renderReport(report));
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; raw results in ${relative(process.cwd(), file)}`);
    return 0;
  } catch (error) {
    if (error instanceof CorrectnessError) {
      console.error(`[bench:match] aborted: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
