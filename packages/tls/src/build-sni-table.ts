import { IngressClassScope, manifestSourceOf, TLS_SECRET_TYPE, validateIngress, type Ingress, type Secret } from '@switchyard/core';
import { normalizeServername, namesCover, wildcardKeyOf, wildcardParentOf } from './host-names.js';
import { loadCertificate, type LoadedCertificate, type LoadResult, type PemPart } from './loaded-certificate.js';
import type { PemCertificate } from './pem-files.js';
import { SniTable, type CertificateAssignment } from './sni-table.js';
import type { TlsDiagnostic, TlsDiagnosticCode } from './tls-diagnostic.js';
import type { TlsInputs } from './tls-inputs.js';

const DEFAULT_NAMESPACE = 'default';
const SECRET_KEYS: Record<PemPart, string> = { cert: 'tls.crt', key: 'tls.key' };

/** One spec.tls host or PEM certificate host, in precedence order. */
interface Claim {
  readonly host: string;
  /** Undefined when the certificate is missing or unusable: the host is still a TLS host. */
  readonly certificate: LoadedCertificate | undefined;
  readonly source: string;
  /** Who claims it, for conflict diagnostics. */
  readonly object: string;
  readonly field: string;
  readonly from: object;
}

/**
 * The TLS compile step: turns Ingresses, Secrets and PEM certificates into the immutable SNI
 * table and its diagnostics, as core's `compile` turns Ingresses into a `RouteTable`. A
 * `CertificateStore` runs it on every update; `switchyard check` runs it alone. Pure apart
 * from the clock (`now`, for certificate validity): problems are diagnostics, never thrown.
 * The inputs are not shape-checked here (the store does that).
 *
 * Precedence of claims on one host: spec.tls entries of the Ingresses oldest first
 * (creationTimestamp, then namespace/name, as `compile` orders rules), then the PEM
 * certificates in the order given. The first claim with a usable certificate serves the host;
 * a later usable claim with another certificate is a `SWY_TLS_HOST_CONFLICT`. A claim whose
 * certificate is unusable leaves the host a TLS host served as if it had no certificate of
 * its own: by a `*.` wildcard certificate of its parent, else by the default certificate.
 */
export function buildSniTable(inputs: TlsInputs, now: number = Date.now()): { table: SniTable; diagnostics: TlsDiagnostic[] } {
  const builder = new Builder(now);
  builder.addIngresses(inputs);
  (inputs.certificates ?? []).forEach((pem, i) => builder.addPemCertificate(pem, i));
  const defaultSource = inputs.defaultCertificate?.source ?? 'defaultCertificate';
  const defaultCertificate = inputs.defaultCertificate === undefined ? undefined : builder.loadPem(inputs.defaultCertificate, defaultSource);
  return { table: builder.table(defaultCertificate, defaultSource), diagnostics: builder.diagnostics };
}

class Builder {
  readonly diagnostics: TlsDiagnostic[] = [];
  private readonly claims: Claim[] = [];
  /** By content, so a pair served under several names is checked and given a context once per update. */
  private readonly loaded = new Map<string, LoadResult>();
  /** Secrets by `namespace/name`, read on first reference only. */
  private readonly secretCertificates = new Map<string, LoadedCertificate | undefined>();
  private secrets = new Map<string, Secret>();

  constructor(private readonly now: number) {}

  addIngresses(inputs: TlsInputs): void {
    for (const secret of inputs.secrets ?? []) {
      const name = secret?.metadata?.name;
      if (typeof name !== 'string' || name === '') continue;
      const key = `${namespaceOf(secret)}/${name}`;
      if (!this.secrets.has(key)) this.secrets.set(key, secret);
    }
    const scope = new IngressClassScope(inputs.ingressClass, inputs.ingressClasses);
    const seen = new Set<string>();
    const accepted: Ingress[] = [];
    for (const ingress of inputs.ingresses ?? []) {
      // compile() reports out-of-scope, invalid and duplicate Ingresses; here they only give nothing.
      if (!scope.decide(ingress).inScope || validateIngress(ingress).length > 0) continue;
      const id = idOf(ingress);
      if (seen.has(id)) continue;
      seen.add(id);
      if (ingress.spec?.tls?.length) accepted.push(ingress);
    }
    accepted.sort(byAge);
    for (const ingress of accepted) this.addIngress(ingress);
  }

