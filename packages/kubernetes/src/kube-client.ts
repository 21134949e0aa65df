import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './errors.js';

/** Where the API server is and how to talk to it. */
export interface KubeConnection {
  /** `https://host:port` (or `http://` for a local test server). */
  readonly server: string;
  /** TLS and auth options (ca, cert, key, headers) applied to every request. */
  readonly requestOptions?: https.RequestOptions;
}

/**
 * The connection a KubeConfig describes (kubeconfig file, in-cluster, or built in code):
 * `@kubernetes/client-node` supplies the server, TLS material and auth headers; the
 * requests themselves are ours, so the watch loop controls its own timeouts.
 */
export async function connectionFromKubeConfig(kubeConfig: KubeConfig): Promise<KubeConnection> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new KubeError('SWY_KUBE_NO_CLUSTER', 'the KubeConfig has no current cluster (set currentContext, or load one)');
  const applied: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(applied as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
  // client-node puts the TLS material into an Agent of its own; we take the material and
  // leave the agent, so each watch owns its socket and its lifetime.
  const { agent, ...requestOptions } = applied;
  const tls = (agent as { options?: Record<string, unknown> } | undefined)?.options ?? {};
  for (const key of TLS_OPTIONS) {
    if (tls[key] !== undefined && requestOptions[key] === undefined) Object.assign(requestOptions, { [key]: tls[key] });
  }
  return { server: cluster.server, requestOptions };
}

const TLS_OPTIONS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** A response whose status is not 2xx, with the API server's Status object when it sent one. */
export class KubeApiError extends KubeError {
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    message: string,
    /** Seconds from a Retry-After header (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super('SWY_KUBE_API_STATUS', message);
  }
}

/** GETs `path` (a LIST, a WATCH or one object); resolves with the response of a 2xx, rejects with `KubeApiError` otherwise. */
export function kubeGet(connection: KubeConnection, path: string, query: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  return kubeRequest(connection, 'GET', path, query, undefined, signal);
}

/** The content types a write may carry: a whole object, or a JSON merge patch (RFC 7386). */
export type KubeWriteContentType = 'application/json' | 'application/merge-patch+json';

/**
 * Sends a write (`POST` create, `PUT` replace, `PATCH`) with a JSON body and parses the object
 * the server answers; rejects with `KubeApiError` on a non-2xx (409 Conflict and AlreadyExists
 * included: the caller decides what a conflict means).
 */
export async function kubeWriteJson<T>(
  connection: KubeConnection,
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  body: unknown,
  signal: AbortSignal,
  contentType: KubeWriteContentType = 'application/json',
): Promise<T> {
  const response = await kubeRequest(connection, method, path, {}, { text: JSON.stringify(body), contentType }, signal);
  return JSON.parse(await readBody(response)) as T;
}

function kubeRequest(
  connection: KubeConnection,
  method: string,
  path: string,
  query: Record<string, string>,
  body: { readonly text: string; readonly contentType: string } | undefined,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const url = new URL(path, connection.server);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const transport = url.protocol === 'https:' ? https : http;
  const headers = {
    accept: 'application/json',
    ...connection.requestOptions?.headers,
    ...(body === undefined ? {} : { 'content-type': body.contentType, 'content-length': Buffer.byteLength(body.text) }),
  };
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { ...connection.requestOptions, method, signal, headers }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(response);
      readBody(response).then(
        (text) => reject(apiError(status, text, response.headers['retry-after'])),
        (error: unknown) => reject(error),
      );
    });
    request.on('error', reject);
    request.end(body?.text);
  });
}

/** GETs and parses a JSON body. */
export async function kubeGetJson<T>(connection: KubeConnection, path: string, query: Record<string, string>, signal: AbortSignal): Promise<T> {
  const response = await kubeGet(connection, path, query, signal);
  return JSON.parse(await readBody(response)) as T;
}

async function readBody(response: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) body += (chunk as Buffer).toString('utf8');
  return body;
}

function apiError(status: number, body: string, retryAfter: string | string[] | undefined): KubeApiError {
  let reason: string | undefined;
  let message = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    reason = parsed.reason;
    message = parsed.message ?? message;
  } catch {
    // Not a Status object; keep the text.
  }
  const seconds = typeof retryAfter === 'string' ? Number(retryAfter) : NaN;
  return new KubeApiError(status, reason, `HTTP ${status}${reason ? ` ${reason}` : ''}: ${message}`, Number.isFinite(seconds) ? seconds : undefined);
}
