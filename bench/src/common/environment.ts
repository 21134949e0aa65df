import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';

/** Where and how a run happened, recorded with every result. */
export interface Environment {
  readonly date: string;
  readonly command: string;
  readonly node: string;
  readonly v8: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
}

/**
 * Describes this machine and the command that ran, as `pnpm <script> -- <args>` so a reader
 * can run it again. `script` is the package script (`bench:match`, `bench:proxy`).
 */
export function describeEnvironment(script: string, args: readonly string[]): Environment {
  const shown = args.filter((arg) => arg !== '--');
  return {
    date: new Date().toISOString(),
    command: `pnpm ${script}${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`,
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
  };
}