  private addIngress(ingress: Ingress): void {
    const object = idOf(ingress);
    const ruleHosts = [...new Set((ingress.spec?.rules ?? []).map((rule) => rule.host ?? '').filter((host) => host !== ''))];
    (ingress.spec?.tls ?? []).forEach((entry, i) => {
      const field = `spec.tls[${i}]`;
      // The API leaves an entry without hosts to the controller ("the wildcard host setting"):
      // ours reads it as the hosts of this Ingress's own rules.
      const explicit = (entry.hosts ?? []).length > 0;
      const hosts = explicit ? entry.hosts! : ruleHosts;
      if (hosts.length === 0) {
        this.report(ingress, 'SWY_TLS_NO_HOSTS', 'warning', `${field}.hosts`, `${object} ${field} lists no hosts and the Ingress rules name none; it serves nothing`);
        return;
      }
      const secretName = entry.secretName;
      let certificate: LoadedCertificate | undefined;
      let source = 'none';
      if (!secretName) {
        this.report(ingress, 'SWY_TLS_NO_SECRET_NAME', 'warning', `${field}.secretName`, `${object} ${field} names no secretName; ${hosts.join(', ')} get the default certificate`);
      } else {
        const secretId = `${namespaceOf(ingress)}/${secretName}`;
        source = `Secret ${secretId}`;
        certificate = this.secretCertificate(secretId, ingress, `${field}.secretName`);
      }
      hosts.forEach((host, j) => {
        const hostField = explicit ? `${field}.hosts[${j}]` : field;
        this.claim({ host, certificate, source, object, field: hostField, from: ingress });
      });
    });
  }

  addPemCertificate(pem: PemCertificate, index: number): void {
    const object = pem.source ?? `certificates[${index}]`;
    const certificate = this.loadPem(pem, object);
    const hosts = pem.hosts !== undefined ? pem.hosts.map(normalizeServername).filter((h) => h !== '') : [...(certificate?.dnsNames ?? [])];
    if (hosts.length === 0) {
      if (pem.hosts !== undefined || certificate !== undefined) {
        this.push({ code: 'SWY_TLS_NO_HOSTS', severity: 'warning', object, field: 'hosts', message: `${object}: no hosts given and the certificate has no DNS subjectAltName; it serves nothing` });
      }
      return;
    }
    hosts.forEach((host, j) => this.claim({ host, certificate, source: object, object, field: pem.hosts !== undefined ? `hosts[${j}]` : 'cert', from: pem }));
  }

  /** Checks a PEM pair given directly; its problems name `object` and the field `cert` or `key`. */
  loadPem(pem: PemCertificate, object: string): LoadedCertificate | undefined {
    const result = this.load(pem.cert, pem.key);
    if (result.ok) return result.certificate;
    for (const problem of result.problems) {
      this.push({ code: problem.code, severity: 'error', object, field: problem.part, message: `${object} ${problem.part} ${problem.message}; ${fallbackNote}` });
    }
    return undefined;
  }

  table(defaultCertificate: LoadedCertificate | undefined, defaultSource: string): SniTable {
    const exact = new Map<string, LoadedCertificate>();
    const wildcard = new Map<string, LoadedCertificate>();
    const winners = new Map<string, Claim>();
    const tlsExact = new Set<string>();
    const tlsWildcard = new Set<string>();
    for (const claim of this.claims) {
      const key = wildcardKeyOf(claim.host);
      if (key !== undefined) tlsWildcard.add(key);
      else tlsExact.add(claim.host);
      if (claim.certificate === undefined) continue;
      const winner = winners.get(claim.host);
      if (winner === undefined) {
        winners.set(claim.host, claim);
        if (key !== undefined) wildcard.set(key, claim.certificate);
        else exact.set(claim.host, claim.certificate);
      } else if (winner.certificate !== claim.certificate) {
        this.push({
          code: 'SWY_TLS_HOST_CONFLICT',
          severity: 'warning',
          object: claim.object,
          field: claim.field,
          message: `${claim.object} ${claim.field}: ${claim.host} is already served by ${winner.source} (${winner.object} ${winner.field}), which comes first; this certificate is not used for it`,
          related: { object: winner.object, field: winner.field },
          ...sourceOf(claim.from, claim.field),
        });
      }
    }
    const assignments: CertificateAssignment[] = [...new Set(this.claims.map((c) => c.host))].sort().map((host) => {
      const own = winners.get(host);
      if (own) return assignment(host, own.source, own.certificate!, false);
      const parent = host.startsWith('*.') ? undefined : wildcardParentOf(host);
      const byWildcard = parent !== undefined ? winners.get(`*.${parent}`) : undefined;
      if (byWildcard) return assignment(host, byWildcard.source, byWildcard.certificate!, true);
      if (defaultCertificate) return assignment(host, defaultSource, defaultCertificate, true);
      return { host, source: 'none', notAfter: '', sans: [], fallback: true };
    });
    return new SniTable({ exact, wildcard, defaultCertificate, tlsExact, tlsWildcard, assignments });
  }

  private claim(claim: Claim): void {
    const host = normalizeServername(claim.host);
    if (claim.certificate !== undefined && !namesCover(claim.certificate.dnsNames, host)) {
      this.push({
        code: 'SWY_TLS_HOST_NOT_IN_CERTIFICATE',
        severity: 'warning',
        object: claim.object,
        field: claim.field,
        message: `${claim.object} ${claim.field}: ${host} is not among the DNS names of ${claim.source} (${[...claim.certificate.dnsNames].join(', ') || 'none'}); clients will reject it`,
        ...sourceOf(claim.from, claim.field),
      });
    }
    this.claims.push({ ...claim, host });
  }

