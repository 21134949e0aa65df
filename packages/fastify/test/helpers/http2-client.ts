import { once } from 'node:events';
import { connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type SecureClientSessionOptions } from 'node:http2';

/** One answer read whole from an HTTP/2 stream. */
export interface Http2Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A client session to `url` (`http://` for h2c with prior knowledge, `https://` for h2 by ALPN); waits until it is connected. */
export async function http2Session(url: string, options: SecureClientSessionOptions = {}): Promise<ClientHttp2Session> {
  const session = connect(url, options);
  // Errors are asserted by the tests that expect them; an unexpected one fails the awaited request.
  session.on('error', () => undefined);
  await once(session, 'connect');
  return session;
}

/** Sends one request on `session` and reads its whole answer. */
export async function http2Request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string | Buffer): Promise<Http2Answer> {
  return readAnswer(session.request(headers, { endStream: body === undefined }), body);
}

/** Reads the answer of `stream`, after sending `body` on it when given. */
export async function readAnswer(stream: ClientHttp2Stream, body?: string | Buffer): Promise<Http2Answer> {
  if (body !== undefined) stream.end(body);
  const chunks: Buffer[] = [];
  const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return { status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString('utf8') };
}
