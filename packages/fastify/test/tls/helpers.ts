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

/** What a client saw: the served certificate's names, or the handshake's error code. */
export type Handshake = { readonly ok: true; readonly sans: string; readonly body: string } | { readonly ok: false; readonly code: string };

/**
 * Connects with `servername` as SNI (none when undefined), verifying the chain against `ca`
 * and the certificate against `expectName` (default: the servername).
 */
export function handshake(port: number, ca: string, servername: string | undefined, expectName = servername): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca,
      // An IP as host means no SNI is sent; the name check is then against `expectName`.
      ...(servername !== undefined ? { servername } : {}),
      checkServerIdentity: (_host, cert) => tls.checkServerIdentity(expectName ?? '', cert),
    });
    let body = '';
    let sans = '';
    socket.setEncoding('utf8');
    let secured = false;
    socket.on('secureConnect', () => {
      secured = true;
      sans = socket.getPeerCertificate().subjectaltname ?? '';
      socket.end();
    });
    let failure: string | undefined;
    socket.on('data', (chunk: string) => (body += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (failure ??= error.code ?? error.message));
    // 'close' comes after any 'error' (and 'end' may come before it): only then is the outcome known.
    socket.on('close', () => resolve(secured && failure === undefined ? { ok: true, sans, body } : { ok: false, code: failure ?? 'CLOSED_BEFORE_HANDSHAKE' }));
  });
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