  /** The certificate of a Secret, checked once per update however many entries name it. */
  private secretCertificate(secretId: string, ingress: Ingress, field: string): LoadedCertificate | undefined {
    if (this.secretCertificates.has(secretId)) return this.secretCertificates.get(secretId);
    const object = idOf(ingress);
    const secret = this.secrets.get(secretId);
    let certificate: LoadedCertificate | undefined;
    if (secret === undefined) {
      // Not memoized: every Ingress naming the missing Secret hears of it.
      this.report(ingress, 'SWY_TLS_SECRET_NOT_FOUND', 'error', field, `${object} ${field}: Secret ${secretId} does not exist (only Secrets of type ${TLS_SECRET_TYPE} are read); ${fallbackNote}`);
      return undefined;
    }
    const related = { object, field };
    if (secret.type !== TLS_SECRET_TYPE) {
      this.push({
        code: 'SWY_TLS_SECRET_WRONG_TYPE',
        severity: 'error',
        object: secretId,
        field: 'type',
        message: `Secret ${secretId} is of type ${JSON.stringify(secret.type ?? 'Opaque')}, not ${TLS_SECRET_TYPE}; ${fallbackNote}`,
        related,
        ...sourceOf(secret, 'type'),
      });
    } else {
      const cert = secretValue(secret, 'cert');
      const key = secretValue(secret, 'key');
      const result = this.load(cert.value, key.value);
      if (result.ok) certificate = result.certificate;
      else {
        for (const problem of result.problems) {
          const at = problem.part === 'cert' ? cert.field : key.field;
          this.push({ code: problem.code, severity: 'error', object: secretId, field: at, message: `Secret ${secretId} ${at} ${problem.message}; ${fallbackNote}`, related, ...sourceOf(secret, at) });
        }
      }
    }
    this.secretCertificates.set(secretId, certificate);
    return certificate;
  }

  private load(cert: unknown, key: unknown): LoadResult {
    const id = typeof cert === 'string' || Buffer.isBuffer(cert) ? (typeof key === 'string' || Buffer.isBuffer(key) ? `${cert.toString()}\0${key.toString()}` : undefined) : undefined;
    const known = id === undefined ? undefined : this.loaded.get(id);
    if (known) return known;
    const result = loadCertificate(cert as string | Buffer | undefined, key as string | Buffer | undefined, this.now);
    if (id !== undefined) this.loaded.set(id, result);
    return result;
  }

  private report(ingress: Ingress, code: TlsDiagnosticCode, severity: TlsDiagnostic['severity'], field: string, message: string): void {
    this.push({ code, severity, object: idOf(ingress), field, message, ...sourceOf(ingress, field) });
  }

  private push(diagnostic: TlsDiagnostic): void {
    this.diagnostics.push(diagnostic);
  }
}

const fallbackNote = 'its hosts get the default certificate (or a wildcard one)';

function assignment(host: string, source: string, certificate: LoadedCertificate, fallback: boolean): CertificateAssignment {
  return { host, source, notAfter: certificate.notAfter, sans: [...certificate.dnsNames], fallback };
}

/** `tls.crt` or `tls.key` of a Secret: `stringData` (plain) over `data` (base64), as the API server merges them. */
function secretValue(secret: Secret, part: PemPart): { value: string | Buffer | undefined; field: string } {
  const name = SECRET_KEYS[part];
  const plain = secret.stringData?.[name];
  if (typeof plain === 'string') return { value: plain, field: `stringData[${name}]` };
  const encoded = secret.data?.[name];
  return { value: typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : undefined, field: `data[${name}]` };
}

function namespaceOf(object: { metadata?: { namespace?: string } }): string {
  return object.metadata?.namespace || DEFAULT_NAMESPACE;
}

function idOf(ingress: Ingress): string {
  return `${namespaceOf(ingress)}/${ingress.metadata.name}`;
}

/** Where `object` was read from, at the line of `field` when it was read from a file. */
function sourceOf(object: object, field: string): { source?: NonNullable<ReturnType<typeof manifestSourceOf>> } {
  const source = manifestSourceOf(object, field);
  return source ? { source } : {};
}

/** Oldest first: creationTimestamp (missing: newest), then `namespace/name`, as `compile` orders Ingresses. */
function byAge(a: Ingress, b: Ingress): number {
  const at = createdAt(a);
  const bt = createdAt(b);
  if (at !== bt) return at < bt ? -1 : 1;
  const ai = idOf(a);
  const bi = idOf(b);
  return ai < bi ? -1 : ai > bi ? 1 : 0;
}

function createdAt(ingress: Ingress): number {
  const value = ingress.metadata.creationTimestamp;
  if (value === undefined || value === null) return Number.POSITIVE_INFINITY;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}
