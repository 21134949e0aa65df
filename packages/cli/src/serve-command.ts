import cluster from 'node:cluster';
import type { CliIo } from './cli-io.js';
import { EXIT_FAILURE } from './errors.js';
import { printServing } from './print-serving.js';
import { serve } from './serve.js';
import type { ServeOptions } from './serve-options.js';
import { shutdownSignal } from './shutdown-signal.js';

/**
 * `switchyard serve`: one process, or with `workers > 1` a node:cluster primary (see
 * `runPrimary`) whose workers come back here. Prints the URLs on stdout once listening,
 * drains on SIGTERM or SIGINT and resolves with 0 once drained. A second signal while
 * draining exits at once with 1.
 */
export async function runServe(options: ServeOptions, workers: number, io: CliIo): Promise<number> {
  if (cluster.isWorker) {
    const { runWorker } = await import('./worker.js');
    return runWorker(options, io);
  }
  if (workers > 1) {
    const { runPrimary } = await import('./primary.js');
    return runPrimary(options, workers, io);
  }
  // Handlers go in before startup: a SIGTERM while it waits (DNS answers, a first sync) is
  // honoured once it is done, instead of killing the process; a second one exits at once.
  const signal = shutdownSignal((again) => {
    io.stderr.write(`switchyard: ${again} again: exiting without waiting for the drain\n`);
    process.exit(EXIT_FAILURE);
  });
  const server = await serve({ ...options, report: (line) => void io.stderr.write(`${line}\n`) });
  printServing(server.urls, server.describe(), io);
  io.stderr.write(`switchyard: ${await signal}: draining\n`);
  await server.close();
  io.stderr.write('switchyard: drained\n');
  return 0;
}
