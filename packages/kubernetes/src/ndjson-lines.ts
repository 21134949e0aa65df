import type { Readable } from 'node:stream';

/**
 * Splits a stream of newline-delimited JSON (a watch response) into lines as they arrive,
 * without waiting for the end. A partial line is kept until its newline comes.
 */
export async function* ndjsonLines(stream: Readable): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== '') yield line;
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim() !== '') yield pending.trim();
}
