import http from 'node:http';
import type { EventuallyOptions, SeenRequest } from '@switchyard/test-utils';

/** What a test upstream answered, as the CLI tests compare it: who it is and what reached it. */
export interface UpstreamAnswer {
  readonly name: string;
  readonly path: string;
  readonly host: string | undefined;
}

/** Waiting on state that changes in another process (the CLI): longer, and polled less often. */
export const ACROSS_PROCESSES: EventuallyOptions = { timeoutMs: 15_000, intervalMs: 50 };

/** A GET through the gateway with a given Host, on a fresh connection; the status and the echo (or text) body. */
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
          const seen = response.headers['content-type']?.startsWith('application/json') ? (JSON.parse(body) as SeenRequest) : undefined;
          json = seen === undefined ? undefined : { name: seen.upstream, path: seen.url, host: seen.headers.host };
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
