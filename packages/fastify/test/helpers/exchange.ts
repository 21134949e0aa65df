import { connect } from 'node:net';
import { request } from 'undici';

/** How a raw exchange ended: a clean FIN from the gateway, or an error (reset). */
export interface RawExchange {
  readonly data: Buffer;
  readonly outcome: 'end' | 'error';
}

/**
 * Writes `text` to the gateway on a raw socket and collects every byte until the connection
 * ends. `onData` sees the bytes so far after each chunk (to act once a response has begun).
 */
export function rawExchange(url: string, text: string | Buffer, onData?: (received: Buffer) => void): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = Buffer.alloc(0);
    let outcome: RawExchange['outcome'] = 'end';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received = Buffer.concat(chunks);
      onData?.(received);
    });
    socket.on('error', () => (outcome = 'error'));
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), outcome }));
  });
}

/** A response read whole, or the error that broke it (after the status line, if one came). */
export interface Outcome {
  readonly status: number | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly error: Error | undefined;
}

/** undici `request` options: method, headers, body. */
export type AttemptOptions = NonNullable<Parameters<typeof request>[1]>;

/** Sends one request with undici and reads the body, recording a failure instead of throwing. */
export async function attempt(url: string, options: AttemptOptions = {}): Promise<Outcome> {
  let status: number | undefined;
  let headers: Outcome['headers'] = {};
  try {
    const response = await request(url, options);
    status = response.statusCode;
    headers = response.headers;
    const body = await response.body.text();
    return { status, headers, body, error: undefined };
  } catch (error) {
    return { status, headers, body: '', error: error as Error };
  }
}

/** The `x-upstream` header an upstream of these tests names itself with. */
export function upstreamOf(outcome: { readonly headers: Outcome['headers'] }): string | undefined {
  const name = outcome.headers['x-upstream'];
  return typeof name === 'string' ? name : undefined;
}

/** How many times each value occurs. */
export function tally(values: ReadonlyArray<string | undefined>): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
