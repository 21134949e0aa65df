import type { SecureContext, SecureContextOptions, Server, TlsOptions } from 'node:tls';
import { TlsError } from './errors.js';
import { buildSniTable } from './build-sni-table.js';
import { normalizeServername } from './host-names.js';
import type { CertificateAssignment, SniTable } from './sni-table.js';
import type { TlsDiagnostic } from './tls-diagnostic.js';
import type { TlsInputs } from './tls-inputs.js';

type SniCallback = (error: Error | null, context?: SecureContext) => void;

/**
 * The certificates a TLS listener serves, chosen per handshake by SNI.
 *
 * - **Choice**: the server name (SNI) is lowercased and one trailing dot dropped; then the
 *   certificate of that exact host, then the one of `*.parent` (one non-empty label only:
 *   `*.foo.com` serves `a.foo.com`, not `foo.com` nor `a.b.foo.com`), then the default
 *   certificate. A client that sends no SNI gets the default certificate.
 * - **No default** and a name nothing serves: the SNI callback fails with a
 *   `TlsError` `SWY_TLS_UNKNOWN_SERVERNAME`, which the server emits as
 *   `tlsClientError`; the client sees the connection closed before the handshake completed
 *   (`ECONNRESET`). Without SNI and without a default, OpenSSL finds no certificate and the
 *   client gets a `handshake_failure` alert.
 * - **Sources**: Ingress spec.tls entries through their Secrets, and PEM certificates given
 *   directly (see `buildSniTable` for precedence, `TlsInputs` for scope). An entry without
 *   `hosts` serves the hosts of its Ingress's rules. A missing Secret, a Secret of the wrong
 *   type, unparsable PEM, a key that does not match, an expired or not yet valid certificate:
 *   each is a diagnostic, and the host stays a TLS host (for the HTTP→HTTPS redirect) served
 *   by the `*.` wildcard certificate, else the default one. Validity is checked at `update`.
 * - **Updates** swap one immutable table: new handshakes see it, open connections keep the
 *   context they were handshaken with. Secure contexts are built once per certificate per
 *   update, never per handshake.
 */
export class CertificateStore {
  private table: SniTable;
  private lastDiagnostics: readonly TlsDiagnostic[];
  private readonly attached = new Map<Server, SecureContextOptions>();

  // One function for the store's life: servers keep it, and it reads whichever table is current.
  private readonly sniCallback = (servername: string, callback: SniCallback): void => {
    const name = normalizeServername(servername);
    const context = this.table.contextFor(name);
    if (context !== undefined) callback(null, context);
    else callback(unknownServername(name));
  };

  /**
   * Builds from `inputs`; problems in them are diagnostics (never thrown).
   *
   * @throws TlsError `SWY_TLS_INVALID_OPTIONS` when `inputs` is not of the documented shape.
   */
  constructor(inputs: TlsInputs = {}) {
    checkInputs(inputs);
    const { table, diagnostics } = buildSniTable(inputs);
    this.table = table;
    this.lastDiagnostics = Object.freeze(diagnostics);
  }

  /**
   * Swaps to new inputs at once (a live Secret change, a file reload): new handshakes see
   * them, open connections keep theirs. Attached servers get the new default certificate.
   * Returns the diagnostics of the new inputs.
   *
   * @throws TlsError `SWY_TLS_INVALID_OPTIONS` when `inputs` is not of the documented shape (the store is then unchanged).
   */
  update(inputs: TlsInputs): TlsDiagnostic[] {
    checkInputs(inputs);
    const { table, diagnostics } = buildSniTable(inputs);
    this.table = table;
    this.lastDiagnostics = Object.freeze([...diagnostics]);
    for (const [server, base] of this.attached) server.setSecureContext(this.contextOptions(base));
    return diagnostics;
  }

  /** The diagnostics of the current inputs. */
  get diagnostics(): readonly TlsDiagnostic[] {
    return this.lastDiagnostics;
  }

  /**
   * Options for `tls.createServer` / `https.createServer`: the SNI callback, plus the current
   * default certificate as `cert`/`key` for clients that send no SNI. Node reads that default
   * once, so a server that should follow later updates for such clients is `attach`ed too.
   */
  serverOptions(): TlsOptions {
    return { SNICallback: this.sniCallback, ...this.defaultPair() };
  }

  /**
   * Keeps `server`'s own context (what clients without SNI get) on the default certificate
   * through every later `update`, with `base` (ciphers, minVersion, ... the server was created
   * with) kept. SNI clients need no attaching. Returns a function that detaches it.
   */
  attach(server: Server, base: SecureContextOptions = {}): () => void {
    this.attached.set(server, base);
    return () => this.attached.delete(server);
  }

  /**
   * True when a spec.tls entry or a PEM certificate names this normalized host (see core's
   * `normalizeHost`), exactly or by a `*.` wildcard on its parent, whether or not its
   * certificate is usable. Two Map reads at most: called per request for the HTTP→HTTPS redirect.
   */
  isTlsHost(host: string): boolean {
    return this.table.isTlsHost(host);
  }

  /** Every TLS host, sorted, with the certificate that serves it now. */
  describe(): readonly CertificateAssignment[] {
    return this.table.assignments;
  }

  private defaultPair(): { cert?: string | Buffer; key?: string | Buffer } {
    const certificate = this.table.defaultCertificate;
    return certificate ? { cert: certificate.cert, key: certificate.key } : {};
  }

  private contextOptions(base: SecureContextOptions): SecureContextOptions {
    const { cert: _cert, key: _key, ...rest } = base;
    return { ...rest, ...this.defaultPair() };
  }
}

function unknownServername(name: string): TlsError {
  const shown = name.length > 255 ? `${name.slice(0, 255)}…` : name;
  return new TlsError('SWY_TLS_UNKNOWN_SERVERNAME', `no certificate serves ${JSON.stringify(shown)} and there is no default certificate`, { field: 'servername' });
}

function checkInputs(inputs: TlsInputs): void {
  const fail = (field: string, what: string): never => {
    throw new TlsError('SWY_TLS_INVALID_OPTIONS', `CertificateStore: ${field} must be ${what}`, { field });
  };
  if (typeof inputs !== 'object' || inputs === null) fail('inputs', 'an object');
  for (const field of ['ingresses', 'ingressClasses', 'secrets', 'certificates'] as const) {
    if (inputs[field] !== undefined && !Array.isArray(inputs[field])) fail(field, 'an array');
  }
  if (inputs.ingressClass !== undefined && (typeof inputs.ingressClass !== 'string' || inputs.ingressClass === '')) fail('ingressClass', 'a non-empty string');
  (inputs.certificates ?? []).forEach((pem, i) => {
    if (typeof pem !== 'object' || pem === null) fail(`certificates[${i}]`, 'an object with cert and key');
    if (pem.hosts !== undefined && (!Array.isArray(pem.hosts) || pem.hosts.some((h) => typeof h !== 'string'))) fail(`certificates[${i}].hosts`, 'an array of strings');
  });
  if (inputs.defaultCertificate !== undefined && (typeof inputs.defaultCertificate !== 'object' || inputs.defaultCertificate === null)) {
    fail('defaultCertificate', 'an object with cert and key');
  }
}
