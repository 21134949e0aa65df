import { TLS_SECRET_TYPE, type RouteTable, type Secret } from '@switchyard/core';
import type { PemCertificate, TlsInputs } from '@switchyard/tls';

/**
 * What the `CertificateStore` of one HTTPS Gateway listener port is built from: each serving
 * listener's first certificateRef (the Secrets compile resolved), for the listener's hostname;
 * the listener without a hostname gives the port's default certificate (clients without SNI,
 * and names no other listener claims).
 *
 * Left for later: more than one certificateRef per listener (an RSA and an ECDSA pair) serves
 * the first; a wildcard listener hostname is served by the store's wildcard rule, one label.
 */
export function gatewayTlsInputs(table: RouteTable, port: number): TlsInputs {
  const certificates: PemCertificate[] = [];
  let defaultCertificate: PemCertificate | undefined;
  for (const listener of table.gatewayApi?.listeners ?? []) {
    if (listener.port !== port || !listener.ready || listener.protocol !== 'HTTPS') continue;
    const first = listener.certificates[0];
    if (first === undefined) continue;
    const pem = secretPem(first.secret, `Secret ${first.namespace}/${first.name} (listener ${listener.name} of Gateway ${listener.gatewayName})`);
    if (pem === undefined) continue;
    if (listener.hostname === undefined) defaultCertificate ??= pem;
    else certificates.push({ ...pem, hosts: [listener.hostname] });
  }
  return { certificates, ...(defaultCertificate === undefined ? {} : { defaultCertificate }) };
}

/** The Gateway listener ports of `table` served over TLS. */
export function httpsGatewayPorts(table: RouteTable): number[] {
  return table.gatewayPorts().filter((port) => table.gatewayPort(port)?.protocol === 'HTTPS');
}

/** `tls.crt` and `tls.key` of a `kubernetes.io/tls` Secret: `stringData` (plain) over `data` (base64), as the API server merges them. */
function secretPem(secret: Secret, source: string): PemCertificate | undefined {
  if (secret.type !== TLS_SECRET_TYPE) return undefined;
  const read = (name: string): string | Buffer | undefined => {
    const plain = secret.stringData?.[name];
    if (typeof plain === 'string') return plain;
    const encoded = secret.data?.[name];
    return typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined;
  };
  const cert = read('tls.crt');
  const key = read('tls.key');
  // A missing part is checked (and reported) by the store like any bad PEM.
  return { cert: cert ?? '', key: key ?? '', source };
}
