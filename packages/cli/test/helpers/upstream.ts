import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test upstream answers: who it is and what reached it. */
export interface UpstreamAnswer {
  readonly name: string;
  readonly path: string;
  readonly host: string | undefined;
}

/** A real HTTP server on 127.0.0.1:0 that names itself in every answer. */
export class Upstream {
  readonly requests: UpstreamAnswer[] = [];
  /** Set by a test to hold answers back (a slow upstream): called with a function that sends the answer. */
  hold: ((release: () => void) => void) | undefined;

  private constructor(
    readonly name: string,
    private readonly server: http.Server,
  ) {}

  static async start(name: string): Promise<Upstream> {
    const server = http.createServer();
    const upstream = new Upstream(name, server);
    server.on('request', (request, response) => upstream.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const answer: UpstreamAnswer = { name: this.name, path: request.url ?? '', host: request.headers.host };
    this.requests.push(answer);
    const send = () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answer));
    };
    if (this.hold) this.hold(send);
    else send();
  }
}

/** A GET through the gateway with a given Host, on a fresh connection; the status and the JSON (or text) body. */
export async function get(url: string, host: string, path: string): Promise<{ status: number; body: string; json: UpstreamAnswer | undefined; headers: http.IncomingHttpHeaders }> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const request = http.request(target, { method: 'GET', headers: { host }, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        let json: UpstreamAnswer | undefined;
        try {
          json = response.headers['content-type']?.startsWith('application/json') ? (JSON.parse(body) as UpstreamAnswer) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body, json, headers: response.headers });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Polls `check` (an async probe) until it returns true; for state that changes in another process. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
