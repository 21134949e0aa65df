import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable found on PATH, with the version it reports when it reports one. */
export interface FoundTool {
  readonly path: string;
  readonly version: string | undefined;
}

/** The outside programs the harness uses when present; it installs none of them. */
export interface Tools {
  /** Pins processes to cores (util-linux). Null when absent (kept in the JSON as such). */
  readonly taskset: FoundTool | null;
  /** The upstream (`return 200`) and the nginx reverse-proxy target. */
  readonly nginx: FoundTool | null;
  /** Drives the targets autocannon cannot saturate (the upstream alone, nginx). */
  readonly wrk: FoundTool | null;
}

/** The first executable file called `name` in the PATH's directories. */
export function findOnPath(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Looks for taskset, nginx and wrk on PATH. */
export function detectTools(path: string = process.env.PATH ?? ''): Tools {
  return {
    taskset: found(findOnPath('taskset', path), ['--version']),
    nginx: found(findOnPath('nginx', path), ['-v']),
    wrk: found(findOnPath('wrk', path), ['-v']),
  };
}

function found(path: string | undefined, versionArgs: readonly string[]): FoundTool | null {
  return path === undefined ? null : { path, version: versionOf(path, versionArgs) };
}

/** The first line the program prints for its version flag (nginx prints to stderr, wrk exits 1). */
function versionOf(path: string, args: readonly string[]): string | undefined {
  try {
    const out = execFileSync(path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5_000 });
    return firstLine(out);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return firstLine(`${stdout ?? ''}${stderr ?? ''}`);
  }
}

function firstLine(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line?.trim();
}
