import type { SecureContext } from 'node:tls';
import type { LoadedCertificate } from './loaded-certificate.js';

/** Which certificate serves a TLS host, for the admin /routes page and tests. */
export interface CertificateAssignment {
  readonly host: string;
  /** `Secret ns/name`, a file path, `defaultCertificate`, or `none` (the handshake fails). */
  readonly source: string;
  /** RFC 3339; `''` when no certificate serves the host. */
  readonly notAfter: string;
  /** The serving certificate's DNS subjectAltNames. */
  readonly sans: readonly string[];
  /** True when the host's own certificate is missing or unusable and another one (wildcard or default) serves it. */
  readonly fallback: boolean;
}

export interface SniTableParts {
  /** Usable certificates by exact host. */
  readonly exact: ReadonlyMap<string, LoadedCertificate>;
  /** Usable certificates of `*.` hosts, keyed by the parent domain (`*.foo.com` under `foo.com`). */
  readonly wildcard: ReadonlyMap<string, LoadedCertificate>;
  readonly defaultCertificate: LoadedCertificate | undefined;
  /** Every host a spec.tls entry or a PEM certificate names, whether or not its certificate is usable. */
  readonly tlsExact: ReadonlySet<string>;
  /** The same for `*.` hosts, by parent domain. */
  readonly tlsWildcard: ReadonlySet<string>;
  readonly assignments: readonly CertificateAssignment[];
}

/**
 * One immutable generation of the store: built by `update`, read by every handshake and
 * request until the next one replaces it whole. Lookups are Map reads, never scans.
 */
export class SniTable {
  private readonly exact: ReadonlyMap<string, SecureContext>;
  private readonly wildcard: ReadonlyMap<string, SecureContext>;
  private readonly tlsExact: ReadonlySet<string>;
  private readonly tlsWildcard: ReadonlySet<string>;
  readonly defaultCertificate: LoadedCertificate | undefined;
  readonly assignments: readonly CertificateAssignment[];

  constructor(parts: SniTableParts) {
    this.exact = contexts(parts.exact);
    this.wildcard = contexts(parts.wildcard);
    this.tlsExact = parts.tlsExact;
    this.tlsWildcard = parts.tlsWildcard;
    this.defaultCertificate = parts.defaultCertificate;
    this.assignments = parts.assignments;
    Object.freeze(this);
  }

  /** The context for a normalized server name: exact host, then `*.parent`, then the default; undefined when none. */
  contextFor(name: string): SecureContext | undefined {
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    if (this.wildcard.size !== 0) {
      const dot = name.indexOf('.');
      // dot > 0: a wildcard stands for one non-empty label.
      if (dot > 0) {
        const wildcard = this.wildcard.get(name.slice(dot + 1));
        if (wildcard !== undefined) return wildcard;
      }
    }
    return this.defaultCertificate?.context;
  }

  /** Whether a normalized host is named by a spec.tls entry or a PEM certificate, exactly or by `*.` wildcard. */
  isTlsHost(host: string): boolean {
    if (this.tlsExact.has(host)) return true;
    if (this.tlsWildcard.size === 0) return false;
    const dot = host.indexOf('.');
    return dot > 0 && this.tlsWildcard.has(host.slice(dot + 1));
  }
}

function contexts(certificates: ReadonlyMap<string, LoadedCertificate>): Map<string, SecureContext> {
  return new Map([...certificates].map(([host, certificate]) => [host, certificate.context]));
}
