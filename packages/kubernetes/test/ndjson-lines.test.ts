import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { ndjsonLines } from '../src/ndjson-lines.js';

test('yields each line as soon as it is complete, across chunk boundaries, skipping blank lines', async () => {
  const stream = Readable.from([Buffer.from('{"a":1}\n{"b"'), Buffer.from(':2}\n\n'), Buffer.from('{"c":3}')]);
  const lines: string[] = [];
  for await (const line of ndjsonLines(stream)) lines.push(line);
  expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
});
