import { webcrypto } from 'node:crypto';
// tsyringe, under @peculiar/x509, needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';

/**
 * Certificates made in the test process, so TLS tests need no files and no openssl: a
 * certificate authority, and leaf certificates it signs for any hosts and validity window.
 * ECDSA P-256 keys, because generating them takes about a millisecond (RSA takes far longer).
 */

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

type X509 = typeof import('@peculiar/x509');
let loaded: Promise<X509> | undefined;

/**
 * @peculiar/x509, loaded on first use: imported dynamically so the Reflect polyfill is surely in
 * place first (a static import of a CommonJS package may run before its ESM siblings).
 */
function loadX509(): Promise<X509> {
  return (loaded ??= import('@peculiar/x509').then((x509) => {
    // It signs through a WebCrypto provider; node's is complete.
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  }));
}

/** A certificate and its private key, both PEM. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

export interface IssueOptions {
  /** DNS names for the subjectAltName (wildcards like `*.example.com` allowed); the first is also the CN. */
  readonly hosts: readonly string[];
  /** Default: one day ago. */
  readonly notBefore?: Date;
  /** Default: thirty days from now. */
  readonly notAfter?: Date;
}

/** A certificate authority living in the test process. */
export interface TestCa {
  /** The CA certificate, PEM: give it to clients as `ca`. */
  readonly certPem: string;
  /** Issues a server certificate signed by this CA. */
  issue(options: IssueOptions): Promise<PemPair>;
}

/** A `kubernetes.io/tls` Secret, as the API server or a manifest holds it. */
export interface TlsSecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string };
  type: 'kubernetes.io/tls';
  data: { 'tls.crt': string; 'tls.key': string };
}

/** Creates a fresh CA (self-signed, ECDSA P-256, valid from a day ago for a year). */
export async function createTestCa(name = 'Switchyard Test CA'): Promise<TestCa> {
  const x509 = await loadX509();
  const keys = await generateKeys();
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = caCert.toString('pem');

  async function issue(options: IssueOptions): Promise<PemPair> {
    if (options.hosts.length === 0) throw new TypeError('issue(): at least one host is required');
    const leafKeys = await generateKeys();
    const issued = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `CN=${options.hosts[0]}`,
      issuer: caCert.subject,
      notBefore: options.notBefore ?? new Date(issued - DAY_MS),
      notAfter: options.notAfter ?? new Date(issued + 30 * DAY_MS),
      signingAlgorithm: ALGORITHM,
      publicKey: leafKeys.publicKey,
      signingKey: keys.privateKey,
      extensions: [
        new x509.SubjectAlternativeNameExtension(options.hosts.map((value) => ({ type: 'dns' as const, value }))),
        new x509.BasicConstraintsExtension(false),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        await x509.AuthorityKeyIdentifierExtension.create(caCert),
        await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
    return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  }

  return { certPem, issue };
}

/** A `kubernetes.io/tls` Secret holding `pair`, base64 in `data` as the API server serves it. */
export function tlsSecret(name: string, namespace: string, pair: PemPair): TlsSecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
  };
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

/** A positive 64-bit serial, hex, so no two certificates of one CA share one. */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
