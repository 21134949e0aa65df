/**
 * The Node upstream: answers every request with a small fixed body (and the check headers),
 * streams 1 MiB for `BIG_BODY_PATH`, and echoes WebSocket messages after a hello. Used as
 * the upstream of every target when nginx is absent, and for the WebSocket and 1 MiB
 * scenarios always.
 */
import { createServer, type ServerResponse } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { announce, failed, LOOPBACK, readConfig, stopOn, urlOf } from './server-process.js';
import {
  BIG_BODY_BYTES,
  BIG_BODY_CHUNK_BYTES,
  BIG_BODY_PATH,
  smallBody,
  UPSTREAM_PATH_HEADER,
  UPSTREAM_TOKEN_HEADER,
  webSocketHello,
  type NodeUpstreamConfig,
} from './upstream-contract.js';

const { token } = readConfig<NodeUpstreamConfig>();
const body = Buffer.from(smallBody(token));
const bodyLength = String(body.length);
const chunk = Buffer.alloc(BIG_BODY_CHUNK_BYTES, 'x');
const chunks = BIG_BODY_BYTES / BIG_BODY_CHUNK_BYTES;

const server = createServer({ keepAliveTimeout: 60_000, headersTimeout: 65_000 }, (req, res) => {
  const path = req.url ?? '';
  if (path === BIG_BODY_PATH) {
    res.writeHead(200, { 'content-type': 'application/octet-stream', [UPSTREAM_TOKEN_HEADER]: token, [UPSTREAM_PATH_HEADER]: path });
    streamBig(res, chunks);
    return;
  }
  res.writeHead(200, ['content-type', 'text/plain', 'content-length', bodyLength, UPSTREAM_TOKEN_HEADER, token, UPSTREAM_PATH_HEADER, path]);
  res.end(body);
});

/** Writes the big body chunk by chunk, waiting for `drain`, as a streaming upstream does. */
function streamBig(res: ServerResponse, left: number): void {
  while (left > 0) {
    left--;
    if (!res.write(chunk)) {
      res.once('drain', () => streamBig(res, left));
      return;
    }
  }
  res.end();
}

const sockets = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    ws.send(webSocketHello(token, req.url ?? ''));
    ws.on('message', (data: RawData, isBinary: boolean) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => ws.terminate());
  });
});

server.listen(0, LOOPBACK, () => announce({ url: urlOf(server, 'http') }));
server.on('error', failed);
stopOn(() => {
  for (const ws of sockets.clients) ws.terminate();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
