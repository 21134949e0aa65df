import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** packages/cli: the CLI runs from its sources there, through tsx, as `switchyard` would. */
export const CLI_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ARGS = ['--conditions=source', '--import', 'tsx', 'src/main.ts'];

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `switchyard <args>` to its end. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A `switchyard serve` that keeps running: its output so far, and events to wait on. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      this.wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
      this.wake();
    });
    this.exited = new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        this.wake();
        resolve({ code, signal });
      });
    });
  }

  /** Waits until `stream` (all of it so far) matches `pattern`; fails if the process ends first. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this[stream].match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`switchyard exited (${this.child.exitCode ?? this.child.signalCode}) before ${stream} matched ${pattern}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${stream} to match ${pattern}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** The URLs `serve` prints on startup, once it has. */
  async urls(): Promise<{ http: string; https?: string; admin?: string }> {
    await this.waitFor('stdout', /^switchyard: serving\b.*$/m);
    const pick = (name: string) => this.stdout.match(new RegExp(`^switchyard: ${name} (\\S+)$`, 'm'))?.[1];
    const http = pick('http');
    if (http === undefined) throw new Error(`no http URL in:\n${this.stdout}`);
    const https = pick('https');
    const admin = pick('admin');
    return { http, ...(https ? { https } : {}), ...(admin ? { admin } : {}) };
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
    this.waiters.clear();
  }
}

/** Starts `switchyard <args>` and leaves it running. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return new CliProcess(spawnCli(args, env));
}

function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...ARGS, ...args], { cwd: CLI_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
