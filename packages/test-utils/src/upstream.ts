import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an echo upstream saw of one request; also the JSON body it answers with. */
export interface SeenRequest {
  /** The upstream's name, so a test can tell which one answered. */
  readonly upstream: string;
  readonly method: string;
  /** The request target as received (path and query). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly bodyBytes: number;
}

/** A real HTTP server on 127.0.0.1 (a free port), standing in for a backend. */
export interface Upstream {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly server: Server;
  /** Every request the echo answered, in order (a custom handler records nothing). */
  readonly seen: SeenRequest[];
  /**
   * Set to hold echo answers back (a slow upstream): called with a function that sends the
   * answer. Undefined (the default) answers at once.
   */
  hold: ((send: () => void) => void) | undefined;
  close(): Promise<void>;
}

/** Answers a request in place of the echo. */
export type UpstreamHandler = (request: IncomingMessage, response: ServerResponse, upstream: Upstream) => void;

/**
 * Starts an upstream that answers each request with a JSON echo of what it received (a
 * `SeenRequest`, with an `x-upstream: <name>` header), unless `handler` takes over.
 */
export async function startUpstream(name: string, handler?: UpstreamHandler): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server = createServer();
  const upstream: Upstream = {
    name,
    get port() {
      return (server.address() as AddressInfo).port;
    },
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    server,
    seen,
    hold: undefined,
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
      const send = () => {
        const body = JSON.stringify(record);
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-upstream': name });
        response.end(body);
      };
      if (upstream.hold) upstream.hold(send);
      else send();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return upstream;
}
