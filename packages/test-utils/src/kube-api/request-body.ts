import type { IncomingMessage } from 'node:http';

// The API server refuses request bodies over 3 MiB; so does the fixture, so a runaway test fails fast.
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Thrown when a body is too large or not JSON; the server answers 413 or 400. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(readonly statusCode: 400 | 413, message: string) {
    super(message);
  }
}

/** Reads a request body as JSON; undefined when there is none (a DELETE without options). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'Request entity too large: limit is 3145728');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, `the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
}
