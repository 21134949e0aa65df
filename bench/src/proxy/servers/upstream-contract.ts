/**
 * What every upstream answers, so the correctness check can tell the upstream's answer from
 * anyone else's: a header with the run's random token, and a header with the path it was
 * asked for (the path the proxy forwarded).
 */
export const UPSTREAM_TOKEN_HEADER = 'x-bench-upstream';
export const UPSTREAM_PATH_HEADER = 'x-bench-path';

/** The small body of every ordinary answer. */
export function smallBody(token: string): string {
  return `ok ${token}\n`;
}

/** Asked for this path, the Node upstream streams `BIG_BODY_BYTES` in chunks, without a Content-Length. */
export const BIG_BODY_PATH = '/__bench/1mib';
export const BIG_BODY_BYTES = 1024 * 1024;
export const BIG_BODY_CHUNK_BYTES = 64 * 1024;

/** The first message the WebSocket echo upstream sends on a new connection; then it echoes. */
export function webSocketHello(token: string, path: string): string {
  return `hello ${token} ${path}`;
}

/** The configuration of servers/node-upstream. */
export interface NodeUpstreamConfig {
  readonly token: string;
}
