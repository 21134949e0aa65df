/**
 * node:http + http-proxy (node-http-proxy), one target for everything. It opens a new
 * upstream connection per request unless given an agent, so it gets a keep-alive one with
 * 128 sockets, like the undici pools of the other targets.
 */
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import { upstreamUrl, type PeerConfig } from './target-config.js';

const config = readConfig<PeerConfig>();
const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const proxy = httpProxy.createProxyServer({ target: upstreamUrl(config.upstream), agent });
proxy.on('error', (_error, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502).end();
  else res.destroy();
});
const server = createServer({ keepAliveTimeout: 60_000, headersTimeout: 65_000 }, (req, res) => proxy.web(req, res));
server.on('error', failed);
server.listen(0, LOOPBACK, () => announce({ url: urlOf(server, 'http') }));
stopOn(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  agent.destroy();
});
