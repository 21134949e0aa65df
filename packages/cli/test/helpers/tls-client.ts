import tls from 'node:tls';

/** Handshakes with `servername` (SNI), verifying against `ca`; the DNS names of the certificate served. */
export function servedNames(url: string, servername: string | undefined, ca: string): Promise<string[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca, ...(servername ? { servername } : {}), checkServerIdentity: () => undefined }, () => {
      const names = (socket.getPeerCertificate().subjectaltname ?? '')
        .split(', ')
        .filter((entry) => entry.startsWith('DNS:'))
        .map((entry) => entry.slice(4));
      socket.end();
      resolve(names);
    });
    socket.once('error', reject);
  });
}

/** A GET over HTTPS with SNI and Host `host`, verifying against `ca`. */
export function httpsGet(url: string, host: string, path: string, ca: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), servername: host, ca }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.once('end', () => {
      const status = Number(raw.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
    socket.once('error', reject);
  });
}
