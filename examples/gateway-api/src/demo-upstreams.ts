import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SERVICE_NAME_LABEL, type EndpointSlice, type KubernetesObject } from '@switchyard/core';

/** A demo upstream: one small HTTP server standing in for a Service's pod. */
export interface DemoUpstream {
  readonly service: string;
  readonly address: string;
  readonly port: number;
}

/** The demo upstreams the manifests' EndpointSlices point at: one per address and port. */
export function demoUpstreamsOf(objects: readonly KubernetesObject[]): DemoUpstream[] {
  const upstreams = new Map<string, DemoUpstream>();
  for (const object of objects) {
    if (object.kind !== 'EndpointSlice') continue;
    const slice = object as EndpointSlice;
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL] ?? slice.metadata?.name ?? 'unknown';
    for (const endpoint of slice.endpoints ?? []) {
      for (const address of endpoint.addresses ?? []) {
        for (const port of slice.ports ?? []) {
          if (port.port === undefined || port.port === null) continue;
          upstreams.set(`${address}:${port.port}`, { service, address, port: port.port });
        }
      }
    }
  }
  return [...upstreams.values()];
}

/** What an upstream received, in a few words: method, path as it arrived, Host, the scheme the client used. */
export function describeRequest(request: IncomingMessage): string {
  return `${request.method} ${request.url} (Host: ${request.headers.host}, X-Forwarded-Proto: ${request.headers['x-forwarded-proto']})`;
}

/**
 * Starts the demo upstreams. Each answers every request with one line naming its Service and
 * what it received, so a curl shows where the gateway sent it and how (path rewritten or not,
 * over HTTP or HTTPS). `onRequest` hears every request, answered to the client or not: a
 * mirrored copy's answer never reaches a client, so this is how the example shows it arrived.
 */
export async function startDemoUpstreams(upstreams: readonly DemoUpstream[], onRequest: (service: string, request: string) => void): Promise<{ close(): Promise<void> }> {
  const servers: Server[] = [];
  try {
    for (const upstream of upstreams) {
      const server = createServer((request, response) => {
        const received = describeRequest(request);
        onRequest(upstream.service, received);
        const body = `${upstream.service} answered ${received}\n`;
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-demo-service': upstream.service });
        // The body of the request (a POST mirrored with it) is read and dropped.
        request.resume();
        response.end(body);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', (error: NodeJS.ErrnoException) => {
          reject(new Error(`demo upstream ${upstream.service} cannot listen on ${upstream.address}:${upstream.port} (${error.code}); free the port or edit the EndpointSlices in manifests/services.yaml`));
        });
        server.listen(upstream.port, upstream.address);
      });
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  return {
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}
