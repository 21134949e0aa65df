import { smallBody, UPSTREAM_PATH_HEADER, UPSTREAM_TOKEN_HEADER } from './servers/upstream-contract.js';

/** Where an nginx instance of the run keeps its files, and how it runs. */
export interface NginxPlace {
  /** A temporary directory: pid file, logs and temp paths all go here. */
  readonly dir: string;
  readonly port: number;
  /** Set when the harness runs as root: nginx's workers would otherwise switch to `nobody`. */
  readonly user: string | undefined;
}

/**
 * nginx as the upstream: one worker, `return 200` with the same body and check headers as
 * the Node upstream, no access log, keep-alive connections kept open for the whole run.
 */
export function nginxUpstreamConfig(place: NginxPlace, token: string): string {
  return common(place, [
    `    server {`,
    `        listen 127.0.0.1:${place.port};`,
    `        location / {`,
    `            default_type text/plain;`,
    `            add_header ${UPSTREAM_TOKEN_HEADER} ${token} always;`,
    `            add_header ${UPSTREAM_PATH_HEADER} $request_uri always;`,
    // nginx reads `\n` in a quoted string as a newline; the token is hex, nothing else to escape.
    `            return 200 "${smallBody(token).replace('\n', '\\n')}";`,
    `        }`,
    `    }`,
  ]);
}

/**
 * nginx as a reverse proxy: one worker, HTTP/1.1 keep-alive to the upstream (up to 128 idle
 * connections), the client's Host passed on.
 */
export function nginxProxyConfig(place: NginxPlace, upstreamPort: number): string {
  return common(place, [
    `    upstream bench_upstream {`,
    `        server 127.0.0.1:${upstreamPort};`,
    `        keepalive 128;`,
    `        keepalive_requests 1000000;`,
    `    }`,
    `    server {`,
    `        listen 127.0.0.1:${place.port};`,
    `        location / {`,
    `            proxy_pass http://bench_upstream;`,
    `            proxy_http_version 1.1;`,
    `            proxy_set_header Connection "";`,
    `            proxy_set_header Host $host;`,
    `            proxy_buffering on;`,
    `        }`,
    `    }`,
  ]);
}

function common(place: NginxPlace, server: readonly string[]): string {
  const { dir } = place;
  return [
    ...(place.user === undefined ? [] : [`user ${place.user};`]),
    'worker_processes 1;',
    'daemon off;',
    'master_process on;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events {',
    '    worker_connections 4096;',
    '    multi_accept on;',
    '}',
    'http {',
    '    access_log off;',
    '    keepalive_timeout 65s;',
    '    keepalive_requests 1000000;',
    `    client_body_temp_path ${dir}/client-body;`,
    `    proxy_temp_path ${dir}/proxy;`,
    `    fastcgi_temp_path ${dir}/fastcgi;`,
    `    uwsgi_temp_path ${dir}/uwsgi;`,
    `    scgi_temp_path ${dir}/scgi;`,
    ...server,
    '}',
    '',
  ].join('\n');
}
