/**
 * The floor: node:http and undici's `Pool.stream`, no framework, nothing per request but the
 * proxying itself. Request headers go through as they came (Node's raw list), except the
 * hop-by-hop ones undici refuses, which are dropped; the response's hop-by-hop headers are
 * dropped too. What a Node.js proxy cannot do with less CPU.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
const pool = new Pool(upstreamUrl(config.upstream), { connections: 128, pipelining: 1 });

/** Request headers undici throws on (it sets them itself). */
const REFUSED = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

function forwardable(raw: string[]): string[] {
  for (let i = 0; i < raw.length; i += 2) {
    if (REFUSED.has(raw[i]!.toLowerCase())) return withoutRefused(raw);
  }
  // The common case: Node's own array, not copied.
  return raw;
}

function withoutRefused(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!REFUSED.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  }
  return kept;
}

// Made once: the response travels as `opaque`, so no closure is made per request.
function factory({ statusCode, headers, opaque }: Dispatcher.StreamFactoryData<ServerResponse>): ServerResponse {
  const res = opaque;
  delete headers.connection;
  delete headers['keep-alive'];
  delete headers['transfer-encoding'];
  res.writeHead(statusCode, headers);
  return res;
}

function done(error: Error | null, data: { opaque: ServerResponse }): void {
  if (error === null) return;
  const res = data.opaque;
  if (res.headersSent) res.destroy(error);
  else res.writeHead(502).end();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const method = req.method as Dispatcher.HttpMethod;
  pool.stream({ path: req.url ?? '/', method, headers: forwardable(req.rawHeaders), body: method === 'GET' || method === 'HEAD' ? null : req, opaque: res }, factory, done);
}

const server = createServer({ keepAliveTimeout: 60_000, headersTimeout: 65_000 }, handle);
server.on('error', failed);
server.listen(0, LOOPBACK, () => announce({ url: urlOf(server, 'http') }));
stopOn(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await pool.close();
});
