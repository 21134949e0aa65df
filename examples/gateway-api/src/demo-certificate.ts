import { webcrypto } from 'node:crypto';
// tsyringe, under @peculiar/x509, needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';

/**
 * The example's TLS material, minted at every start so that no private key is ever committed:
 * a throwaway certificate authority (give its certificate to curl as `--cacert`) and a server
 * certificate it signs for the HTTPS listener's hostname. ECDSA P-256: a key takes a millisecond.
 */

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What `mintDemoCertificate` returns, all PEM. */
export interface DemoCertificate {
  /** The CA certificate: the one thing a client needs to trust the gateway. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

type X509 = typeof import('@peculiar/x509');

/** @peculiar/x509, imported after the polyfill above (a static import of CommonJS may run first). */
async function loadX509(): Promise<X509> {
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  return x509;
}

/** A new CA and a certificate it signs for `hosts` (wildcards allowed), valid from a day ago for 30 days. */
export async function mintDemoCertificate(hosts: readonly string[]): Promise<DemoCertificate> {
  const x509 = await loadX509();
  const now = Date.now();
  const notBefore = new Date(now - DAY_MS);
  const notAfter = new Date(now + 30 * DAY_MS);
  const caKeys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=Switchyard gateway-api example CA',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await generateKeys();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${hosts[0] ?? 'localhost'}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({ type: 'dns' as const, value }))),
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return { caPem: ca.toString('pem'), certPem: leaf.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** A `kubernetes.io/tls` Secret holding the server certificate, as a manifest document (JSON is YAML). */
export function tlsSecretManifest(name: string, namespace: string, certificate: DemoCertificate): string {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(certificate.certPem).toString('base64'), 'tls.key': Buffer.from(certificate.keyPem).toString('base64') },
  };
  return `${JSON.stringify(secret, null, 2)}\n`;
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

/** A positive 64-bit serial, so two runs never issue the same one. */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
