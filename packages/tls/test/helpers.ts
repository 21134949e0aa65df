import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { Ingress } from '@switchyard/core';

/**
 * A TLS server on 127.0.0.1:0 that greets every connection with "hello", then echoes what it
 * gets until the client ends; it records failed handshakes.
 */
export interface TestTlsServer {
  readonly server: tls.Server;
  readonly port: number;
  /** Errors of failed handshakes, in order (the server's `tlsClientError` events). */
  readonly clientErrors: Error[];
  close(): Promise<void>;
}

export async function startTlsServer(options: tls.TlsOptions): Promise<TestTlsServer> {
  const server = tls.createServer(options, (socket) => {
    socket.write('hello');
    socket.pipe(socket);
  });
  const clientErrors: Error[] = [];
  server.on('tlsClientError', (error) => clientErrors.push(error));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    clientErrors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An Ingress with one rule per host and the given spec.tls. */
export function tlsIngress(name: string, hosts: readonly string[], tlsEntries: NonNullable<Ingress['spec']>['tls'], extra: Partial<NonNullable<Ingress['spec']>> = {}, namespace = 'shop'): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ...extra,
      rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend: { service: { name, port: { number: 80 } } } }] } })),
      ...(tlsEntries ? { tls: tlsEntries } : {}),
    },
  };
}
