import { readFile } from 'node:fs/promises';
import { loadManifests } from '@switchyard/core';
import { serve, type ListenAddress } from '@switchyard/cli';
import { demoUpstreamsOf, startDemoUpstreams } from './demo-upstreams.js';

/** The requests the quickstart sends through the gateway: host routing, path routing, wildcard, default backend. */
export const SAMPLE_REQUESTS: ReadonlyArray<readonly [host: string, path: string]> = [
  ['shop.example.com', '/'],
  ['shop.example.com', '/api/orders/42?expand=items'],
  ['shop.example.com', '/api/health'],
  ['acme.shop.example.com', '/catalog'],
  ['shop.example.com', '//api/../docs/intro'],
  ['unknown.example.org', '/anything'],
];

export interface QuickstartOptions {
  /** The manifest path. */
  readonly manifest: string;
  readonly listen?: ListenAddress;
  readonly admin?: ListenAddress | false;
  /** Fastify's logger option for the gateway; default off, the quickstart prints its own lines. */
  readonly logger?: boolean | object;
  readonly report?: (line: string) => void;
}

export interface Quickstart {
  readonly urls: { readonly http: string; readonly admin?: string };
  close(): Promise<void>;
}

/**
 * Starts the demo upstreams the manifest's EndpointSlices point at, then the gateway over the
 * same manifest (as `switchyard serve -f` does: static discovery, reload on edit).
 */
export async function startQuickstart(options: QuickstartOptions): Promise<Quickstart> {
  const loaded = loadManifests(await readFile(options.manifest, 'utf8'), { file: options.manifest });
  const upstreams = await startDemoUpstreams(demoUpstreamsOf(loaded.objects));
  try {
    const server = await serve({
      files: [options.manifest],
      ingressClass: 'switchyard',
      listen: options.listen ?? { host: '127.0.0.1', port: 8080 },
      admin: options.admin ?? { host: '127.0.0.1', port: 9901 },
      logger: options.logger ?? false,
      ...(options.report ? { report: options.report } : {}),
    });
    return {
      urls: server.urls,
      close: async () => {
        await server.close();
        await upstreams.close();
      },
    };
  } catch (error) {
    await upstreams.close();
    throw error;
  }
}

/** Sends one sample request through the gateway and describes the answer in one line. */
export async function tryRequest(gatewayUrl: string, host: string, path: string): Promise<{ status: number; line: string }> {
  const { request } = await import('node:http');
  const url = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const error = response.headers['x-switchyard-error'];
        resolve({ status, line: `${status} ${error ? `(${String(error)}) ` : ''}${body.trim()}` });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The lines the quickstart prints: the URLs, and curl commands that show the routing. */
export function usageLines(urls: Quickstart['urls']): string[] {
  const http = urls.http;
  return [
    `Switchyard is proxying on ${http}${urls.admin ? ` (admin: ${urls.admin})` : ''}.`,
    '',
    'Try it:',
    `  curl -H 'Host: shop.example.com' ${http}/               # host rule -> storefront`,
    `  curl -H 'Host: shop.example.com' ${http}/api/orders/1   # path rule -> api`,
    `  curl -H 'Host: acme.shop.example.com' ${http}/catalog   # wildcard host -> storefront`,
    `  curl -H 'Host: unknown.example.org' ${http}/            # no rule -> default backend (fallback)`,
    ...(urls.admin ? [`  curl ${urls.admin}/routes                                  # the route table and endpoints`, `  curl '${urls.admin}/explain?host=shop.example.com&path=/api/health'`] : []),
    '',
    'Edit ingress.yaml and the gateway reloads it. Ctrl-C stops everything.',
  ];
}
