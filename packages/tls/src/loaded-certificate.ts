import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import { normalizeServername } from './host-names.js';
import type { TlsDiagnosticCode } from './tls-diagnostic.js';

/** A certificate and key that passed every check, with the one secure context built for them. */
export interface LoadedCertificate {
  /** Built once per certificate per update; every handshake for its hosts reuses it. */
  readonly context: SecureContext;
  /** The leaf's DNS subjectAltNames, normalized. */
  readonly dnsNames: ReadonlySet<string>;
  /** RFC 3339. */
  readonly notAfter: string;
  /** The PEM text, for a server's own default context (clients without SNI). */
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** Which half of the pair a problem is in. */
export type PemPart = 'cert' | 'key';

export interface CertificateProblem {
  readonly code: TlsDiagnosticCode;
  readonly part: PemPart;
  readonly message: string;
}

export type LoadResult = { readonly ok: true; readonly certificate: LoadedCertificate } | { readonly ok: false; readonly problems: readonly CertificateProblem[] };

/**
 * Checks a PEM certificate (leaf first, then any chain) and its private key, and builds the
 * secure context: the certificate and the key must parse, belong together, and be valid at
 * `now`. Every problem is returned, none thrown: they become diagnostics.
 */
export function loadCertificate(cert: string | Buffer | undefined, key: string | Buffer | undefined, now: number): LoadResult {
  const problems: CertificateProblem[] = [];
  let leaf: X509Certificate | undefined;
  let privateKey: KeyObject | undefined;
  if (cert === undefined) {
    problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'cert', message: 'is missing' });
  } else if (!isPemInput(cert) || !hasPemBlock(cert, 'CERTIFICATE')) {
    problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'cert', message: 'holds no PEM "CERTIFICATE" block' });
  } else {
    try {
      leaf = new X509Certificate(cert);
    } catch (error) {
      problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'cert', message: `is not a PEM certificate: ${reason(error)}` });
    }
  }
  if (key === undefined) {
    problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'key', message: 'is missing' });
  } else if (!isPemInput(key)) {
    problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'key', message: 'is not PEM text' });
  } else {
    try {
      privateKey = createPrivateKey(key);
    } catch (error) {
      problems.push({ code: 'SWY_TLS_PEM_INVALID', part: 'key', message: `is not an unencrypted PEM private key: ${reason(error)}` });
    }
  }
  if (leaf === undefined || privateKey === undefined || cert === undefined || key === undefined) return { ok: false, problems };

  if (!leaf.checkPrivateKey(privateKey)) {
    problems.push({ code: 'SWY_TLS_KEY_MISMATCH', part: 'key', message: `does not belong to the certificate (subject ${oneLine(leaf.subject)}, serial ${leaf.serialNumber})` });
  }
  const notBefore = Date.parse(leaf.validFrom);
  const notAfter = Date.parse(leaf.validTo);
  if (now > notAfter) {
    problems.push({ code: 'SWY_TLS_CERT_EXPIRED', part: 'cert', message: `expired at ${new Date(notAfter).toISOString()}` });
  } else if (now < notBefore) {
    problems.push({ code: 'SWY_TLS_CERT_NOT_YET_VALID', part: 'cert', message: `is not valid before ${new Date(notBefore).toISOString()}` });
  }
  if (problems.length > 0) return { ok: false, problems };

  let context: SecureContext;
  try {
    context = createSecureContext({ cert, key });
  } catch (error) {
    // A broken chain certificate after a good leaf lands here.
    return { ok: false, problems: [{ code: 'SWY_TLS_PEM_INVALID', part: 'cert', message: `cannot be served: ${reason(error)}` }] };
  }
  return {
    ok: true,
    certificate: { context, dnsNames: dnsNamesOf(leaf), notAfter: new Date(notAfter).toISOString(), cert, key },
  };
}

/** The DNS entries of the subjectAltName (`DNS:a.example.com, DNS:*.example.com, IP Address:…`). */
function dnsNamesOf(leaf: X509Certificate): Set<string> {
  const names = new Set<string>();
  for (const entry of (leaf.subjectAltName ?? '').split(', ')) {
    if (!entry.startsWith('DNS:')) continue;
    // Node quotes a name holding unusual characters as a JSON string.
    const raw = entry.slice(4);
    const name = raw.startsWith('"') ? safeJsonString(raw) : raw;
    if (name) names.add(normalizeServername(name));
  }
  return names;
}

function isPemInput(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function hasPemBlock(value: string | Buffer, label: string): boolean {
  return value.includes(`-----BEGIN ${label}-----`);
}

function safeJsonString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function oneLine(text: string): string {
  return text.replaceAll('\n', ', ');
}
