import tls from 'node:tls';

/**
 * A TLS client for tests of servers that choose their certificate by SNI: the certificate
 * store's own tests and the gateway's HTTPS listener share it, so both verify chain and name.
 */

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
