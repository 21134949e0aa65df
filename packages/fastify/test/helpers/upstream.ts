import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an echo upstream saw of one request. */
export interface SeenRequest {
  readonly upstream: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly bodyBytes: number;
}

/** A real HTTP server on 127.0.0.1:0. */
export interface Upstream {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, upstream: Upstream) => void;

/**
 * An upstream that answers each request with a JSON echo of what it received (its name,
 * method, url, headers, body size), unless a handler takes over.
 */
export async function startUpstream(name: string, handler?: Handler): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = createServer();
  const upstream: Upstream = {
    name,
    get port() {
      return (server.address() as AddressInfo).port;
    },
    server,
    seen,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
  server.on('request', (request, response) => {
    if (handler) return handler(request, response, upstream);
    let bodyBytes = 0;
    request.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    request.on('end', () => {
      const record: SeenRequest = { upstream: name, method: request.method ?? '', url: request.url ?? '', headers: request.headers, rawHeaders: request.rawHeaders, bodyBytes };
      seen.push(record);
      const body = JSON.stringify(record);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-upstream': name });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return upstream;
}

/** A port on which nothing listens (bound once, then closed). */
export async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
