/**
 * The HTTP/2 floor: node:http2's stream API (h2c with prior knowledge) and undici's
 * `Pool.stream` to the HTTP/1.1 upstream, no framework. Per request only what a proxy from
 * HTTP/2 to HTTP/1.1 must do: the pseudo-headers become the request line and Host, the
 * response's connection-specific headers are dropped (HTTP/2 forbids them).
 */
import { constants, createServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { Pool, type Dispatcher } from 'undici';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const { NGHTTP2_INTERNAL_ERROR } = constants;
const config = readConfig<PeerConfig>();
const pool = new Pool(upstreamUrl(config.upstream), { connections: 128, pipelining: 1 });

/** The request headers for HTTP/1.1: no pseudo-headers, Host from `:authority`. */
function upstreamHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 /* ':' */) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  out.host = headers[':authority'] ?? '';
  return out;
}

/** A stream the client reset (h2load ends its window with streams in flight): undici aborts the request. */
const GONE = new Error('the client stream is gone');

// Made once: the stream travels as `opaque`, so no closure is made per request.
function factory({ statusCode, headers, opaque }: Dispatcher.StreamFactoryData<ServerHttp2Stream>): ServerHttp2Stream {
  const stream = opaque;
  if (stream.destroyed || stream.closed) throw GONE;
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['transfer-encoding'];
  stream.respond({ ...headers, ':status': statusCode });
  return stream;
}

function done(error: Error | null, data: { opaque: ServerHttp2Stream }): void {
  if (error === null) return;
  const stream = data.opaque;
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) stream.close(NGHTTP2_INTERNAL_ERROR);
  else stream.respond({ ':status': 502 }, { endStream: true });
}

const server = createServer();
server.on('stream', (stream, headers) => {
  const method = headers[':method'] as Dispatcher.HttpMethod;
  stream.on('error', () => undefined);
  pool.stream({ path: headers[':path'] ?? '/', method, headers: upstreamHeaders(headers), body: method === 'GET' || method === 'HEAD' ? null : stream, opaque: stream }, factory, done);
});
server.on('error', failed);
server.listen(0, LOOPBACK, () => announce({ url: urlOf(server, 'http') }));
stopOn(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pool.close();
});
