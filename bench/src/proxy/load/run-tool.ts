import { spawn } from 'node:child_process';
import { BenchError } from '../../common/errors.js';

/**
 * Runs a load tool (wrk, h2load) to its end and hands back what it printed.
 *
 * @throws BenchError `SWY_BENCH_PROCESS_FAILED` naming the tool when it exits other than 0 (its last output in the message).
 */
export async function runTool(name: string, command: string, args: readonly string[]): Promise<{ stdout: string }> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0) throw new BenchError('SWY_BENCH_PROCESS_FAILED', `${name} exited with ${code}: ${stderr.slice(-1_000)}${stdout.slice(-1_000)}`, { subject: { kind: 'BenchProcess', name } });
  return { stdout };
}
