import { relative } from 'node:path';
import { isSwitchyardError } from '@switchyard/core';
import { describeEnvironment, type Environment } from './environment.js';
import { BenchError } from './errors.js';
import { writeResults } from './results-file.js';

/** Progress goes to stderr, one line at a time, prefixed with the script's name. */
export type Log = (line: string) => void;

/** What a run hands back: the report for bench/results/, its markdown for stdout, the exit code. */
export interface ScriptOutcome {
  /** The results file's prefix: `match`, `proxy`, `compare`. */
  readonly prefix: string;
  readonly report: unknown;
  readonly markdown: string;
  readonly exitCode: number;
}

/**
 * The frame of every bench script (`bench:match`, `bench:proxy`, `bench:compare`): the usage
 * for `--help`, the machine and the command, the raw JSON to bench/results/, the markdown to
 * stdout, progress and a closing line to stderr. A benchmark's own error (a wrong answer, a
 * bad option, a process that failed) ends the run with one line naming its code, and exit code 1.
 */
export async function runScript<O>(
  script: string,
  usage: string,
  parse: (argv: readonly string[]) => O | 'help',
  run: (options: O, environment: Environment, log: Log) => Promise<ScriptOutcome>,
): Promise<void> {
  const log: Log = (line) => console.error(`[${script}] ${line}`);
  const started = performance.now();
  try {
    const args = process.argv.slice(2);
    const options = parse(args);
    if (options === 'help') {
      console.log(usage);
      return;
    }
    const environment = describeEnvironment(script, args);
    const outcome = await run(options, environment, log);
    const file = writeResults(outcome.prefix, environment.date, outcome.report);
    console.log(outcome.markdown);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; raw results in ${relative(process.cwd(), file)}`);
    process.exitCode = outcome.exitCode;
  } catch (error) {
    if (!(error instanceof BenchError) && !isSwitchyardError(error)) throw error;
    const { code, field, subject } = error;
    log(`aborted [${code}]${subject?.name ? ` ${subject.name}` : ''}${field ? ` (${field})` : ''}: ${error.message}`);
    process.exitCode = 1;
  }
}
