import { readFile } from 'node:fs/promises';
import { SwitchyardError } from '@switchyard/core';
import { check } from './check.js';
import type { CliIo } from './cli-io.js';
import { parseCommandLine, type ParsedCommandLine } from './command-line.js';
import { exitCodeOf, EXIT_FAILURE } from './errors.js';
import { explain, explainGateway, type ExplainResult, type GatewayExplainOptions, type GatewayExplainResult } from './explain.js';
import { GATEWAY_API_NOT_SERVED } from './manifest-config.js';
import { formatCounts, formatDiagnostic, formatExplanation, formatGatewayExplanation, formatGatewayStatus } from './format.js';
import { usage } from './usage.js';

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * Runs `switchyard <argv>` and resolves with the exit status: 0 ok, 1 a failure (errors found
 * by check, a gateway that cannot start), 2 a command line it cannot run. A failure is one line
 * on stderr, `switchyard: <message> [SWY_...]`, never a stack (set `SWITCHYARD_DEBUG=1` for one).
 * `serve` resolves once the gateway has drained after SIGTERM or SIGINT.
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    switch (parsed.command) {
      case 'help':
        io.stdout.write(`${usage(parsed.topic)}\n`);
        return 0;
      case 'version':
        io.stdout.write(`${await version()}\n`);
        return 0;
      case 'check':
        return await runCheck(parsed, io);
      case 'explain':
        return await runExplain(parsed, io);
      case 'serve': {
        // Loaded only here: check and explain start without Fastify and the Kubernetes client.
        const { runServe } = await import('./serve-command.js');
        return await runServe(parsed.options, parsed.workers, io);
      }
    }
  } catch (error) {
    io.stderr.write(`${errorLine(error)}\n`);
    return exitCodeOf(error);
  }
}

/** `switchyard: <message> [SWY_CODE]`, on one line. */
export function errorLine(error: unknown): string {
  if (process.env.SWITCHYARD_DEBUG) return `switchyard: ${(error as Error)?.stack ?? String(error)}`;
  const message = firstLine(error instanceof Error ? error.message : String(error));
  return error instanceof SwitchyardError ? `switchyard: ${message} [${error.code}]` : `switchyard: ${message}`;
}

async function runCheck(parsed: Extract<ParsedCommandLine, { command: 'check' }>, io: CliIo): Promise<number> {
  const result = await check(parsed.options);
  if (parsed.json) {
    const status = result.status === undefined ? {} : { status: result.status };
    io.stdout.write(`${JSON.stringify({ ok: result.ok, counts: result.counts, diagnostics: result.diagnostics, ...status }, null, 2)}\n`);
  } else {
    for (const d of result.diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
    if (result.status !== undefined) {
      io.stdout.write('Gateway API status:\n');
      const lines = formatGatewayStatus(result.status);
      for (const line of lines.length === 0 ? ['(no Gateway of the class)'] : lines) io.stdout.write(`  ${line}\n`);
    }
    io.stdout.write(`${formatCounts(result.counts)}: ${result.ok ? 'ok' : parsed.options.strict && result.counts.error === 0 ? 'failed (--strict: warnings count)' : 'failed'}\n`);
  }
  return result.ok ? 0 : EXIT_FAILURE;
}

async function runExplain(parsed: Extract<ParsedCommandLine, { command: 'explain' }>, io: CliIo): Promise<number> {
  const options = parsed.options;
  const result = options.port === undefined ? await explain(options) : await explainGateway(options as GatewayExplainOptions);
  // Problems in the files change the answer (an Ingress left out), so they are shown, apart from it;
  // so is the note that Gateway API objects are not served.
  for (const d of result.diagnostics) if (d.severity !== 'info' || d.code === GATEWAY_API_NOT_SERVED) io.stderr.write(`${formatDiagnostic(d)}\n`);
  if (parsed.json) {
    io.stdout.write(`${JSON.stringify({ ...result.explanation, endpoints: result.endpoints ?? null, diagnostics: result.diagnostics }, null, 2)}\n`);
  } else {
    io.stdout.write(`${'port' in result.explanation ? formatGatewayExplanation(result as GatewayExplainResult) : formatExplanation(result as ExplainResult)}\n`);
  }
  return 0;
}

async function version(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `switchyard ${manifest.version}`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
