/**
 * The Switchyard CLI, `switchyard <args>` through `main` from @switchyard/cli, as one process
 * the harness can pin and measure. With `--workers N` the CLI forks N workers (node:cluster),
 * which run this same file and land in the CLI's worker code. The CLI's request log goes where
 * its flags say; on stdout (its default) the harness discards it.
 * The primary tells the orchestrator the URL it prints, and the admin URL in `info.admin`
 * when it prints one.
 */
import cluster from 'node:cluster';
import { main } from '@switchyard/cli';
import { readServingLines } from '../cli-serving-lines.js';
import { announce, failed } from './server-process.js';

const serving = readServingLines((urls) => {
  if (cluster.isPrimary) announce({ url: urls.http, ...(urls.admin === undefined ? {} : { info: { admin: urls.admin } }) });
});

const io = {
  stdout: {
    write(text: string): boolean {
      serving.write(text);
      return true;
    },
  },
  stderr: process.stderr,
};

// An orchestrator that died takes the gateway with it (the CLI drains on SIGTERM).
if (cluster.isPrimary) process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

// SIGTERM drains and `main` resolves; the exit code follows.
main(process.argv.slice(2), io).then(
  (code) => {
    if (code !== 0 && cluster.isPrimary) failed(new Error(`switchyard exited with ${code}`));
    process.exit(code);
  },
  (error: unknown) => failed(error),
);
