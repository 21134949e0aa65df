import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from './manifests.js';

/** packages/cli: the router runs from its sources there through tsx, as the image runs its build. */
const CLI_DIR = join(REPO_ROOT, 'packages/cli');
const NODE_ARGS = ['--conditions=source', '--import', 'tsx', 'src/main.ts'];

/** The URLs `switchyard serve` prints once listening. */
export interface ServingUrls {
  readonly http: string;
  readonly https: string | undefined;
  readonly admin: string | undefined;
}

/** A running `switchyard` process: its output so far, and a way to wait on it. */
export class RouterProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /** `env` is added to this process's environment (the container's `env`, say). */
  constructor(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    this.child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: CLI_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Resolves with the first match of `pattern` in stdout, waiting on output events; rejects if the process ends first. */
  async waitForStdout(pattern: RegExp): Promise<RegExpMatchArray> {
    const ended = this.exited.then(({ code, signal }) => {
      throw new Error(`switchyard exited (${code ?? signal}) before stdout matched ${pattern}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
    });
    // Only the race below listens; once a match is found nobody must hear of a later exit.
    ended.catch(() => undefined);
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      await Promise.race([once(this.child.stdout!, 'data'), ended]);
    }
  }

  /** The URLs from the startup lines (`switchyard: http http://127.0.0.1:PORT`), once the last of them is out. */
  async urls(): Promise<ServingUrls> {
    await this.waitForStdout(/^switchyard: serving\b.*$/m);
    const pick = (name: string) => this.stdout.match(new RegExp(`^switchyard: ${name} (\\S+)$`, 'm'))?.[1];
    const http = pick('http');
    if (http === undefined) throw new Error(`no http URL in:\n${this.stdout}`);
    return { http, https: pick('https'), admin: pick('admin') };
  }

  /**
   * The Gateway listener URLs so far, by listener port. From a cluster the ports are known only
   * after the first sync, so they come later, on stderr (`switchyard: serving Gateway listener
   * port 80 at http://127.0.0.1:PORT`).
   */
  gatewayUrls(): Map<number, string> {
    return new Map([...this.stderr.matchAll(/^switchyard: serving Gateway listener port (\d+) at (\S+)$/gm)].map(([, port, url]) => [Number(port), url!]));
  }

  /** Sends `signal` (once) and resolves with how the process ended. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
