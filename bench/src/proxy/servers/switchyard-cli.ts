/**
 * The Switchyard CLI, `switchyard <args>` through `main` from @switchyard/cli, as one process
 * the harness can pin and measure. With `--workers N` the CLI forks N workers (node:cluster),
 * which run this same file and land in the CLI's worker code. The CLI logs every request as
 * JSON on stdout, which the harness discards (it has no flag to turn that log off).
 * The primary tells the orchestrator the URL it prints.
 */
import cluster from 'node:cluster';
import { main } from '@switchyard/cli';
import { announce, failed } from './server-process.js';

const SERVING = /^switchyard: http (\S+)$/m;

const io = {
  stdout: {
    write(text: string): boolean {
      const url = SERVING.exec(text)?.[1];
      if (url !== undefined && cluster.isPrimary) announce({ url });
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
