import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { eventually, type SeenRequest } from '@switchyard/test-utils';
import { startCli, type CliProcess } from './helpers/cli-process.js';
import { ACROSS_PROCESSES } from './helpers/http-get.js';
import { routedUpstream } from './helpers/manifests.js';

// SIGTERM under load: every request a client saw answered by the upstream (through the gateway)
// has its access line when the process has exited, and no line is cut short, whether the lines
// go to a file that two workers append to or to stdout.

/** Clients sending requests in a loop: half on a keep-alive connection, half on a new connection each (spread over the workers). */
const CLIENTS = 8;
/** Requests answered before the SIGTERM: enough that lines are being written while it arrives. */
const ANSWERED_BEFORE_SIGTERM = 300;

const served = routedUpstream('app');

/** A loop of GETs per client, each with a path of its own, until the gateway stops answering; `answered` holds the paths the upstream answered. */
class Load {
  readonly answered = new Set<string>();
  /** Answers of the gateway's own (503 while closing), by path. */
  readonly refused = new Set<string>();
  private stopped = false;
  private readonly clients: Promise<void>[];

  constructor(url: string) {
    this.clients = Array.from({ length: CLIENTS }, (_, client) => this.run(url, client));
  }

  /** Stops the loops once each has its answer to the request in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.clients);
  }

  private async run(url: string, client: number): Promise<void> {
    const agent = new http.Agent({ keepAlive: client % 2 === 0, maxSockets: 1 });
    try {
      for (let n = 0; !this.stopped; n++) {
        const path = `/load-${client}-${n}`;
        const answer = await getOn(agent, url, path).catch(() => undefined);
        // Refused or reset: the listener is gone (or the connection was cut while closing).
        if (answer === undefined) {
          if (this.stopped) return;
          continue;
        }
        if (answer.status === 200 && (JSON.parse(answer.body) as SeenRequest).url === path) this.answered.add(path);
        else this.refused.add(path);
      }
    } finally {
      agent.destroy();
    }
  }
}

function getOn(agent: http.Agent, url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, url), { agent, headers: { host: 'load.example.com' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Starts the gateway, loads it, sends SIGTERM under load, and waits for the exit; what the clients saw answered. */
async function sigtermUnderLoad(cli: CliProcess): Promise<Load> {
  const { http: url } = await cli.urls();
  const load = new Load(url);
  try {
    await eventually('requests answered before the SIGTERM', () => load.answered.size >= ANSWERED_BEFORE_SIGTERM, { ...ACROSS_PROCESSES, timeoutMs: 60_000 });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  } finally {
    await load.stop();
  }
  return load;
}

interface LogLine {
  readonly msg: string;
  readonly path?: string;
  readonly status?: number;
  readonly error?: string;
  readonly pid: number;
}

/**
 * The gateway's log lines in `text`, parsed; any other line must be one of the CLI's own
 * (`switchyard: ...`), so a line cut short or two lines run together fail here.
 */
function logLines(text: string): LogLine[] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  const lines = text.split('\n').filter((line) => line !== '');
  for (const line of lines) if (!line.startsWith('{')) expect(line).toMatch(/^switchyard: /);
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
}

/**
 * Every request the upstream answered has its access line, once; so does every request the
 * gateway refused because it arrived on a connection while it closed: the proxy's own 503
 * `SWY_PROXY_CLOSING`, with its path, and no line in Fastify's words.
 */
function expectEveryAnsweredLogged(load: Load, lines: readonly LogLine[]): void {
  const proxied = lines.filter((line) => line.msg === 'proxied');
  const logged = new Map(proxied.map((line) => [line.path, line]));
  const missing = [...load.answered].filter((path) => logged.get(path)?.status !== 200);
  expect(missing, `${missing.length} of ${load.answered.size} answered requests have no line`).toEqual([]);
  expect(proxied.length).toBe(logged.size);
  const refusedUnlogged = [...load.refused].filter((path) => logged.get(path)?.status !== 503 || logged.get(path)?.error !== 'SWY_PROXY_CLOSING');
  expect(refusedUnlogged, `${refusedUnlogged.length} of ${load.refused.size} refused requests have no SWY_PROXY_CLOSING line`).toEqual([]);
  expect(lines.filter((line) => line.msg.startsWith('request aborted'))).toEqual([]);
}

test('--workers 2 --access-log FILE: both workers append whole lines, and every answered request has its line after SIGTERM', async () => {
  const file = join(served.dir.path, 'access.log');
  const cli = startCli(['serve', '--workers', '2', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--access-log', file]);
  const load = await sigtermUnderLoad(cli);
  const lines = logLines(await readFile(file, 'utf8'));
  expectEveryAnsweredLogged(load, lines);
  expect(new Set(lines.map((line) => line.pid)).size).toBe(2);
  expect(logLines(cli.stdout)).toEqual([]);
}, 120_000);

test('the default (stdout): every answered request has its line on stdout after SIGTERM', async () => {
  const cli = startCli(['serve', '-f', served.dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  const load = await sigtermUnderLoad(cli);
  expectEveryAnsweredLogged(load, logLines(cli.stdout));
}, 120_000);
