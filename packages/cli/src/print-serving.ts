import type { CliIo } from './cli-io.js';
import type { RunningServer } from './serve.js';

/** The lines `serve` prints once listening, in one process or in a cluster's primary: one per URL, then what it serves. */
export function printServing(urls: RunningServer['urls'], description: string, io: CliIo): void {
  io.stdout.write(`switchyard: http ${urls.http}\n`);
  if (urls.https) io.stdout.write(`switchyard: https ${urls.https}\n`);
  if (urls.admin) io.stdout.write(`switchyard: admin ${urls.admin}\n`);
  io.stdout.write(`switchyard: ${description}\n`);
}
