import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable found on PATH, with the version it reports when it reports one. */
export interface FoundTool {
  readonly path: string;
  readonly version: string | undefined;
}

/** The outside programs the harness uses when present (h2load: see `ensureH2load`). */
export interface Tools {
  /** Pins processes to cores (util-linux). Null when absent (kept in the JSON as such). */
  readonly taskset: FoundTool | null;
  /** The upstream (`return 200`) and the nginx reverse-proxy target. */
  readonly nginx: FoundTool | null;
  /** Drives the targets autocannon cannot saturate (the upstream alone, nginx). */
  readonly wrk: FoundTool | null;
  /** Drives the HTTP/2 targets (nghttp2's load generator, many streams per connection). */
  readonly h2load: FoundTool | null;
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
    h2load: found(findOnPath('h2load', path), ['--version']),
  };
}

/**
 * Installs h2load (Debian's `nghttp2-client`) when it is not on PATH and this is a Debian machine
 * run as root, as the HTTP/2 scenario needs it; returns what it did, for the log. It never
 * fails the run itself: without h2load the HTTP/2 targets are listed absent with the reason.
 */
export function ensureH2load(tools: Tools, log: (line: string) => void): Tools {
  if (tools.h2load !== null) return tools;
  const aptGet = findOnPath('apt-get');
  if (aptGet === undefined || process.getuid?.() !== 0) {
    log('h2load is not on PATH and cannot be installed here (needs apt-get as root): the HTTP/2 targets are absent');
    return tools;
  }
  log('h2load is not on PATH: apt-get install -y nghttp2-client');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => execFileSync(aptGet, ['install', '-y', '-qq', 'nghttp2-client'], { env, stdio: 'ignore', timeout: 300_000 });
  try {
    try {
      install();
    } catch {
      // A fresh machine's package lists may be empty or stale.
      execFileSync(aptGet, ['update', '-qq'], { env, stdio: 'ignore', timeout: 300_000 });
      install();
    }
  } catch (error) {
    log(`installing nghttp2-client failed (${(error as Error).message.split('\n', 1)[0]}): the HTTP/2 targets are absent`);
    return tools;
  }
  return { ...tools, h2load: found(findOnPath('h2load'), ['--version']) };
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
