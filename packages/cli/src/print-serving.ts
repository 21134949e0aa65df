import type { CliIo } from './cli-io.js';
import type { RunningServer } from './serve.js';

/**
 * The lines `serve` prints once listening, in one process or in a cluster's primary: one per URL
 * (`switchyard: gateway 80 http http://0.0.0.0:80` per Gateway listener port), then what it serves.
 */
export function printServing(urls: RunningServer['urls'], description: string, io: CliIo): void {
  io.stdout.write(`switchyard: http ${urls.http}\n`);
  if (urls.https) io.stdout.write(`switchyard: https ${urls.https}\n`);
  for (const gateway of urls.gateways ?? []) io.stdout.write(`switchyard: gateway ${gateway.port} ${gateway.url.slice(0, gateway.url.indexOf(':'))} ${gateway.url}\n`);
  if (urls.admin) io.stdout.write(`switchyard: admin ${urls.admin}\n`);
  io.stdout.write(`switchyard: ${description}\n`);
}
