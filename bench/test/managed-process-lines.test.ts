import { expect, test } from 'vitest';
import { ManagedProcess } from '../src/common/managed-process.js';

/** A child that writes `chunks` to stderr one at a time, 30 ms apart, then waits `lingerMs` and exits. */
function child(chunks: readonly string[], lingerMs: number): ManagedProcess {
  const script = `const chunks = ${JSON.stringify(chunks)}; let i = 0; const next = () => { if (i < chunks.length) { process.stderr.write(chunks[i++]); setTimeout(next, 30); } else setTimeout(() => {}, ${lingerMs}); }; next();`;
  return new ManagedProcess({ name: 'lines', command: process.execPath, args: ['-e', script], ipc: false });
}

test('a stderr line split across writes is seen whole, once, and counted', async () => {
  const process = child(['switchyard: files changed: rel', 'oaded, table version 2, 10 routes\nnoise\n', 'switchyard: files changed: reloaded, table version 3, 10 routes\n'], 2_000);
  try {
    const count = process.countStderrLines((line) => line.includes('reloaded'));
    const line = await process.nextStderrLine((line) => line.startsWith('switchyard: files changed: reloaded'), 5_000);
    expect(line).toBe('switchyard: files changed: reloaded, table version 2, 10 routes');
    // The next awaited line is the one written after, not the one already read.
    await expect(process.nextStderrLine((line) => line.includes('version 3'), 5_000)).resolves.toContain('version 3');
    expect(count()).toBe(2);
  } finally {
    await process.stop();
  }
});

test('waiting for a line that never comes fails when the process exits, or at the timeout', async () => {
  const exits = child(['something else\n'], 0);
  await expect(exits.nextStderrLine((line) => line.includes('reloaded'), 10_000)).rejects.toThrow(/lines exited/);
  const lingers = child([], 5_000);
  try {
    await expect(lingers.nextStderrLine(() => true, 100)).rejects.toThrow(/printed no awaited line on stderr within 100 ms/);
  } finally {
    await lingers.stop();
  }
});
